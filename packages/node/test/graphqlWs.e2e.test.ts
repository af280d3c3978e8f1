// resock as a graphql-ws client, against graphql-ws's own server: the greeting is its
// connection_init / connection_ack, the heartbeat its ping / pong, the `graphqlWs` preset its
// close codes. What docs/migrating.md tells a graphql-ws user to write is what runs here.
import type { Client, FailedEvent, NodeClientOptions, ReconnectingEvent } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { conditions } from './fixtures/conditions';
import { startGraphqlWsServer } from './fixtures/graphqlWsServer';
import { quickClient } from './fixtures/quickClient';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function server(options: Parameters<typeof startGraphqlWsServer>[0] = {}) {
  const s = await startGraphqlWsServer(options);
  cleanup.push(s.stop);
  return s;
}

type Message = { type: string; id?: string; payload?: { data?: { tick?: number } } };
const parse = (data: unknown) => JSON.parse(String(data)) as Message;

/** As the guide writes it: the graphql-ws subprotocol, the preset, init + ack. */
function graphqlClient(port: number, options: Partial<NodeClientOptions> = {}, token = () => 't') {
  const c = quickClient(cleanup, port, {
    protocols: 'graphql-transport-ws',
    policy: { preset: 'graphqlWs', backoff: { type: 'constant', delayMs: 20 } },
    greeting: {
      message: () => JSON.stringify({ type: 'connection_init', payload: { token: token() } }),
      isAccepted: (data) => parse(data).type === 'connection_ack',
    },
    ...options,
  });
  const heard: Message[] = [];
  // `until(check)`: once `check()` holds after some message the client heard.
  const { changed, until } = conditions();
  c.on('message', (data) => {
    heard.push(parse(data));
    changed();
  });
  return { c, heard, until };
}

const subscribe = (c: Client, id: string) =>
  c.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { tick }' } }));

const ticksOf = (heard: Message[]) => heard.filter((m) => m.type === 'next').map((m) => m.payload?.data?.tick);

function outcomes(c: Client) {
  const retries: ReconnectingEvent[] = [];
  c.on('reconnecting', (event) => retries.push(event));
  const failed = new Promise<FailedEvent>((resolve) => c.once('failed', resolve));
  return { retries, failed };
}

describe('resock as a graphql-ws client (graphql-ws 6 server on ws)', () => {
  it('streams a subscription, and after every socket is dropped greets again with a fresh token and resubscribes', async () => {
    const s = await server();
    let n = 0;
    const { c, heard, until } = graphqlClient(s.port, {}, () => `t${++n}`);
    c.on('open', () => subscribe(c, 'tick'));
    await s.until(() => s.live() === 1);
    s.publish(1);
    await until(() => ticksOf(heard).length === 1);

    s.dropAll();
    await s.until(() => s.seen.subscriptions === 2 && s.live() === 1);
    s.publish(2);
    await until(() => ticksOf(heard).length === 2);
    expect(ticksOf(heard)).toEqual([1, 2]);
    expect(s.seen.tokens).toEqual(['t1', 't2']);
    // Each acceptance is heard once, after `open`; nothing the app sent reached the server early.
    expect(heard.filter((m) => m.type === 'connection_ack')).toHaveLength(2);
    expect(s.seen.closes.map(([code]) => code)).not.toContain(4401);
  });

  it('a server refusing the init (onConnect → false: 4403 Forbidden) is retried 5 times in a row, as graphql-ws does, then the client fails', async () => {
    const s = await server({ onConnect: () => false });
    const { c } = graphqlClient(s.port);
    const { retries, failed } = outcomes(c);
    const stop = await failed;
    expect(retries.map((r) => [r.record.code, r.record.reason, r.rule])).toEqual(
      Array(5).fill([4403, 'Forbidden', 'graphqlWs:graphql-forbidden']),
    );
    expect(stop.reason).toBe('maxConsecutive');
    expect(stop.record).toMatchObject({ code: 4403, reason: 'Forbidden', initiator: 'server' });
  });

  it('a subscription id the server already holds (4409) stops the client: retrying would repeat it', async () => {
    const s = await server();
    const { c } = graphqlClient(s.port);
    const { retries, failed } = outcomes(c);
    c.on('open', () => {
      subscribe(c, 'same');
      subscribe(c, 'same');
    });
    const stop = await failed;
    expect(retries).toEqual([]);
    expect(stop.reason).toBe('rule');
    expect(stop.decision.rule).toBe('graphqlWs:graphql-fatal');
    expect(stop.record).toMatchObject({ code: 4409, reason: 'Subscriber for same already exists' });
  });

  it('a client that forgot the subprotocol is told 4406 and stops at once instead of hammering the server', async () => {
    const s = await server();
    const { c } = graphqlClient(s.port, { protocols: [] });
    const { retries, failed } = outcomes(c);
    const stop = await failed;
    expect(retries).toEqual([]);
    expect(stop.record).toMatchObject({ code: 4406, reason: 'Subprotocol not acceptable' });
    expect(stop.decision.rule).toBe('graphqlWs:graphql-fatal');
  });

  it('without a greeting the server times the init out (4408) and the preset retries it', async () => {
    const s = await server({ connectionInitWaitTimeout: 50 });
    const { c } = graphqlClient(s.port, { greeting: undefined });
    const retried = new Promise<ReconnectingEvent>((resolve) => c.once('reconnecting', resolve));
    const first = await retried;
    expect(first.record).toMatchObject({ code: 4408, reason: 'Connection initialisation timeout' });
    expect(first.rule).toBe('graphqlWs:graphql-retryable');
  });

  it("the heartbeat speaks graphql-ws's ping; its pongs are not told to the app", async () => {
    const s = await server();
    const { c, heard, until } = graphqlClient(s.port, {
      heartbeat: {
        intervalMs: 20,
        timeoutMs: 5000,
        message: JSON.stringify({ type: 'ping' }),
        isPong: (data) => parse(data).type === 'pong',
      },
    });
    await s.until(() => s.seen.pings >= 4);
    // The server answered the first pings long before this; on one TCP stream, the tick comes after.
    subscribe(c, 'tick');
    await s.until(() => s.live() === 1);
    s.publish(7);
    await until(() => ticksOf(heard).length === 1);
    expect(heard.map((m) => m.type)).toEqual(['connection_ack', 'next']);
    expect(c.state).toBe('open');
  });
});
