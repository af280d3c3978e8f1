// How `resock connect` knows its lines arrived: a pong proves the server read everything sent
// before its ping, and so does a clean close. Lines on a connection that ends otherwise may be
// lost, and the exit status says so; lines proved delivered are safe whatever happens later.
// Run from source against real servers on 127.0.0.1.
import type { Socket } from 'node:net';
import { startScenarioServer, startSlowLink } from '@resock/test-utils';
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { file } from './fixtures/cliRunner';
import { launch } from './fixtures/cliSession';
import { startPlainServer } from './fixtures/plainServer';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const rawSocket = (ws: WebSocket) => (ws as unknown as { _socket: Socket })._socket;

/**
 * A session whose stdin is one large line: the server does not read its first connection, so
 * once stdin has ended the line is still on its way. Resolves with the first connection's server
 * side once the CLI waits for the server to confirm it.
 */
async function drainingSession(args: string[], size = 20_000_000) {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const received: string[] = [];
  let connections = 0;
  const first = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (ws: WebSocket) => {
      if (++connections === 1) {
        rawSocket(ws).pause();
        resolve(ws);
      }
      ws.on('message', (data) => received.push(String(data).slice(0, 8)));
    }),
  );
  const run = launch(['connect', `ws://127.0.0.1:${port}`, ...args], cleanup);
  await run.has(' open ');
  const ws = await first;
  const big = `big:${'x'.repeat(size)}`;
  run.child.stdin.end(`${big}\n`);
  await run.has('stdin ended: waiting for the server to confirm the last line');
  return { run, ws, received };
}

it('a drop while the last line is on its way, then a quick reconnect: exit 1 (the line was lost)', async () => {
  const policy = file('again-1006-at-once', { rules: [{ codes: [1006], action: 'retry', firstDelayMs: 0 }] });
  const outcomes: Array<{ code: number | null; received: string[]; lossSaid: boolean }> = [];
  for (let i = 0; i < 3; i++) {
    const { run, ws, received } = await drainingSession(['--policy', policy]);
    ws.terminate(); // no close frame: what the CLI still held for it is gone
    const [code] = await run.exited;
    outcomes.push({ code, received, lossSaid: run.out.stderr.includes('may not have arrived') });
  }
  expect(outcomes).toEqual(Array.from({ length: 3 }, () => ({ code: 1, received: [], lossSaid: true })));
}, 90_000);

// The end of an upload over a link of about 1 MB/s: when ws's buffer is empty, the kernel still
// holds a few MB, which take seconds to cross; a close frame sent then would wait behind them,
// and the close deadline (3 s) would cut the upload. The CLI waits for the pong instead.
it('an upload over a 1 MB/s link ends with exit 0 once every line has arrived', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  let received = 0;
  const serverClosed = new Promise<number>((resolve) =>
    wss.on('connection', (ws: WebSocket) => {
      ws.on('message', () => received++);
      ws.on('close', (code) => resolve(code));
    }),
  );
  const link = await startSlowLink({ targetPort: port, upBytesPerSecond: 1_000_000 });
  cleanup.push(() => link.stop());
  const run = launch(['connect', link.url], cleanup);
  await run.has(' open ');
  // 8 MB: about 8 s on this link, of which the last few MB sit in the kernel, not the process.
  const lines = Array.from({ length: 800 }, (_, i) => `${i}:${'x'.repeat(10_000)}`);
  run.child.stdin.end(`${lines.join('\n')}\n`);
  const [code] = await run.exited;
  link.unthrottle(); // what had left the process still arrives, as on a network
  const closeCode = await serverClosed;
  expect({ code, received, stderr: run.out.stderr }).toEqual({
    code: 0,
    received: 800,
    stderr: expect.not.stringContaining('may not have arrived'),
  });
  expect(closeCode).toBe(1000);
}, 60_000);

// The line provably arrived — the server answered a ping sent after it — and only later did the
// connection drop: nothing was lost. (In a long-running pipe, `tail -f | resock connect`, a blip
// hours after the last line must not fail the run.)
it('a drop long after the lines were acknowledged by pongs does not make the exit 1', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const received: string[] = [];
  wss.on('connection', (ws: WebSocket) => {
    const first = received.length === 0;
    let pingsAfterLine = 0;
    ws.on('message', (data) => {
      received.push(String(data));
      ws.send(String(data));
    });
    ws.on('ping', () => {
      // The second ping after the line: the CLI had the pong to the first (the heartbeat sends
      // the next ping only once the last one was answered).
      if (first && received.length > 0 && ++pingsAfterLine === 2) ws.terminate();
    });
  });
  const policy = file('again-1006', { rules: [{ codes: [1006], action: 'retry', firstDelayMs: 0 }] });
  const run = launch(['connect', `ws://127.0.0.1:${port}`, '--heartbeat', '200', '--policy', policy], cleanup);
  await run.has(' open ');
  run.child.stdin.write('one\n');
  await run.has('one', 'stdout'); // the echo: the server has it
  await run.has(' open ', 'stderr', 2); // dropped after two pongs, and reconnected
  run.child.stdin.end();
  const [code] = await run.exited;
  expect({ code, received, stderr: run.out.stderr }).toEqual({
    code: 0,
    received: ['one'],
    stderr: expect.not.stringContaining('may not have arrived'),
  });
}, 30_000);

// A listen-only session (no line ever sent): Ctrl-C, the server does not answer the close,
// Ctrl-C again cuts it. Nothing could be lost: exit 0, as when the close deadline is waited out.
it('a second Ctrl-C during the close of a session that sent nothing exits 0, without a loss message', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  // The server reads the client's bytes itself (ws never sees them, so never answers the close)
  // and says when the close frame (FIN + opcode 8: 0x88) has come.
  let closeFrame = () => {};
  const closing = new Promise<void>((resolve) => {
    closeFrame = resolve;
  });
  wss.on('connection', (ws: WebSocket) => {
    const socket = (ws as unknown as { _socket: Socket })._socket;
    socket.removeAllListeners('data');
    socket.on('data', (chunk: Buffer) => chunk[0] === 0x88 && closeFrame());
  });
  const run = launch(['connect', `ws://127.0.0.1:${port}`], cleanup);
  await run.has(' open ');
  run.child.kill('SIGINT');
  await closing; // the CLI is closing, waiting for an answer that will not come
  run.child.kill('SIGINT');
  const [code] = await run.exited;
  expect({ code, stderr: run.out.stderr }).toEqual({
    code: 0,
    stderr: expect.not.stringContaining('may not have arrived'),
  });
}, 30_000);

// A SIGTERM (`kill`, `docker stop`) after stdin ended, while its lines wait for a server that is
// down, drops them (reported on stderr): lines lost for sure exit 1, as lines that may be lost do.
it('SIGTERM after stdin ended, with its lines still queued, exits 1 (they are dropped)', async () => {
  const server = await startScenarioServer();
  cleanup.push(() => server.stop());
  server.setDefault({ kind: 'reject', status: 503 }); // down: retried, never open
  const run = launch(['connect', server.url], cleanup);
  run.child.stdin.end('one\ntwo\n');
  await run.has('queued', 'stderr', 2);
  await server.waitForAttempts(1);
  run.child.kill('SIGTERM');
  const [code] = await run.exited;
  expect(run.out.stderr).toContain('a message was dropped (closed): "two"');
  expect(code).toBe(1);
}, 30_000);
