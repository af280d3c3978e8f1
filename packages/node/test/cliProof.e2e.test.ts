// What counts as proof that `resock connect`'s lines arrived (delivery.ts): a pong echoing the
// payload of a ping sent after them, or a clean close the CLI began; and that a server that
// stopped reading is seen to, though it still talks. Run from source against real servers on
// 127.0.0.1.
import { EventEmitter, once } from 'node:events';
import type { Socket } from 'node:net';
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

// RFC 6455 §5.5.3 lets a server answer only the most recent of several pings: one pong, with
// that ping's payload echoed, proves everything sent before it (no wait for pongs that never come).
it('a server that answers only the latest of two pings: stdin end does not wait 10 s for a second pong', async () => {
  const { wss, port, stop } = await startPlainServer({ autoPong: false });
  cleanup.push(stop);
  const events = new EventEmitter();
  const received: string[] = [];
  let pings: Buffer[] = [];
  let answerAtOnce = false;
  let server: WebSocket | undefined;
  wss.on('connection', (ws: WebSocket) => {
    server = ws;
    ws.on('message', (data) => {
      received.push(String(data));
      events.emit('message');
    });
    ws.on('ping', (data: Buffer) => {
      if (answerAtOnce) ws.pong(data);
      else pings.push(data);
      events.emit('ping');
    });
  });
  const run = launch(['connect', `ws://127.0.0.1:${port}`], cleanup);
  await run.has(' open ');
  run.child.stdin.write('one\n');
  while (pings.length < 1) await once(events, 'ping'); // the CLI's ping after "one"
  run.child.stdin.end('two\n');
  await run.has('stdin ended: waiting for the server to confirm the last 2 lines');
  while (pings.length < 2) await once(events, 'ping'); // the ping for "two"
  while (received.length < 2) await once(events, 'message');
  // One pong, for the most recent ping (its payload echoed): everything is confirmed.
  const latest = pings.at(-1) as Buffer;
  pings = [];
  answerAtOnce = true;
  const answeredAt = performance.now();
  server?.pong(latest);
  const [code] = await run.exited;
  const tookMs = performance.now() - answeredAt;
  expect(received).toEqual(['one', 'two']);
  expect({ code, slow: tookMs > 5_000 }).toEqual({ code: 0, slow: false });
}, 30_000);

// A line read while a ping is out (within one round trip of the one before, as in a `tail -f`
// burst) is left unproved by that ping's pong: the CLI asks again, so a drop much later loses nothing.
it('a line sent while a ping was out is confirmed once the pump is idle: a later drop loses nothing', async () => {
  // A server whose pongs come late (a long round trip): the test says when to answer.
  const { wss, port, stop } = await startPlainServer({ autoPong: false });
  cleanup.push(stop);
  const events = new EventEmitter();
  const received: string[] = [];
  const held: Buffer[] = [];
  let answerAtOnce = false;
  let first: WebSocket | undefined;
  let connections = 0;
  wss.on('connection', (ws: WebSocket) => {
    const n = ++connections;
    if (n === 1) first = ws;
    ws.on('message', (data) => {
      received.push(String(data));
      events.emit('message', String(data));
    });
    ws.on('ping', (data: Buffer) => {
      events.emit('ping');
      if (n > 1 || answerAtOnce) {
        ws.pong(data);
        events.emit('ponged');
      } else held.push(data);
    });
  });
  const message = async (text: string) => {
    while (!received.includes(text)) await once(events, 'message');
  };

  const policy = file('proof-reping-1006', { rules: [{ codes: [1006], action: 'retry', firstDelayMs: 0 }] });
  const run = launch(['connect', `ws://127.0.0.1:${port}`, '--heartbeat', '0', '--policy', policy], cleanup);
  await run.has(' open ');
  const firstPing = once(events, 'ping');
  run.child.stdin.write('one\n');
  await firstPing; // the CLI, idle after "one", asked for its confirmation
  await message('one');
  run.child.stdin.write('two\n'); // read while that ping is out
  await message('two');
  // The pong comes: "one" is confirmed; "two" is not, no ping is out, and the pump is idle.
  answerAtOnce = true;
  for (const data of held.splice(0)) first?.pong(data);
  // A CLI that asks again now is answered at once; one that does not is waited for a while.
  await Promise.race([once(events, 'ponged'), new Promise((resolve) => setTimeout(resolve, 1500))]);
  // Later (hours, in a `tail -f` pipe), the connection drops.
  first?.terminate();
  await run.has(' open ', 'stderr', 2); // reconnected
  run.child.stdin.end();
  const [code] = await run.exited;
  expect(received).toEqual(['one', 'two']); // the server has both
  expect({ code, lossSaid: run.out.stderr.includes('may not have arrived') }).toEqual({ code: 0, lossSaid: false });
}, 30_000);

/** The opcodes of the (small, client-masked) frames in `bytes`, as far as they are complete. */
function opcodes(bytes: Buffer): number[] {
  const found: number[] = [];
  let at = 0;
  while (at + 2 <= bytes.length) {
    const length = (bytes[at + 1] as number) & 0x7f; // the CLI's frames here are < 126 bytes
    const end = at + 2 + 4 + length;
    if (length >= 126 || end > bytes.length) break;
    found.push((bytes[at] as number) & 0x0f);
    at = end;
  }
  return found;
}

// A pong a server sends of its own accord (RFC 6455 §5.5.3: a one-way heartbeat) answers no
// ping of the CLI's, so it proves nothing about what the server has read.
it("a server's unsolicited heartbeat pongs do not confirm a line it never read: exit 1", async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const received: string[] = [];
  let connections = 0;
  // The first connection's server: its reader is stuck (what comes in is taken off the socket
  // and never parsed: no message, no ping is ever seen by its WebSocket layer), while its own
  // heartbeat keeps sending unsolicited pongs (payload "hb", never an echo of a ping).
  const pinged = new Promise<{ ws: WebSocket; pongsAfterPing: () => Promise<void> }>((resolve) =>
    wss.on('connection', (ws: WebSocket) => {
      ws.on('message', (data) => received.push(String(data)));
      if (++connections > 1) return;
      let sent = 0;
      const ticks: Array<() => void> = [];
      const timer = setInterval(() => {
        ws.pong('hb');
        sent++;
        for (const tick of ticks.splice(0)) tick();
      }, 20);
      ws.on('close', () => clearInterval(timer));
      cleanup.push(() => clearInterval(timer));
      const socket = rawSocket(ws);
      socket.removeAllListeners('data');
      let bytes = Buffer.alloc(0);
      let seen = false;
      socket.on('data', (chunk: Buffer) => {
        bytes = Buffer.concat([bytes, chunk]);
        // The text frame (1), then the ping (9) the CLI sent after it: the ping is out.
        if (!seen && opcodes(bytes).includes(0x9)) {
          seen = true;
          const from = sent;
          resolve({
            ws,
            // Two heartbeat pongs sent after the ping reached the server (so after it was sent).
            pongsAfterPing: async () => {
              while (sent < from + 2) await new Promise<void>((tick) => ticks.push(tick));
            },
          });
        }
      });
    }),
  );
  const policy = file('proof-again-1006', { rules: [{ codes: [1006], action: 'retry', firstDelayMs: 0 }] });
  const run = launch(['connect', `ws://127.0.0.1:${port}`, '--policy', policy], cleanup);
  await run.has(' open ');
  run.child.stdin.write('one\n');
  const { ws, pongsAfterPing } = await pinged;
  await pongsAfterPing();
  // The server goes away (no close frame) without ever having read "one".
  ws.terminate();
  await run.has(' open ', 'stderr', 2); // reconnected
  run.child.stdin.end();
  const [code] = await run.exited;
  expect(received).toEqual([]); // the line was lost
  expect({ code, lossSaid: run.out.stderr.includes('may not have arrived') }).toEqual({ code: 1, lossSaid: true });
}, 30_000);

// A clean close proves delivery only when the CLI began it (the server's close frame then answers
// one sent after the lines). A server's own close frame left before it read what was in flight.
it('a server-initiated clean 1012 sent before the server read the last line: exit 1', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const received: string[] = [];
  let connections = 0;
  let lineLeft = () => {};
  const left = new Promise<void>((resolve) => {
    lineLeft = resolve;
  });
  const first = new Promise<WebSocket>((resolve) =>
    wss.on('connection', (ws: WebSocket) => {
      ws.on('message', (data) => received.push(String(data)));
      if (++connections > 1) return;
      // This server is busy: its WebSocket layer reads nothing of what the client sends (taken
      // off the socket and let go, as a server that has stopped reading and then exits loses it).
      rawSocket(ws).removeAllListeners('data');
      rawSocket(ws).on('data', () => lineLeft());
      resolve(ws);
    }),
  );
  const policy = file('proof-restart-now', { rules: [{ codes: [1012], action: 'retry', firstDelayMs: 0 }] });
  const run = launch(['connect', `ws://127.0.0.1:${port}`, '--policy', policy], cleanup);
  await run.has(' open ');
  const ws = await first;
  run.child.stdin.write('one\n');
  // Not confirmed: the CLI's ping waits unread behind the line (no pong). Now the server
  // restarts: its close frame, then its end of the connection (FIN), reading nothing more.
  await left; // "one" has reached the server's socket
  ws.close(1012, 'restart');
  rawSocket(ws).end();
  await run.has('wasClean=true'); // the CLI answered the close frame: "clean"
  ws.terminate(); // the server process is gone; "one" was never read
  await run.has(' open ', 'stderr', 2); // the CLI reconnected
  run.child.stdin.end();
  const [code] = await run.exited;
  expect(received).toEqual([]);
  expect({ code, lossSaid: run.out.stderr.includes('may not have arrived') }).toEqual({ code: 1, lossSaid: true });
}, 30_000);

/** A server that never reads what the client sends, and sends a tick every 100 ms. */
async function talkingDeafServer() {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const received: string[] = [];
  wss.on('connection', (ws: WebSocket) => {
    rawSocket(ws).pause(); // stopped reading: what the client sends stays in the kernel
    ws.on('message', (data) => received.push(String(data).slice(0, 8)));
    let n = 0;
    const timer = setInterval(() => ws.send(`tick ${++n}`), 100);
    ws.on('close', () => clearInterval(timer));
    cleanup.push(() => clearInterval(timer));
  });
  return { port, received };
}

/** Whether the run exits within `ms`. */
const exitsWithin = (exited: Promise<unknown>, ms: number) =>
  Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

// A server that stopped reading but goes on talking (a feed it pushes) must still look stalled:
// the stall checks read the upload's movement only, not what comes in.
it('stdin ended, the last line waits for a server that stopped reading but keeps talking: the session ends', async () => {
  const { port, received } = await talkingDeafServer();
  const run = launch(['connect', `ws://127.0.0.1:${port}`], cleanup);
  await run.has(' open ');
  run.child.stdin.end('one\n');
  await run.has('stdin ended: waiting for the server to confirm the last line');
  await run.has('tick 5', 'stdout'); // the server talks on
  // 10 s without a byte of the upload moving, then the close (≤ 3 s deadline): 25 s is ample.
  const ended = await exitsWithin(run.exited, 25_000);
  expect(received).toEqual([]);
  expect({ ended, code: run.child.exitCode }).toEqual({ ended: true, code: 1 });
}, 40_000);

it('a backlog of more than 1 MiB to a server that stopped reading but keeps talking: the session ends', async () => {
  const { port } = await talkingDeafServer();
  const run = launch(['connect', `ws://127.0.0.1:${port}`], cleanup);
  await run.has(' open ');
  // 8 MB: far more than the kernel takes from a peer that does not read; the second line waits.
  run.child.stdin.write(`big:${'x'.repeat(8_000_000)}\nsecond\n`);
  await run.has('tick 5', 'stdout');
  const ended = await exitsWithin(run.exited, 25_000);
  expect({ ended, stalledSaid: run.out.stderr.includes('nothing has left the process') }).toEqual({
    ended: true,
    stalledSaid: true,
  });
}, 40_000);
