// How the ways a Node connection fails that ws reports alike (1006) are told apart in the record,
// and what the default policy does with each: a bad certificate, a 101 the client refuses, a
// message over maxPayload, a refused dual-stack host. Every server here is real and local.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer, type LookupFunction, type Server, type Socket } from 'node:net';
import { type Client, createClient, nodeTransport } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { listenLocally } from './fixtures/listenLocally';
import { firstOutcome, type Outcome } from './fixtures/outcomes';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const listen = (server: Server) => listenLocally(server, cleanup);

/** A TCP server that hands the first bytes of each connection (the HTTP request) to `answer`. */
function rawServer(answer: (socket: Socket, request: string) => void): Promise<number> {
  return listen(createServer((socket) => socket.once('data', (data) => answer(socket, data.toString('latin1')))));
}

/** A 101 answer to `request`, with `extra` header lines and, unless given, the right accept key. */
function upgradeAnswer(request: string, extra = '', accept?: string): string {
  const key = /sec-websocket-key: *([^\r\n]+)/i.exec(request)?.[1]?.trim() ?? '';
  const expected = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept ?? expected}\r\n${extra}\r\n`;
}

function track(client: Client): Client {
  cleanup.push(() => client.close());
  return client;
}

/**
 * Decisions in a row, until the client fails, a wait of 30 s or more (a throttle) comes, or
 * `max` quick retries have been made: a permanent misconfiguration should end in one of the
 * first two.
 */
function outcomesInARow(client: Client, max: number): Promise<Outcome[]> {
  const seen: Outcome[] = [];
  return new Promise((resolve) => {
    client.on('failed', ({ record, decision }) => {
      seen.push({ event: 'failed', record, decision });
      resolve(seen);
    });
    client.on('reconnecting', ({ record, decision }) => {
      seen.push({ event: 'reconnecting', record, decision });
      if (decision.delayMs >= 30_000 || seen.length >= max) resolve(seen);
    });
  });
}

const summary = (seen: Outcome[]) =>
  seen.map(({ event, decision }) => `${event} ${decision.rule} ${Math.round(decision.delayMs)} ms`).join('; ');
const givenUp = (seen: Outcome[]) =>
  seen.some(({ event, decision }) => event === 'failed' || decision.delayMs >= 30_000);

/**
 * The default preset's rows, with the policy's back-off made quick (5 ms) so that a run of
 * attempts takes milliseconds: rows with their own back-off (throttles) and every limit stay.
 */
const quickDefault = { backoff: { type: 'constant', delayMs: 5 } } as const;

// ── TLS ───────────────────────────────────────────────────────────────────────────────────────

interface Pem {
  key: string;
  cert: string;
}

/**
 * Test certificates (fixtures/tls, made by its make.sh; the keys protect nothing): a CA the client
 * trusts, a leaf it signed that expired in 2020, one for another host, and a self-signed one. All
 * are valid from 2024 on, so no machine's clock finds one not yet valid.
 */
const tls = (file: string) => readFileSync(new URL(`./fixtures/tls/${file}`, import.meta.url), 'utf8');
const certs = {
  ca: tls('ca.pem'),
  selfSigned: { key: tls('self.key'), cert: tls('self.pem') },
  expired: { key: tls('leaf.key'), cert: tls('expired.pem') },
  otherHost: { key: tls('other.key'), cert: tls('other.pem') },
};

describe('a TLS handshake that cannot succeed', () => {
  /** A wss: server with `pem`; the client trusts the review CA (so only the named fault fails). */
  async function wssServer(pem: Pem): Promise<number> {
    const server = createHttpsServer(pem);
    new WebSocketServer({ server });
    return listen(server);
  }

  const cases: Array<[string, () => Promise<number>, string]> = [
    ['a self-signed certificate', () => wssServer(certs.selfSigned), 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['an expired certificate', () => wssServer(certs.expired), 'CERT_HAS_EXPIRED'],
    ['a certificate for another host', () => wssServer(certs.otherHost), 'ERR_TLS_CERT_ALTNAME_INVALID'],
    // A wss: URL pointed at a plain-text port: the server answers the ClientHello in HTTP.
    [
      'a plain-text server on a wss: URL',
      () => listen(createServer((s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\n\r\n')))),
      'EPROTO',
    ],
  ];

  // RFC 6455 §7.4.1: 1015 is "a failure to perform a TLS handshake (e.g., the server
  // certificate can't be verified)". A policy matches codes and statuses, not `error.code`: as a
  // 1006 a bad certificate was a dropped cable to every rule.
  it.each(cases)('%s is a 1015 record (TLS handshake failure), not a lost link', async (_label, start, errorCode) => {
    const port = await start();
    const client = track(
      createClient({ url: `wss://127.0.0.1:${port}/`, heartbeat: false, transport: nodeTransport({ ca: certs.ca }) }),
    );
    const { record } = await firstOutcome(client);
    expect(record.error?.code).toBe(errorCode); // the fault intended, and it is named
    expect(record).toMatchObject({ code: 1015, wasClean: false, phase: 'connecting', initiator: 'transport' });
  });

  // The same request gets the same answer: at the lost-link pace, a fleet with a bad CA bundle or
  // an expired server certificate made a TLS handshake every few seconds per client.
  it('a certificate the client cannot trust is not given up on for good by the graphqlWs preset', async () => {
    const port = await wssServer(certs.selfSigned);
    const client = track(
      createClient({
        url: `wss://127.0.0.1:${port}/`,
        heartbeat: false,
        policy: { preset: 'graphqlWs' },
        transport: nodeTransport({ ca: certs.ca }),
      }),
    );
    const { event, record, decision } = await firstOutcome(client);
    expect(record).toMatchObject({ code: 1015, error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    expect({ event, rule: decision.rule }).toEqual({ event: 'reconnecting', rule: 'graphqlWs:tls-handshake' });
  });

  it.each(cases)('%s is not retried for ever at the lost-link pace by the default policy', async (_label, start) => {
    const port = await start();
    const client = track(
      createClient({
        url: `wss://127.0.0.1:${port}/`,
        heartbeat: false,
        policy: quickDefault,
        transport: nodeTransport({ ca: certs.ca }),
      }),
    );
    const seen = await outcomesInARow(client, 8);
    expect(givenUp(seen), summary(seen)).toBe(true);
  });
});

// ── a 101 the client must reject ──────────────────────────────────────────────────────────────

describe('a 101 answer the client must reject', () => {
  const cases: Array<[string, (request: string) => string, string[]]> = [
    ['a wrong Sec-WebSocket-Accept', (r) => upgradeAnswer(r, '', 'AAAAAAAAAAAAAAAAAAAAAAAAAAA='), []],
    ['a subprotocol the client did not offer', (r) => upgradeAnswer(r, 'Sec-WebSocket-Protocol: evil\r\n'), ['chat']],
    ['no subprotocol when the client required one', (r) => upgradeAnswer(r), ['chat']],
    [
      'an invalid permessage-deflate answer',
      (r) => upgradeAnswer(r, 'Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=foo\r\n'),
      [],
    ],
    // ws reports this one through 'unexpected-response' (it was WS_UNEXPECTED_RESPONSE, which a
    // rule on refused upgrades did not match).
    ['a 101 without Connection: Upgrade', () => 'HTTP/1.1 101 Switching Protocols\r\nContent-Length: 0\r\n\r\n', []],
  ];

  // The server answered, its answer is unusable. Without the status and the code, the record was
  // a connection reset before any answer.
  it.each(cases)(
    '%s keeps the server’s 101 and names the failure RESOCK_INVALID_UPGRADE',
    async (_label, answer, protocols) => {
      const port = await rawServer((socket, request) => socket.write(answer(request)));
      const client = track(createClient({ url: `ws://127.0.0.1:${port}/`, protocols, heartbeat: false }));
      const { record } = await firstOutcome(client);
      expect(record).toMatchObject({ code: 1006, wasClean: false, phase: 'connecting' });
      expect(record.error?.message).toBeTruthy();
      expect(record.handshake?.status).toBe(101);
      expect(record.error?.code).toBe('RESOCK_INVALID_UPGRADE');
    },
  );

  // The client and the server disagree on the application protocol: a deployment mismatch that
  // no retry fixes (it was retried for ever at the lost-link pace).
  it.each(cases.slice(1, 3))(
    '%s: the subprotocol mismatch is not retried for ever at the lost-link pace',
    async (_label, answer, protocols) => {
      const port = await rawServer((socket, request) => socket.write(answer(request)));
      const client = track(
        createClient({ url: `ws://127.0.0.1:${port}/`, protocols, heartbeat: false, policy: quickDefault }),
      );
      const seen = await outcomesInARow(client, 8);
      expect(givenUp(seen), summary(seen)).toBe(true);
    },
  );
});

// ── maxPayload ────────────────────────────────────────────────────────────────────────────────

describe('a message larger than the client’s maxPayload', () => {
  // ws fails the connection with a 1009 close frame (the server sees 1009), but reports 1006. The
  // same message comes again after a reconnect: arriving after stableAfterMs, it reset the
  // back-off each time, and the client reconnected within 0–1 s for ever. The peer did not
  // close: initiator 'transport'.
  it('is the 1009 the client closed with, and the default policy stops (fatal-protocol)', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const serverSaw: number[] = [];
    wss.on('connection', (socket) => {
      socket.on('error', () => undefined);
      socket.on('close', (code) => serverSaw.push(code));
      socket.send('x'.repeat(2000));
    });
    cleanup.push(async () => {
      for (const socket of wss.clients) socket.terminate();
      wss.close();
    });
    const { port } = wss.address() as AddressInfo;
    const client = track(
      createClient({
        url: `ws://127.0.0.1:${port}/`,
        heartbeat: false,
        transport: nodeTransport({ maxPayload: 1000 }),
      }),
    );
    const { event, record, decision } = await firstOutcome(client);
    expect(record.error?.code).toBe('WS_ERR_UNSUPPORTED_MESSAGE_LENGTH');
    expect(record).toMatchObject({ code: 1009, wasClean: false, phase: 'open', initiator: 'transport' });
    expect({ event, rule: decision.rule }).toEqual({ event: 'failed', rule: 'default:fatal-protocol' });
  });
});

// ── a refused dual-stack connection ───────────────────────────────────────────────────────────

describe('a refused connection to a host with IPv4 and IPv6 addresses', () => {
  // Node ≥ 20 tries every address (autoSelectFamily) and fails with an AggregateError whose
  // message is empty: a log line read "AggregateError: ". Here both addresses are 127.0.0.1 (the
  // second IPv4-mapped); `localhost` and every dual-stack name do the same.
  it('keeps a message that says what was refused', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo; // free once closed: refused
    probe.close();
    await once(probe, 'close');
    const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
      if (options?.all)
        callback(null, [
          { address: '127.0.0.1', family: 4 },
          { address: '::ffff:127.0.0.1', family: 6 },
        ]);
      else callback(null, '127.0.0.1', 4);
    }) as unknown as LookupFunction;
    const client = track(
      createClient({
        url: `ws://feed.internal:${port}/`,
        heartbeat: false,
        transport: nodeTransport({ lookup } as never),
      }),
    );
    const { record, decision } = await firstOutcome(client);
    expect(record).toMatchObject({ code: 1006, phase: 'connecting', error: { code: 'ECONNREFUSED' } });
    expect(decision).toMatchObject({ action: 'retry', rule: 'default:transient' });
    expect(record.error?.message).toMatch(/ECONNREFUSED 127\.0\.0\.1:\d+/);
  });
});
