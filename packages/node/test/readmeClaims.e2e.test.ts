// What the README and the transport's doc comments promise, where no other test holds them to
// it: real ws servers (or raw TCP answers) on 127.0.0.1.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createVirtualClock } from '@resock/core/testing';
import {
  type AttemptContext,
  type Client,
  createClient,
  nativeTransport,
  nodeTransport,
  ReconnectingWebSocket,
} from '@resock/node';
import { WebSocket as UndiciWebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { conditions } from './fixtures/conditions';
import { listenLocally } from './fixtures/listenLocally';
import { localLookup } from './fixtures/localLookup';
import { firstOutcome, type Outcome } from './fixtures/outcomes';
import { startPlainServer } from './fixtures/plainServer';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function track<T extends Client>(client: T): T {
  cleanup.push(() => client.close());
  return client;
}

/** A raw TCP server on 127.0.0.1 answering the first bytes (the HTTP request) of each connection. */
function rawServer(answer: (socket: Socket, request: string, port: number) => void) {
  const requests: string[] = [];
  const server = createServer((socket) =>
    socket.once('data', (data) => {
      requests.push(data.toString('latin1'));
      answer(socket, data.toString('latin1'), (server.address() as AddressInfo).port);
    }),
  );
  return listenLocally(server, cleanup).then((port) => ({ port, requests }));
}

/** A ws server on 127.0.0.1 recording each handshake's headers. */
async function recordingServer() {
  const { wss, port, stop } = await startPlainServer();
  const handshakes: IncomingHttpHeaders[] = [];
  wss.on('connection', (_socket, req) => handshakes.push(req.headers));
  cleanup.push(stop);
  return { wss, port, handshakes };
}

describe('README: requireTls refusing a redirect to plain text', () => {
  // "a 1006 without a status, which the default policy retries like a lost link".
  it('is a 1006 with no status and error RESOCK_INSECURE_REDIRECT, retried by the default policy', async () => {
    const plain = await recordingServer();
    const { port } = await rawServer((socket) =>
      socket.write(
        `HTTP/1.1 302 Found\r\nLocation: ws://elsewhere.example:${plain.port}/\r\nContent-Length: 0\r\n\r\n`,
      ),
    );
    const client = track(
      createClient({
        url: `ws://127.0.0.1:${port}/`,
        requireTls: true,
        heartbeat: false,
        transport: nodeTransport({ followRedirects: true, lookup: localLookup } as never),
      }),
    );
    const { event, record, decision } = await firstOutcome(client);
    expect(record).toMatchObject({ code: 1006, phase: 'connecting', error: { code: 'RESOCK_INSECURE_REDIRECT' } });
    expect(record.handshake).toBeUndefined();
    expect({ event, rule: decision.rule }).toEqual({ event: 'reconnecting', rule: 'default:transient' });
    expect(plain.handshakes).toEqual([]);
  });
});

describe('README: where a followed redirect led', () => {
  // "The open event's url and client.url name where the redirects led (redacted); each new
  // attempt starts again from the configured URL."
  it('the open url is where it led, redacted; the next attempt starts from the configured URL', async () => {
    const target = await recordingServer();
    const { port, requests } = await rawServer((socket) =>
      socket.write(
        `HTTP/1.1 302 Found\r\nLocation: ws://127.0.0.1:${target.port}/feed?token=SECRET\r\nContent-Length: 0\r\n\r\n`,
      ),
    );
    const client = track(
      createClient({
        url: `ws://127.0.0.1:${port}/start`,
        heartbeat: false,
        policy: { backoff: { type: 'constant', delayMs: 10 } },
        transport: nodeTransport({ followRedirects: true }),
      }),
    );
    const first = await client.opened();
    expect(first.url).toBe(`ws://127.0.0.1:${target.port}/feed?token=***`);
    expect(client.url).toBe(`ws://127.0.0.1:${target.port}/feed?token=***`);
    const reopened = new Promise<{ url: string }>((resolve) => client.once('open', resolve));
    for (const socket of target.wss.clients) socket.close(4001, 'again');
    await reopened;
    expect(requests).toHaveLength(2); // the second attempt went to the configured URL again
    expect(target.handshakes).toHaveLength(2);
  });
});

describe('README: headers() time counts toward connectTimeoutMs; its signal is aborted if the attempt is given up', () => {
  it('a headers() that never answers ends the attempt at connectTimeoutMs, and its signal is aborted', async () => {
    const target = await recordingServer();
    const contexts: AttemptContext[] = [];
    const client = track(
      createClient({
        url: `ws://127.0.0.1:${target.port}/`,
        heartbeat: false,
        connectTimeoutMs: 200,
        policy: { rules: [{ initiator: ['timeout'], action: 'stop' }] },
        transport: nodeTransport({
          headers: (context) => {
            contexts.push(context);
            return new Promise<Record<string, string>>(() => undefined);
          },
        }),
      }),
    );
    const { event, record } = await firstOutcome(client);
    expect(event).toBe('failed');
    expect(record).toMatchObject({ initiator: 'timeout', phase: 'connecting' });
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.signal.aborted).toBe(true);
    expect(target.handshakes).toEqual([]);
  });
});

describe('README: maxPayload and the rule that reconnects instead', () => {
  // `{ codes: [1009], initiator: ['transport'], action: 'retry' }` reconnects.
  it('with the README’s rule, a message over maxPayload is retried', async () => {
    const { wss, port, stop } = await startPlainServer();
    cleanup.push(stop);
    wss.on('connection', (socket) => {
      socket.on('error', () => undefined);
      socket.send('x'.repeat(2000));
    });
    const client = track(
      createClient({
        url: `ws://127.0.0.1:${port}/`,
        heartbeat: false,
        policy: { rules: [{ codes: [1009], initiator: ['transport'], action: 'retry' }] },
        transport: nodeTransport({ maxPayload: 1000 }),
      }),
    );
    const { event, record, decision } = await firstOutcome(client);
    expect(record).toMatchObject({ code: 1009, initiator: 'transport' });
    expect({ event, rule: decision.rule }).toEqual({ event: 'reconnecting', rule: 'rules[0]' });
  });
});

describe('README: the heartbeat is on with ReconnectingWebSocket too', () => {
  it('ReconnectingWebSocket (no options but a clock) pings after 30 s of quiet', async () => {
    const { wss, port, stop } = await startPlainServer();
    cleanup.push(stop);
    const clock = createVirtualClock();
    const ws = new ReconnectingWebSocket(`ws://127.0.0.1:${port}/`, null, { clock });
    cleanup.push(() => ws.client.close());
    const socketP = once(wss, 'connection').then(([s]) => s as import('ws').WebSocket);
    await ws.client.opened();
    const pinged = once(await socketP, 'ping');
    clock.advance(30_000);
    await pinged;
  });
});

describe('README table: a failed handshake with nothing known (nativeTransport) is the handshake-unknown row', () => {
  // The WHATWG transport sees no status; with `refresh`, fresh
  // credentials after the 2nd failure in a row.
  it('a 401 seen through nativeTransport: retried by handshake-unknown, refresh on the 2nd failure', async () => {
    const { port } = await rawServer((socket) =>
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
    );
    const seen: Outcome[] = [];
    const client = track(
      createClient({
        url: `ws://127.0.0.1:${port}/`,
        transport: nativeTransport({ WebSocket: UndiciWebSocket }),
        policy: { backoff: { type: 'constant', delayMs: 5 } },
        refresh: () => {},
      }),
    );
    const two = new Promise<void>((resolve) =>
      client.on('reconnecting', ({ record, decision }) => {
        seen.push({ event: 'reconnecting', record, decision });
        if (seen.length === 2) resolve();
      }),
    );
    await two;
    expect(seen.map(({ decision }) => `${decision.rule} ${decision.action}`)).toEqual([
      'default:handshake-unknown retry',
      'default:handshake-unknown refresh',
    ]);
  });
});

describe('NodeTransportOptions doc: ws’s closeTimeout defaults to the client’s closeTimeoutMs', () => {
  // without it ws waits 30 s for the peer to end TCP after a close.
  it('a peer that takes the close frame and never answers is let go after the request’s closeTimeoutMs', async () => {
    const { port } = await rawServer((socket, request) => {
      socket.write(upgradeAnswer(request));
      socket.on('data', () => undefined); // reads the close frame, never answers, never ends TCP
    });
    const transport = nodeTransport();
    const when = conditions();
    let opened = false;
    let closedAt: number | undefined;
    const connection = transport.connect(
      { url: `ws://127.0.0.1:${port}/`, protocols: [], connectTimeoutMs: 5000, closeTimeoutMs: 300 },
      {
        onOpen: () => {
          opened = true;
          when.changed();
        },
        onMessage: () => undefined,
        onError: () => undefined,
        onClose: () => {
          closedAt = performance.now();
          when.changed();
        },
      },
    );
    cleanup.push(() => connection.terminate?.());
    await when.until(() => opened);
    const start = performance.now();
    connection.close(1000, 'bye');
    await when.until(() => closedAt !== undefined);
    expect((closedAt ?? 0) - start).toBeGreaterThanOrEqual(250);
    expect((closedAt ?? 0) - start).toBeLessThan(2000);
  });
});

/** A 101 answer to `request`, with the right accept key. */
function upgradeAnswer(request: string, extra = ''): string {
  const key = /sec-websocket-key: *([^\r\n]+)/i.exec(request)?.[1]?.trim() ?? '';
  const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${extra}\r\n`;
}
