// Messages sent in one go leave the ws transport in one write (a system call apiece was most of a
// busy client's CPU), without holding any back: against a real ws server on 127.0.0.1.
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

describe('write coalescing in the ws transport', () => {
  it('writes messages sent in one go in one system call, in order', async () => {
    const { heard, c, writes } = await openClient(10);
    for (let i = 1; i <= 10; i++) c.send(`m${i}`);
    expect(await heard).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 1}`));
    // Before: ten writes of two chunks each (ws frames a header and a payload).
    expect(writes).toEqual([20]);
  });

  it('writes a message past 16 KiB at once: holding a large one only delays it', async () => {
    const { heard, c, writes } = await openClient(2);
    c.send('small');
    expect(writes).toEqual([]); // held for the rest of the turn
    const large = 'x'.repeat(20_000);
    c.send(large);
    expect(writes).toEqual([2, 2]); // what was held, then it: now
    expect(await heard).toEqual(['small', large]);
  });

  it('writes a burst each time 16 KiB is held, not only at its end', async () => {
    const { heard, c, writes } = await openClient(3);
    const part = 'y'.repeat(9000);
    c.send(part);
    c.send(part);
    expect(writes).toEqual([4]); // 18 KB held: written now
    c.send(part);
    expect(writes).toEqual([4]); // the third waits for the rest of the turn
    expect(await heard).toEqual([part, part, part]);
    expect(writes).toEqual([4, 2]);
  });

  it.each([
    ['deliver', 'once deliver() resolves sent'],
    ['send', "in the turn send() returned 'sent'"],
  ])('holds nothing back from a process that exits (%s): %s', async (mode) => {
    const server = await startPlainServer();
    cleanup.push(server.stop);
    const heard = hear(server, 1);
    const fixture = fileURLToPath(new URL('./fixtures/sendThenExit.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@resock/source', fixture, `ws://127.0.0.1:${server.port}`, mode],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
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
