import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createVirtualClock } from '@resock/core/testing';
import {
  type Client,
  type CloseRecord,
  createClient,
  type ReconnectingEvent,
  type StandardSchemaV1,
} from '@resock/node';
import { describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import { serverPerTest } from './fixtures/serverPerTest';
import { startSilentUpgradeServer } from './fixtures/silentUpgradeServer';

const context = serverPerTest();

const connect = () => {
  const client = createClient({ url: `${context.server.url}/hostile`, heartbeat: false });
  context.clients.push(client);
  return client;
};
const firstDecision = (client: Client) =>
  new Promise<ReconnectingEvent>((resolve) => client.once('reconnecting', resolve));

/** A close frame by hand: code, then reason bytes (which may be invalid). */
function closeFrame(code: number, reason: readonly number[]): number[] {
  const payload = [code >> 8, code & 0xff, ...reason];
  return payload.length < 126
    ? [0x88, payload.length, ...payload]
    : [0x88, 126, payload.length >> 8, payload.length & 0xff, ...payload];
}

describe('a hostile or broken server', () => {
  it.each([
    ['0', 1000, 1000, 1100],
    ['315360000', 600_000, 600_000, 660_000], // ten years: clamped to 10 min (+0–10 %)
  ])('Retry-After: %s is clamped (retryAfterMs %d)', async (value, clamped, low, high) => {
    context.server.plan({ kind: 'reject', status: 429, headers: { 'Retry-After': value } });
    const { record, decision } = await firstDecision(connect());
    expect(record.handshake).toEqual({ status: 429, retryAfterMs: clamped });
    expect(decision.delayMs).toBeGreaterThanOrEqual(low);
    expect(decision.delayMs).toBeLessThanOrEqual(high);
  });

  it.each(['-5', 'soon', '1.5'])('Retry-After: %s is ignored, and the 429 floor of 30 s applies', async (value) => {
    context.server.plan({ kind: 'reject', status: 429, headers: { 'Retry-After': value } });
    const { record, decision } = await firstDecision(connect());
    expect(record.handshake).toEqual({ status: 429 });
    expect(decision.delayMs).toBeGreaterThanOrEqual(30_000);
    expect(decision.delayMs).toBeLessThanOrEqual(36_000);
  });

  it.each([
    ['a close reason of invalid UTF-8', closeFrame(4000, [0xff, 0xfe]), 'WS_ERR_INVALID_UTF8'],
    [
      'a close reason of 124 bytes',
      closeFrame(4000, new Array(124).fill(0x61)),
      'WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH',
    ],
    ['the invalid close code 2999', closeFrame(2999, []), 'WS_ERR_INVALID_CLOSE_CODE'],
    ['the local-only code 1005 on the wire', closeFrame(1005, []), 'WS_ERR_INVALID_CLOSE_CODE'],
  ])('%s: a 1006 record naming the violation, and a retry with back-off', async (_label, bytes, code) => {
    context.server.plan({ kind: 'raw', bytes });
    const { record, decision } = await firstDecision(connect());
    expect(record).toMatchObject({ code: 1006, wasClean: false, error: { code } });
    expect(decision).toMatchObject({ action: 'retry', rule: 'default:transient' });
  });

  it('an HTTP 101 without Connection: Upgrade: a broken handshake, retried (at most 3 in a row)', async () => {
    context.server.plan({ kind: 'reject', status: 101 });
    const { record, decision } = await firstDecision(connect());
    expect(record).toMatchObject({ code: 1006, phase: 'connecting', handshake: { status: 101 } });
    expect(decision).toMatchObject({ action: 'retry', rule: 'default:http-invalid-upgrade' });
  });

  it('a server that never answers the upgrade: the connect deadline ends the attempt, and the next one follows', async () => {
    context.server.plan({ kind: 'hang' }, { kind: 'hang' });
    const client = createClient({ url: `${context.server.url}/hostile`, heartbeat: false, connectTimeoutMs: 200 });
    context.clients.push(client);
    const { record, decision } = await firstDecision(client);
    expect(record).toMatchObject({ code: 1006, phase: 'connecting', initiator: 'timeout', wasClean: false });
    expect(decision.action).toBe('retry');
    await context.server.waitForAttempts(2);
  });

  // ws's own handshake timer is not set (it stays on every open socket): core's deadline must
  // still free each abandoned attempt's TCP socket, as the server sees.
  it('each handshake the connect deadline gives up on lets go of its TCP socket', async () => {
    const server = await startSilentUpgradeServer();
    try {
      const client = createClient({ url: server.url, heartbeat: false, connectTimeoutMs: 200 });
      await server.until((accepted, open) => accepted >= 3 && open <= 1); // two given up on
      await client.close();
      await server.until((_accepted, open) => open === 0);
    } finally {
      await server.stop();
    }
  });

  it('a subprotocol the client did not offer: the attempt fails before open and is retried', async () => {
    context.server.plan({ kind: 'unofferedProtocol', protocol: 'evil' });
    const { record, decision } = await firstDecision(connect());
    expect(record).toMatchObject({
      code: 1006,
      phase: 'connecting',
      error: { message: expect.stringMatching(/subprotocol/) },
    });
    expect(decision.action).toBe('retry');
  });

  it('a flood of 20 000 messages: all delivered, the client stays open and queues nothing', async () => {
    context.server.plan({ kind: 'stream', count: 20_000 });
    const client = connect();
    let received = 0;
    await new Promise<void>((resolve) =>
      client.on('message', () => {
        if (++received === 20_000) resolve();
      }),
    );
    expect(client.state).toBe('open');
    expect(client.stats.messagesQueued).toBe(0);
  });

  it('a server that accepts, then closes at once, forever: the back-off keeps growing, never reset by the opens', async () => {
    context.server.setDefault({ kind: 'close', code: 4001, reason: 'go away' });
    const client = createClient({
      url: `${context.server.url}/hostile`,
      heartbeat: false,
      policy: { preset: 'none', backoff: { type: 'exponential', initialDelayMs: 5, maxDelayMs: 40, jitter: 'none' } },
    });
    context.clients.push(client);
    const seen: ReconnectingEvent[] = [];
    await new Promise<void>((resolve) =>
      client.on('reconnecting', (event) => {
        if (seen.push(event) === 6) resolve();
      }),
    );
    expect(client.stats.attempts).toBeGreaterThanOrEqual(6);
    expect(seen.map((e) => e.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seen.map((e) => e.delayMs)).toEqual([5, 10, 20, 40, 40, 40]);
    expect(seen.every((e) => e.record.code === 4001 && e.record.phase === 'open')).toBe(true);
  });

  it('records stay records: a hostile close is never thrown out of the client', async () => {
    context.server.plan({ kind: 'raw', bytes: [0x88, 1, 0x03] }); // a 1-byte close body
    const client = connect();
    const record = await new Promise<CloseRecord>((resolve) => client.once('close', resolve));
    expect(record).toMatchObject({ code: 1006, wasClean: false });
    expect(['waiting', 'connecting']).toContain(client.state);
  });

  it('a server that pings but never answers the client’s ping: found out, its pings are no answer', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
    await once(wss, 'listening');
    try {
      const connected = new Promise<ServerSocket>((resolve) => wss.once('connection', resolve));
      const clock = createVirtualClock();
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
      const client = createClient({ url, clock, policy: { backoff: { type: 'constant', delayMs: 600_000 } } });
      context.clients.push(client);
      await client.opened();
      const server = await connected;
      const closes: CloseRecord[] = [];
      client.on('close', (record) => closes.push(record));
      // 5 s of virtual time per server ping, each heard by the client (its pong says so): the
      // heartbeat (30 s, then 10 s to answer) pinged once, and what moves is only the server's.
      let elapsed = 0;
      while (elapsed < 600_000) {
        clock.advance(5000);
        elapsed += 5000;
        if (closes.length > 0) break;
        const ponged = once(server, 'pong');
        server.ping();
        await ponged;
      }
      // Before: each of the server's pings counted as a slow link's progress, and extended the
      // pong's deadline for as long as they came: the client stayed open, parked, for good.
      expect(closes[0]).toMatchObject({ code: 1006, initiator: 'heartbeat' });
      // Ten timeoutMs after its ping (30 s + 100 s), not the whole 10 min.
      expect(elapsed).toBe(130_000);
    } finally {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  });

  it('a flood faster than an async schema: the socket stops being read, so the backlog stays bounded', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(wss, 'listening');
    const total = 20_000;
    const kilobyte = 'x'.repeat(1000);
    wss.on('connection', (socket) => {
      for (let i = 0; i < total; i++) socket.send(`"${kilobyte}"`);
    });
    try {
      // One validation at a time, one per turn of the event loop: slower than the link.
      let tail: Promise<unknown> = Promise.resolve();
      let waiting = 0;
      let most = 0;
      const messages: StandardSchemaV1<unknown, unknown> = {
        '~standard': {
          version: 1,
          vendor: 'test',
          validate: (value) => {
            most = Math.max(most, ++waiting);
            tail = tail.then(() => new Promise((resolve) => setImmediate(resolve)));
            return tail.then(() => {
              waiting--;
              return { value };
            });
          },
        },
      };
      const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`;
      const client = createClient({ url, messages, heartbeat: false });
      context.clients.push(client);
      let heard = 0;
      await new Promise<void>((resolve) => client.on('message', () => ++heard === total && resolve()));
      // Before: the whole flood waited to be validated (about 20 000 here; 60 000 messages of
      // 1 KB held 149 MB). Now 1000 at most, plus what was already read with the last chunk.
      expect(most).toBeLessThanOrEqual(1000 + 200);
      expect(client.state).toBe('open');
    } finally {
      for (const socket of wss.clients) socket.terminate();
      await new Promise((resolve) => wss.close(resolve));
    }
  }, 60_000);
});
