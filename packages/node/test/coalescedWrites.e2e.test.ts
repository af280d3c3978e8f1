// Messages sent in one go leave the ws transport in two writes (a system call apiece was most of a
// busy client's CPU): the first at once, the rest at the end of the turn. Nothing is held while
// the app works on (a send after a gap, or one followed by long synchronous work): against a real
// ws server on 127.0.0.1.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { nodeTransport, type TransportHandlers } from '@resock/node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startPlainServer } from './fixtures/plainServer';
import { quickClient } from './fixtures/quickClient';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Resolves with the first `count` text messages the server hears, across its connections. */
function hear(server: Awaited<ReturnType<typeof startPlainServer>>, count: number): Promise<string[]> {
  const heard: string[] = [];
  return new Promise((resolve) =>
    server.wss.on('connection', (socket) =>
      socket.on('message', (raw) => {
        heard.push(String(raw));
        if (heard.length === count) resolve(heard);
      }),
    ),
  );
}

/** The chunk count of each write the client makes to `port` (the server's own go the other way). */
function clientWrites(port: number): number[] {
  const writes: number[] = [];
  // Node's one path under _write and _writev: one call, one system call (a writev for chunks).
  type WriteGeneric = (this: Socket, writev: boolean, data: unknown[] | unknown, ...rest: unknown[]) => unknown;
  const proto = Socket.prototype as unknown as { _writeGeneric: WriteGeneric };
  const original = proto._writeGeneric;
  vi.spyOn(proto, '_writeGeneric').mockImplementation(function (this: Socket, writev, data, ...rest) {
    if (this.remotePort === port) writes.push(writev ? (data as unknown[]).length : 1);
    return original.call(this, writev, data, ...rest);
  });
  return writes;
}

/** An open client of a fresh server that hears `count` messages, its writes counted from now. */
async function openClient(count: number) {
  const server = await startPlainServer();
  cleanup.push(server.stop);
  const heard = hear(server, count);
  const c = quickClient(cleanup, server.port);
  await c.opened();
  return { heard, c, writes: clientWrites(server.port) };
}

/** A child process running `fixture` against a fresh server, and the first message it hears. */
async function runFixture(fixture: string, args: string[]) {
  const server = await startPlainServer();
  cleanup.push(server.stop);
  const heard = hear(server, 1);
  const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=@resock/source', file, `ws://127.0.0.1:${server.port}`, ...args],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  cleanup.push(() => child.kill());
  return { heard, child };
}

describe('write coalescing in the ws transport', () => {
  it('writes messages sent in one go in two system calls, in order: the first, then the rest', async () => {
    const { heard, c, writes } = await openClient(10);
    for (let i = 1; i <= 10; i++) c.send(`m${i}`);
    expect(writes).toEqual([2]); // the first at once (ws frames a header and a payload)
    expect(await heard).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    // Before coalescing: ten writes of two chunks each.
    expect(writes).toEqual([2, 18]);
  });

  it('writes a message past 16 KiB at once: holding a large one only delays it', async () => {
    const { heard, c, writes } = await openClient(3);
    c.send('first');
    c.send('small');
    expect(writes).toEqual([2]); // the second held for the rest of the turn
    const large = 'x'.repeat(20_000);
    c.send(large);
    expect(writes).toEqual([2, 2, 2]); // what was held, then it: now
    expect(await heard).toEqual(['first', 'small', large]);
  });

  it('writes a burst each time 16 KiB is held, not only at its end', async () => {
    const { heard, c, writes } = await openClient(4);
    const part = 'y'.repeat(9000);
    c.send(part);
    c.send(part);
    c.send(part);
    expect(writes).toEqual([2, 4]); // the first at once; 18 KB held after it: written now
    c.send(part);
    expect(writes).toEqual([2, 4]); // the fourth waits for the rest of the turn
    expect(await heard).toEqual([part, part, part, part]);
    expect(writes).toEqual([2, 4, 2]);
  });

  it('holds nothing across work done between sends in one turn (a loop sending progress)', async () => {
    const { heard, c, writes } = await openClient(4);
    const now = performance.now.bind(performance);
    let worked = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now() + worked);
    c.send('progress 1');
    c.send('progress 2'); // at once after it: held
    expect(writes).toEqual([2]);
    worked += 5; // the app computes for 5 ms
    c.send('progress 3');
    expect(writes).toEqual([2, 2, 2]); // what was held, then it, now
    worked += 5;
    c.send('progress 4');
    expect(writes).toEqual([2, 2, 2, 2]);
    expect(await heard).toEqual(['progress 1', 'progress 2', 'progress 3', 'progress 4']);
  });

  it('lets a message go before long synchronous work that follows it (a blocked process)', async () => {
    const { heard, child } = await runFixture('sendThenBlock.ts', []);
    // The child is blocked until told: a message held back would never arrive, and the test
    // would time out here.
    expect(await heard).toEqual(['started']);
    child.stdin.end('heard');
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
    });
    const [code] = await once(child, 'exit');
    expect([code, out]).toEqual([0, 'heard']);
  });

  it.each([
    ['deliver', 'once deliver() resolves sent'],
    ['send', "in the turn send() returned 'sent'"],
  ])('holds nothing back from a process that exits (%s): %s', async (mode) => {
    const { heard, child } = await runFixture('sendThenExit.ts', [mode]);
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(await heard).toEqual(['last words']);
  });

  it('writes what was sent before a terminate() in the same turn', async () => {
    const server = await startPlainServer();
    cleanup.push(server.stop);
    const heard = hear(server, 2);
    let onOpen: () => void = () => undefined;
    const opened = new Promise<void>((resolve) => {
      onOpen = resolve;
    });
    const handlers: TransportHandlers = {
      onOpen: () => onOpen(),
      onMessage: () => undefined,
      onClose: () => undefined,
      onError: () => undefined,
    };
    const connection = nodeTransport().connect({ url: `ws://127.0.0.1:${server.port}`, protocols: [] }, handlers);
    cleanup.push(() => connection.terminate?.());
    await opened;
    connection.send('one');
    connection.send('two');
    connection.terminate?.();
    expect(await heard).toEqual(['one', 'two']);
  });
});
