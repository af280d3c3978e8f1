// `resock connect` reads stdin only as fast as its lines can go (linePump): while no connection
// is open it stops once the queue is full, on an open one while 1 MiB is still leaving. Nothing
// is dropped for want of room, nothing waits for ever, and a line that may have been lost shows
// in the exit status. Run from source against real servers on 127.0.0.1.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startScenarioServer } from '@resock/test-utils';
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { file } from './fixtures/cliRunner';
import { launch } from './fixtures/cliSession';
import { startPlainServer } from './fixtures/plainServer';
import { slowLargeUpload } from './fixtures/slowUpload';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const numbered = (n: number) => upTo(n).map((i) => `line ${i}`);
const droppedLines = (stderr: string) =>
  [...stderr.matchAll(/a message was dropped \(\w+\): "line (\d+)"/g)].map((m) => Number(m[1]));

/** An HTTP server that holds every upgrade request until the test answers it with 503. */
async function startHoldingServer() {
  const held: Socket[] = [];
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on('upgrade', (_req: IncomingMessage, socket: Socket) => {
    held.push(socket);
    server.emit('held');
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async attempt() {
      while (held.length === 0) await new Promise((resolve) => server.once('held', resolve));
    },
    reject503() {
      for (const socket of held.splice(0))
        socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of held) socket.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// Lines stdin gave while the queue was full wait in the CLI (stdin paused); at Ctrl-C they are
// reported lost after the queued ones, in the order read, not lost silently.
it('lines waiting for room at Ctrl-C are reported dropped, in order, after the queued ones', async () => {
  const server = await startScenarioServer();
  cleanup.push(() => server.stop());
  server.setDefault({ kind: 'reject', status: 503 });
  const run = launch(['connect', server.url], cleanup);
  run.child.stdin.write(`${Array.from({ length: 1002 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
  await run.has('waiting');
  run.child.kill('SIGINT');
  const [code] = await run.exited;
  const dropped = [...run.out.stderr.matchAll(/dropped \(closed\): "line (\d+)"/g)].map((m) => Number(m[1]));
  // `waiting` is told when line 1001 finds the queue full; line 1002 waits too once stdin gave it.
  expect({ code, first: dropped.slice(0, 1001) }).toEqual({
    code: 1, // lines were lost
    first: Array.from({ length: 1001 }, (_, i) => i + 1),
  });
  expect(dropped).toEqual(Array.from({ length: dropped.length }, (_, i) => i + 1));
  expect(run.out.stderr).not.toContain('overflow');
});

// A line larger than the whole queue (1 MiB) can never be queued: it waits for the open.
it('a line larger than the queue, given while not connected, goes out in its place once open', async () => {
  const server = await startScenarioServer();
  cleanup.push(() => server.stop());
  server.plan({ kind: 'reject', status: 503 });
  const big = `big:${'x'.repeat(1_500_000)}`;
  const run = launch(['connect', server.url], cleanup);
  run.child.stdin.end(`small 1\n${big}\nsmall 2\n`);
  const [code] = await run.exited;
  expect(code).toBe(0);
  expect(run.out.stderr).toContain('a line larger than the queue (maxBytes) waits for the next open');
  expect(server.received.map((r) => String(r.data).slice(0, 10))).toEqual(['small 1', big.slice(0, 10), 'small 2']);
}, 30_000);

// The policy gives up while lines wait for room: exit 3, and every line read is reported lost
// once, in order (the queued ones, then those waiting), whether stdin is still open or has ended.
for (const stdin of ['open', 'ended'] as const) {
  it(`the policy giving up while lines wait (stdin ${stdin}): exit 3, every line reported dropped in order`, async () => {
    const server = await startHoldingServer();
    cleanup.push(() => server.stop());
    const policy = file(`stop503-${stdin}`, { rules: [{ status: [503], action: 'stop' }] });
    const run = launch(['connect', server.url, '--policy', policy], cleanup);
    const text = `${numbered(1200).join('\n')}\n`;
    if (stdin === 'open') run.child.stdin.write(text);
    else run.child.stdin.end(text);
    await Promise.all([run.has('waiting'), server.attempt()]);
    server.reject503();
    const [code] = await run.exited;
    expect({ code, dropped: droppedLines(run.out.stderr) }).toEqual({ code: 3, dropped: upTo(1200) });
  }, 30_000);
}

// Lines that went out on a connection that then ended without a clean close may be lost: once
// the session ends, the exit status says so, though the CLI reconnected and sent the rest. A
// clean close (here a 1012 restart) loses nothing: exit 0.
for (const end of ['terminate', 'close 1012'] as const) {
  it(`a connection that carried lines, then ${end}: exit ${end === 'terminate' ? 1 : 0} once stdin ends`, async () => {
    const { wss, port, stop } = await startPlainServer();
    cleanup.push(stop);
    const received: string[] = [];
    wss.on('connection', (ws: WebSocket) => {
      const first = wss.clients.size === 1 && received.length === 0;
      ws.on('message', (data) => {
        received.push(String(data));
        if (first && end === 'terminate') ws.terminate();
      });
      // The restart comes once the line is proved read: ws answers the CLI's ping, then says so.
      ws.on('ping', () => first && end === 'close 1012' && ws.close(1012));
    });
    const policy = file('again', { rules: [{ codes: [1006, 1012], action: 'retry', firstDelayMs: 0 }] });
    const run = launch(['connect', `ws://127.0.0.1:${port}`, '--policy', policy], cleanup);
    await run.has(' open ');
    run.child.stdin.write('one\n');
    await run.has(' open ', 'stderr', 2);
    run.child.stdin.end('two\n');
    const [code] = await run.exited;
    expect({ code, received }).toEqual({ code: end === 'terminate' ? 1 : 0, received: ['one', 'two'] });
    if (end === 'terminate') {
      expect(run.out.stderr).toContain('1 line sent on that connection may not have arrived');
      expect(run.out.stderr).toContain('the last lines may not have arrived: 1 went out on connections that ended');
    }
  }, 30_000);
}

// A peer that stops reading, with the heartbeat off: lines wait behind a backlog that never
// moves. The session must not wait for ever: after 10 s without a byte leaving it ends (exit 1).
it('a peer that stops reading (--heartbeat 0): the session ends after 10 s without progress', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  wss.on('connection', (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket.pause());
  const run = launch(['connect', `ws://127.0.0.1:${port}`, '--heartbeat', '0'], cleanup);
  await run.has(' open ');
  // 32 MB: more than the kernel's buffers (a few MB) and the pump's 1 MiB high-water mark.
  run.child.stdin.end(`${Array.from({ length: 3200 }, (_, i) => `${i}:${'x'.repeat(10_000)}`).join('\n')}\n`);
  const [code] = await run.exited;
  expect(code).toBe(1);
  expect(run.out.stderr).toContain('nothing has left the process for 10 s');
}, 45_000);

// A single large line leaves the backlog only once wholly written: the stall check reads the
// link's progress, not the backlog's size, so a line taking more than 10 s to cross a slow but
// moving link is not a stall.
it('a large line crossing a slow but moving link is not taken for a stall (the next line waits behind it)', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  expect(await slowLargeUpload(wss, port, 'ws', cleanup)).toEqual({
    code: 0,
    received: ['big:xxxxxxxx', 'after'],
    movedTenSeconds: true,
    stalledSaid: false,
  });
}, 90_000);
