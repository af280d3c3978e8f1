import { once } from 'node:events';
import type { Socket } from 'node:net';
import { type CloseRecord, createClient, nodeTransport } from '@resock/node';
import { type SlowLink, startSlowLink } from '@resock/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import type { default as WebSocket, WebSocketServer } from 'ws';
import { startPlainServer, startTlsServer } from './fixtures/plainServer';

// A large message crossing a slow link holds the pong (or the close frame) behind it: the
// heartbeat and the close deadline must see a slow link, not a dead one. Scaled down: messages of
// two to eight seconds, deadlines of half a second to five. What the kernel has taken (about 4–5
// MB here, measured) drains unseen, so uploads are larger than that, and deadlines longer than
// its drain at the link's rate; the proxy keeps its rate on a loaded machine (a token bucket).
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A server behind a slow link; `tls`: over wss:, with the `transport` that trusts its certificate. */
async function serverBehind(link: Omit<Parameters<typeof startSlowLink>[0], 'targetPort'>, tls = false) {
  const server: { wss: WebSocketServer; port: number; stop(): Promise<void>; ca?: string } = tls
    ? await startTlsServer()
    : await startPlainServer();
  cleanup.push(server.stop);
  const slow: SlowLink = await startSlowLink({ targetPort: server.port, ...link });
  cleanup.push(() => slow.stop());
  const url = tls ? slow.url.replace(/^ws:/, 'wss:') : slow.url;
  return { wss: server.wss, url, transport: nodeTransport(server.ca === undefined ? {} : { ca: server.ca }) };
}

const heartbeat = { intervalMs: 300, timeoutMs: 500 };
const noRetry = { backoff: { type: 'constant', delayMs: 60_000 } } as const;
const outcome = (client: ReturnType<typeof createClient>) =>
  new Promise<{ message: unknown } | { close: CloseRecord }>((resolve) => {
    client.on('message', (data) =>
      resolve({ message: typeof data === 'string' ? data : (data as Uint8Array).byteLength }),
    );
    client.on('close', (record) => resolve({ close: record }));
  });

describe('a slow link is not a dead one (ws)', () => {
  it('the heartbeat keeps a connection that is receiving a 400 KB message at 200 KB/s', async () => {
    const { wss, url } = await serverBehind({ downBytesPerSecond: 200_000 });
    wss.on('connection', (ws) => ws.send(Buffer.alloc(400_000, 7)));
    const client = createClient({ url, heartbeat, policy: noRetry });
    cleanup.push(() => client.close());
    expect(await outcome(client)).toEqual({ message: 400_000 });
  });

  it('close() with a little still pending (no drain will be signalled): the close frame still goes', async () => {
    const { wss, port, stop } = await startPlainServer();
    cleanup.push(stop);
    const serverSide = new Promise<WebSocket>((resolve) => wss.on('connection', resolve));
    let opened = () => undefined as void;
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const connection = nodeTransport().connect(
      { url: `ws://127.0.0.1:${port}`, protocols: [] },
      { onOpen: () => opened(), onMessage: () => undefined, onError: () => undefined, onClose: () => undefined },
    );
    await open;
    const server = await serverSide;
    const serverTcp = (server as unknown as { _socket: Socket })._socket;
    serverTcp.pause(); // the peer stops reading: the kernel's buffers fill
    const tcp = (connection as unknown as { socket: { _socket: Socket } }).socket._socket;
    for (let sends = 0; tcp.writableLength === 0 && sends < 200_000; sends++) connection.send(Buffer.alloc(1000, 1));
    // Pending, yet below the high-water mark: Node will emit no 'drain' for it.
    expect(tcp.writableLength).toBeGreaterThan(0);
    expect(tcp.writableNeedDrain).toBe(false);
    connection.close(1000, 'bye');
    serverTcp.resume();
    const [code] = (await once(server, 'close')) as [number];
    expect(code).toBe(1000);
  });
});

// Over TLS the socket's own handle holds a whole write until its last byte is sent: what the
// kernel took is read from the TCP handle under it, or an upload looked like a dead link.
describe.each([
  ['ws', false],
  ['wss', true],
])('an upload over a slow link is not a dead link (%s)', (_scheme, tls) => {
  it('the heartbeat keeps a connection that is sending a 16 MB message at 2 MB/s', async () => {
    const { wss, url, transport } = await serverBehind({ upBytesPerSecond: 2_000_000 }, tls);
    wss.on('connection', (ws) => ws.on('message', (data: Buffer) => ws.send(`got ${data.length}`)));
    const client = createClient({ url, transport, heartbeat: { intervalMs: 300, timeoutMs: 3000 }, policy: noRetry });
    cleanup.push(() => client.close());
    await client.opened();
    expect(client.send(new Uint8Array(16_000_000))).toBe('sent');
    expect(await outcome(client)).toEqual({ message: 'got 16000000' });
  }, 30_000); // 8 s of upload at the least: past two deadlines, the kernel's share aside

  it('bufferedAmount shrinks while one large message crosses, not only once it is all sent', async () => {
    const { url, transport } = await serverBehind({ upBytesPerSecond: 4_000_000 }, tls);
    const client = createClient({ url, transport, heartbeat: false });
    cleanup.push(() => client.close());
    await client.opened();
    client.send(new Uint8Array(16_000_000));
    const first = client.bufferedAmount;
    expect(first).toBeGreaterThan(8_000_000); // the kernel took a few MB at once
    // No event says the kernel took bytes: read every 50 ms until 2 MB have left (half a
    // second at the link's rate), while most of the message still waits.
    const left = await new Promise<number>((resolve) => {
      const timer = setInterval(() => {
        if (client.bufferedAmount > first - 2_000_000) return;
        clearInterval(timer);
        resolve(client.bufferedAmount);
      }, 50);
    });
    expect(left).toBeGreaterThan(2_000_000);
  }, 30_000);

  it('close() right after a large send: the message arrives whole and the close is clean', async () => {
    const { wss, url, transport } = await serverBehind({ upBytesPerSecond: 4_000_000 }, tls);
    const received = new Promise<number>((resolve) =>
      wss.on('connection', (ws) => ws.on('message', (data: Buffer) => resolve(data.length))),
    );
    // 32 MB at 4 MB/s: more than a 5 s deadline (ws's own, from close()) would let through.
    const client = createClient({ url, transport, heartbeat: false, closeTimeoutMs: 5000 });
    await client.opened();
    expect(client.send(new Uint8Array(32_000_000))).toBe('sent');
    const record = await client.close(1000, 'done');
    expect(record).toMatchObject({ code: 1000, reason: 'done', wasClean: true, synthetic: false });
    expect(await received).toBe(32_000_000);
  }, 30_000);
});
