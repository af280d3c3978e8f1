// With `followRedirects` (an option nodeTransport passes through), a handshake that ends on a
// redirect ws will not follow (`maxRedirects` reached, a Location it cannot parse) is a rejected
// handshake whose last answer was a 3xx: the record keeps that status, so the default policy
// stops ("not a WebSocket endpoint", docs/close-codes.md) instead of retrying it as a lost link.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloseRecord, createClient, nodeTransport } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { listenLocally } from './fixtures/listenLocally';
import { localLookup } from './fixtures/localLookup';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A raw HTTP server on 127.0.0.1 that answers every request with `answer(port)`. */
function rawServer(answer: (port: number) => string) {
  const server = createServer((socket) =>
    socket.once('data', () => socket.write(answer((server.address() as AddressInfo).port))),
  );
  return listenLocally(server, cleanup);
}

/** What the client does after its first attempt: stops (failed) or retries, by which rule. */
function firstOutcome(client: ReturnType<typeof createClient>) {
  return new Promise<{ event: string; rule: string; status: number | undefined }>((resolve) => {
    client.once('failed', ({ decision, record }) =>
      resolve({ event: 'failed', rule: decision.rule, status: record.handshake?.status }),
    );
    client.once('reconnecting', ({ rule, record }) =>
      resolve({ event: 'reconnecting', rule, status: record.handshake?.status }),
    );
  });
}

describe('nodeTransport with followRedirects', () => {
  it.each([
    ['a redirect loop cut by maxRedirects', (self: number) => `ws://127.0.0.1:${self}/again`],
    ['a Location it cannot parse', () => 'ws://[bad'],
  ])('%s keeps its 3xx status, and the default policy stops', async (_, location) => {
    const port = await rawServer(
      (self) => `HTTP/1.1 302 Found\r\nLocation: ${location(self)}\r\nContent-Length: 0\r\n\r\n`,
    );
    const client = createClient({
      url: `ws://127.0.0.1:${port}/`,
      transport: nodeTransport({ followRedirects: true, maxRedirects: 2 }),
      heartbeat: false,
    });
    cleanup.push(() => client.close());
    expect(await firstOutcome(client)).toEqual({ event: 'failed', rule: 'default:http-not-websocket', status: 302 });
  });
});

/** A ws server on 127.0.0.1 recording each handshake's headers. */
async function recordingServer() {
  const handshakes: IncomingHttpHeaders[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (_socket, req) => handshakes.push(req.headers));
  await once(wss, 'listening');
  cleanup.push(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    await once(wss, 'close');
  });
  return { port: (wss.address() as AddressInfo).port, handshakes };
}

describe('nodeTransport with followRedirects and requireTls', () => {
  it('refuses a hop to plain text for a remote host before its request goes: nothing reaches it', async () => {
    const plain = await recordingServer();
    const port = await rawServer(() => `HTTP/1.1 302 Found\r\nLocation: ws://elsewhere.example:${plain.port}/\r\n\r\n`);
    const client = createClient({
      url: `ws://127.0.0.1:${port}/`, // this machine: allowed in plain text
      requireTls: true,
      heartbeat: false,
      // As the README advises: stop on this error code (the default policy retries it as a lost link).
      policy: { rules: [{ errors: ['RESOCK_INSECURE_REDIRECT'], action: 'stop' }] },
      // lookup: an http.request option ws passes on (not in ws's types).
      transport: nodeTransport({
        followRedirects: true,
        lookup: localLookup,
        headers: { 'X-Api-Key': 'SECRET' },
      } as never),
    });
    cleanup.push(() => client.close());
    const failed = await new Promise((resolve) => client.once('failed', ({ record }) => resolve(record.error)));
    expect(failed).toMatchObject({ code: 'RESOCK_INSECURE_REDIRECT', message: expect.stringContaining('requireTls') });
    expect(plain.handshakes).toEqual([]);
  });

  it('follows a hop it allows, says where it led, and keeps ws’s rule: another host gets no Authorization nor cookies', async () => {
    const target = await recordingServer();
    const port = await rawServer(() => `HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:${target.port}/\r\n\r\n`);
    const client = createClient({
      url: `ws://localhost:${port}/`,
      protocols: ['chat.v1'],
      requireTls: true,
      heartbeat: false,
      transport: nodeTransport({
        followRedirects: true,
        lookup: localLookup,
        headers: { Authorization: 'Bearer SECRET', Cookie: 'sid=SECRET', 'X-Trace': 't1' },
      } as never),
    });
    cleanup.push(() => client.close());
    // The open event and the client say where the redirect led.
    expect((await client.opened()).url).toBe(`ws://127.0.0.1:${target.port}/`);
    expect(client.url).toBe(`ws://127.0.0.1:${target.port}/`);
    expect(target.handshakes).toHaveLength(1);
    // The other headers and the subprotocols go along.
    expect(target.handshakes[0]).toMatchObject({
      'x-trace': 't1',
      host: `127.0.0.1:${target.port}`,
      'sec-websocket-protocol': 'chat.v1',
    });
    expect(target.handshakes[0]?.authorization).toBeUndefined();
    expect(target.handshakes[0]?.cookie).toBeUndefined();
  });
});

describe('a redirect to a local socket (ws+unix:)', () => {
  it('is refused from a network URL, with or without requireTls: no request reaches the socket', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resock-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'daemon.sock');
    // What a request would have said to it (the socket may see a connect cut short: no request).
    let heard = '';
    const daemon = createServer((socket) =>
      socket.on('data', (data) => {
        heard += data.toString('latin1');
      }),
    ).listen(path);
    await once(daemon, 'listening');
    cleanup.push(() => new Promise((resolve) => daemon.close(resolve)));
    const port = await rawServer(() => `HTTP/1.1 302 Found\r\nLocation: ws+unix:${path}:/v1/events\r\n\r\n`);
    for (const requireTls of [false, true]) {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/`,
        requireTls,
        heartbeat: false,
        transport: nodeTransport({ followRedirects: true }),
      });
      cleanup.push(() => client.close());
      const record = await new Promise<CloseRecord>((resolve) => client.once('close', resolve));
      expect(record).toMatchObject({
        code: 1006,
        phase: 'connecting',
        error: { code: 'RESOCK_LOCAL_SOCKET_REDIRECT' },
      });
    }
    expect(heard).toBe('');
  });
});

describe('the open event’s url without a redirect', () => {
  // ws keeps an http: URL as ws:; compared as given, every http: URL looked redirected.
  it('is the URL the app gave, http: included', async () => {
    const target = await recordingServer();
    const url = `http://127.0.0.1:${target.port}/live`;
    const client = createClient({ url, heartbeat: false });
    cleanup.push(() => client.close());
    expect((await client.opened()).url).toBe(url);
    expect(client.url).toBe(url);
  });
});
