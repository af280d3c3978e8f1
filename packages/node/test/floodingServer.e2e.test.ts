// Floods from a hostile server against the real client, on real local sockets (raw TCP speaking
// just enough WebSocket to do harm, or a ws server): what the client lets them cost it.
import { createHash } from 'node:crypto';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { type Client, type CloseRecord, createClient, type NodeClientOptions } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { wsOf } from './fixtures/connectedPair';
import { listenLocally } from './fixtures/listenLocally';
import { startPlainServer } from './fixtures/plainServer';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * A TCP server that completes the WebSocket handshake by hand, then gives the socket to
 * `upgraded` (which may stop reading it, or write any bytes at all).
 */
async function rawServer(upgraded: (socket: Socket) => void): Promise<string> {
  const server = createServer((socket) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      const key = /sec-websocket-key:\s*(\S+)/i.exec(head)?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      upgraded(socket);
    };
    socket.on('data', onData);
  });
  const port = await listenLocally(server, cleanup);
  return `ws://127.0.0.1:${port}/`;
}

/** Writes `chunk` for ever, as fast as the peer takes it, until the socket ends or `stop()`. */
function pump(socket: Socket, chunk: Buffer): () => void {
  let stopped = false;
  const go = () => {
    while (!stopped && !socket.destroyed && socket.write(chunk));
    if (!stopped && !socket.destroyed) socket.once('drain', go);
  };
  go();
  return () => {
    stopped = true;
  };
}

/** The client's own backlog in the process: what its TCP socket holds unwritten. */
const backlogOf = (client: Client): number =>
  (wsOf(client) as unknown as { _socket?: Socket } | undefined)?._socket?.writableLength ?? 0;

/** A client that retries only after a minute (each test is about one connection), and its first close. */
function firstClose(options: NodeClientOptions) {
  const client = createClient({ policy: { backoff: { type: 'constant', delayMs: 60_000 } }, ...options });
  cleanup.push(() => client.close());
  const closed = new Promise<CloseRecord>((resolve) => client.once('close', resolve));
  return { client, closed };
}

describe('a flooding server', () => {
  it('a ping flood from a server that never reads: the connection is cut, not the pongs queued for ever', async () => {
    // 32 768 empty pings per 64 KiB: each makes ws queue a 6-byte masked pong the server never reads.
    const pings = Buffer.alloc(64 * 1024);
    for (let i = 0; i < pings.length; i += 2) pings[i] = 0x89;
    let stopPump: () => void = () => undefined;
    const url = await rawServer((socket) => {
      socket.pause(); // never reads again
      stopPump = pump(socket, pings);
    });
    cleanup.push(() => stopPump());
    const { client, closed } = firstClose({ url });
    await client.opened();
    // ws (8.23: maxPendingAutoPongs 60) terminates the socket rather than queue pongs without
    // end: a 1006 from the transport, retried.
    expect(await closed).toMatchObject({ code: 1006, initiator: 'transport' });
  }, 60_000);

  it('a message in 1-byte fragments that never ends: ws cuts it at its fragment limit', async () => {
    const fragments = Buffer.alloc(3 * 21_845);
    for (let i = 0; i < fragments.length; i += 3) {
      fragments[i] = 0x00; // continuation, not final
      fragments[i + 1] = 0x01;
      fragments[i + 2] = 0x61;
    }
    let stopPump: () => void = () => undefined;
    const url = await rawServer((socket) => {
      socket.write(Buffer.from([0x01, 0x01, 0x61])); // a text frame, not final
      stopPump = pump(socket, fragments);
    });
    cleanup.push(() => stopPump());
    const { closed } = firstClose({ url, heartbeat: false });
    // ws holds at most 16 384 fragments of a message (maxFragments), then fails the connection.
    expect(await closed).toMatchObject({
      code: 1006,
      initiator: 'transport',
      error: { code: 'WS_ERR_TOO_MANY_BUFFERED_PARTS' },
    });
  }, 60_000);

  it('a server that never reads, then never answers the close: close() settles by closeTimeoutMs', async () => {
    const url = await rawServer((socket) => socket.pause());
    const client = createClient({ url, heartbeat: false, closeTimeoutMs: 300 });
    cleanup.push(() => client.close());
    await client.opened();
    const big = 'x'.repeat(2 ** 20);
    for (let i = 0; i < 16; i++) client.send(big);
    expect(backlogOf(client)).toBeGreaterThan(8 * 2 ** 20); // the kernel took a few MB at most
    const started = Date.now();
    const record = await client.close();
    expect(Date.now() - started).toBeLessThan(1500);
    expect(record).toMatchObject({ code: 1006, wasClean: false });
  }, 30_000);

  // Held before the acceptance were at most 999 messages of any size until the connect deadline:
  // a GB per attempt, from a MB on the wire with permessage-deflate (offered by default).
  it.each([
    ['plain', false],
    ['permessage-deflate', true],
  ])(
    'a server that floods MiB messages (%s) and never accepts the greeting: the attempt fails past 16 MiB',
    async (_label, deflate) => {
      const { wss, stop } = await startPlainServer({ perMessageDeflate: deflate });
      cleanup.push(stop);
      const mebibyte = 'm'.repeat(2 ** 20);
      wss.on('connection', (socket) => {
        // One after another, each once the last is written (a burst of 1 GiB fails with ENOBUFS).
        let sent = 0;
        const next = (error?: Error) => {
          if (!error && ++sent <= 999) socket.send(mebibyte, next);
        };
        next();
      });
      const { client, closed } = firstClose({
        url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`,
        heartbeat: false,
        greeting: { message: 'hello', isAccepted: (data) => data === 'welcome' },
      });
      expect(await closed).toMatchObject({
        code: 1006,
        phase: 'connecting',
        error: { message: expect.stringMatching(/more than 16 MiB came before the greeting was accepted/) },
      });
      expect(client.stats.messagesReceived).toBe(17);
    },
    30_000,
  );
});
