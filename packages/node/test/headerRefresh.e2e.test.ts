// Backend workers authenticate with a header more often than with the URL. `headers` given as a
// function (async too) is read before every attempt, so a token the refresh hook renewed, or one
// fetched then, goes with the next handshake; a function that throws, rejects or returns a header
// Node cannot send fails that attempt only.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createClient, InvalidOptionsError, nodeTransport } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A ws server on 127.0.0.1 that lets in only `Bearer <good>`, answering others 401; `seen` lists what came. */
async function tokenServer(good: string) {
  const seen: Array<string | undefined> = [];
  const wss = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    verifyClient: ({ req }, done) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization === `Bearer ${good}`) done(true);
      else done(false, 401);
    },
  });
  await once(wss, 'listening');
  cleanup.push(async () => {
    for (const client of wss.clients) client.terminate();
    wss.close();
    await once(wss, 'close');
  });
  return { url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/`, seen };
}

describe('nodeTransport({ headers: () => … })', () => {
  it('sends what the function returns at each attempt: a token the refresh hook renewed goes with the next one', async () => {
    const { url, seen } = await tokenServer('fresh');
    let token = 'stale';
    const refreshes: number[] = [];
    const client = createClient({
      url,
      heartbeat: false,
      transport: nodeTransport({ headers: () => ({ Authorization: `Bearer ${token}` }) }),
      refresh: async ({ record }) => {
        refreshes.push(record.handshake?.status ?? 0);
        token = 'fresh';
      },
    });
    cleanup.push(() => client.close());
    await client.opened();
    expect(refreshes).toEqual([401]);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('an async url function runs before headers(): a token fetched before every attempt goes with it', async () => {
    const { url, seen } = await tokenServer('fresh');
    let token = 'none';
    const client = createClient({
      url: async () => {
        token = await Promise.resolve('fresh'); // a token service
        return url;
      },
      heartbeat: false,
      transport: nodeTransport({ headers: () => ({ Authorization: `Bearer ${token}` }) }),
    });
    cleanup.push(() => client.close());
    await client.opened();
    expect(seen).toEqual(['Bearer fresh']);
  });

  it('a function that throws, or returns a header Node cannot send, fails that attempt (an error event), and the next one reads it again', async () => {
    const { url, seen } = await tokenServer('ok');
    const answers: Array<() => Record<string, string>> = [
      () => {
        throw new Error('no token yet');
      },
      () => ({ Authorization: 'Bearer ok\r\nX-Injected: 1' }),
      // A Headers has no own entries: sent, it would be no headers at all.
      () => new Headers({ Authorization: 'Bearer ok' }) as never,
      () => ({ Authorization: 'Bearer ok' }),
    ];
    const errors: string[] = [];
    const client = createClient({
      url,
      heartbeat: false,
      policy: {
        rules: [{ name: 'now', initiator: ['transport'], action: 'retry', backoff: { type: 'constant', delayMs: 1 } }],
      },
      transport: nodeTransport({ headers: () => (answers.shift() ?? (() => ({})))() }),
    });
    cleanup.push(() => client.close());
    client.on('error', (error) => errors.push(error.message));
    await client.opened();
    expect(errors).toEqual([
      expect.stringContaining('no token yet'),
      expect.stringContaining('headers()["Authorization"]'),
      expect.stringContaining('headers(): expected an object of header names and values'),
    ]);
    // Neither bad attempt reached the server.
    expect(seen).toEqual(['Bearer ok']);
  });

  it('an async function: a token fetched before every attempt, told which attempt and why', async () => {
    const { url, seen } = await tokenServer('t2');
    const asked: Array<{ attempt: number; code: number | undefined }> = [];
    let issued = 0;
    const client = createClient({
      url,
      heartbeat: false,
      // As the README has it: each attempt fetches its own token, so a 401's refresh has nothing to do.
      refresh: () => {},
      transport: nodeTransport({
        headers: async ({ attempt, record }) => {
          asked.push({ attempt, code: record?.handshake?.status });
          await new Promise((resolve) => setImmediate(resolve)); // a token service
          return { Authorization: `Bearer t${++issued}` };
        },
      }),
    });
    cleanup.push(() => client.close());
    await client.opened();
    // Before: refused at each attempt (a Promise has no headers), and retried for ever.
    expect(seen).toEqual(['Bearer t1', 'Bearer t2']);
    expect(asked).toEqual([
      { attempt: 1, code: undefined },
      { attempt: 2, code: 401 },
    ]);
  });

  it('an async function that rejects fails that attempt (an error event); nothing reaches the server', async () => {
    const { url, seen } = await tokenServer('ok');
    const errors: string[] = [];
    const client = createClient({
      url,
      heartbeat: false,
      policy: { rules: [{ initiator: ['transport'], action: 'stop' }] },
      transport: nodeTransport({
        headers: async () => {
          throw new Error('token service down');
        },
      }),
    });
    client.on('error', (error) => errors.push(error.message));
    await new Promise((resolve) => client.once('failed', resolve));
    expect(errors).toEqual(['transport.prepare failed: token service down']);
    expect(seen).toEqual([]);
  });

  it('connect() called without prepare() refuses an async function, and handles its rejection', async () => {
    const transport = nodeTransport({
      headers: async () => {
        throw new Error('token service down');
      },
    });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const handlers = { onOpen() {}, onMessage() {}, onClose() {}, onError() {} };
      expect(() => transport.connect({ url: 'ws://127.0.0.1:9/', protocols: [] }, handlers)).toThrow(/not a Promise/);
      await new Promise((resolve) => setImmediate(resolve));
      // Before: the promise it dropped rejected unhandled (Node's default: the process ends).
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a static headers object is still checked at the call', () => {
    expect(() => nodeTransport({ headers: { 'Bad Name': 'x' } })).toThrow(InvalidOptionsError);
  });
});
