// reconnect() while the attempt a reconnect() (or a move) started is under way leaves it be: it
// is the fresh attempt asked for. Letting it go told a close, and a close listener that calls
// reconnect() — as reconnecting-websocket's users write (pladaria/reconnecting-websocket#60: "an
// infinite loop [that] crashes my site") — let the next one go in turn, for ever.
import { type CloseRecord, createClient, ReconnectingWebSocket } from '@resock/core';
import { createFakeTransport, createVirtualClock, flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** A close listener that reconnects every time, with a bound so a loop fails the test, not the run. */
function reconnectOnEveryClose(client: { on(event: 'close', listener: () => void): unknown; reconnect(): void }) {
  let calls = 0;
  client.on('close', () => {
    if (++calls <= 100) client.reconnect();
  });
  return () => calls;
}

describe('a close listener that calls reconnect()', () => {
  it("after the app's reconnect(): one fresh attempt, not a socket dialled and cut for ever", () => {
    const h = harness();
    h.transport.last().accept();
    const calls = reconnectOnEveryClose(h.client);
    h.client.reconnect();
    expect(calls()).toBe(1);
    expect(h.transport.connections).toHaveLength(2);
    expect(h.of<CloseRecord>('close')).toMatchObject([{ initiator: 'client', reason: 'reconnect', phase: 'open' }]);
    expect(h.client.state).toBe('connecting');
    h.transport.last().accept();
    expect(h.client.state).toBe('open');
  });

  it('after a move (maxConnectionAgeMs): the move’s attempt goes on', () => {
    const h = harness({ maxConnectionAgeMs: 60_000, random: () => 0 });
    h.transport.last().accept();
    const calls = reconnectOnEveryClose(h.client);
    h.clock.advance(60_000);
    expect(calls()).toBe(1);
    expect(h.transport.connections).toHaveLength(2);
    expect(h.of<CloseRecord>('close').map((r) => r.reason)).toEqual(['max-age']);
  });

  it('after a failure: the listener’s reconnect() skips the back-off (a retry attempt is not left be)', () => {
    const h = harness();
    h.transport.last().accept();
    const calls = reconnectOnEveryClose(h.client);
    h.transport.last().serverClose(1011); // the default retries after a back-off
    expect(calls()).toBe(1);
    expect(h.transport.connections).toHaveLength(2);
    expect(h.client.state).toBe('connecting');
  });

  it('on the facade, whose close events come a microtask later: no loop either', async () => {
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket('wss://chat.example.test/', undefined, {
      transport,
      clock: createVirtualClock(0),
    });
    transport.last().accept();
    let closes = 0;
    ws.onclose = () => {
      if (++closes <= 100) ws.client.reconnect();
    };
    ws.client.reconnect();
    await flushPromises();
    expect(closes).toBe(1);
    expect(transport.connections).toHaveLength(2);
    ws.onclose = null; // (its close event would reconnect a closed client)
    ws.close();
  });
});

/** A url function whose token fetch is an already rejected promise: each attempt fails within a microtask. */
function rejectingUrl(limit: { close?: () => void }) {
  let calls = 0;
  const url = async () => {
    // Were it a loop, end it: the test fails on the count, not by running out of memory.
    if (++calls > 100) limit.close?.();
    throw new Error('no token');
  };
  return { url, calls: () => calls };
}

describe('a close listener that calls reconnect(), each attempt failing before it dials', () => {
  it('dials once a turn of the event loop (a 0 ms timer), not in a microtask loop, then once a second', async () => {
    const limit: { close?: () => void } = {};
    const { url, calls } = rejectingUrl(limit);
    const clock = createVirtualClock(0);
    const client = createClient({ url, clock, transport: createFakeTransport() });
    limit.close = () => void client.close();
    client.on('error', () => undefined);
    reconnectOnEveryClose(client);
    // A real macrotask: every microtask the failures queue runs before it.
    await flushPromises();
    expect(calls()).toBe(1);
    expect(client.state).toBe('connecting'); // the listener's reconnect(): its attempt waits a turn
    clock.advance(0);
    await flushPromises();
    expect(calls()).toBe(2);
    // The listener's next reconnect() is its second: a second after the first (reconnectPacing).
    for (let i = 3; i <= 4; i++) {
      clock.advance(999);
      await flushPromises();
      expect(calls()).toBe(i - 1);
      clock.advance(1);
      await flushPromises();
      expect(calls()).toBe(i);
    }
    await client.close();
  });

  it('a transport whose connect() throws: the same', async () => {
    let dialled = 0;
    const clock = createVirtualClock(0);
    const client = createClient({
      url: 'wss://chat.example.test/',
      clock,
      transport: {
        connect() {
          if (++dialled > 100) void client.close();
          throw new Error('blocked port');
        },
      },
    });
    client.on('error', () => undefined);
    reconnectOnEveryClose(client);
    await flushPromises();
    expect(dialled).toBe(1);
    clock.advance(0);
    await flushPromises();
    expect(dialled).toBe(2);
    await client.close();
  });

  it('on the facade too', async () => {
    const limit: { close?: () => void } = {};
    const { url, calls } = rejectingUrl(limit);
    const clock = createVirtualClock(0);
    const ws = new ReconnectingWebSocket(url, undefined, { transport: createFakeTransport(), clock });
    limit.close = () => {
      ws.onclose = null;
      ws.close();
    };
    ws.client.on('error', () => undefined);
    ws.onclose = () => ws.client.reconnect();
    await flushPromises();
    expect(calls()).toBe(1);
    clock.advance(0);
    await flushPromises();
    expect(calls()).toBe(2);
    limit.close();
  });

  it('disconnect() while an attempt waits its turn: nothing dialled, no timer left', async () => {
    const { url, calls } = rejectingUrl({});
    const clock = createVirtualClock(0);
    const client = createClient({ url, clock, transport: createFakeTransport() });
    client.on('error', () => undefined);
    await flushPromises();
    client.reconnect(); // waits its turn
    client.disconnect();
    expect(clock.pending()).toBe(0);
    clock.advance(0);
    await flushPromises();
    expect(calls()).toBe(1);
    await client.close();
  });

  it('an attempt that does dial (the network answers) goes at once, as before', async () => {
    const limit: { close?: () => void } = {};
    const { url } = rejectingUrl(limit);
    let fail = true;
    const transport = createFakeTransport();
    const clock = createVirtualClock(0);
    const client = createClient({
      url: () => (fail ? url() : 'wss://chat.example.test/'),
      clock,
      transport,
      policy: { preset: 'none', backoff: { type: 'constant', delayMs: 5000 } },
    });
    client.on('error', () => undefined);
    await flushPromises(); // the first attempt failed before it dialled
    fail = false;
    clock.advance(5000); // the retry waits its turn, then dials
    await flushPromises();
    expect(transport.connections).toHaveLength(1);
    transport.last().accept();
    client.reconnect();
    expect(transport.connections).toHaveLength(2); // after a dialled attempt: no turn to wait
    await client.close();
  });
});

describe('reconnect() during its own attempt', () => {
  it('leaves it be: no close, no second dial, the outage not reset again', () => {
    const h = harness();
    h.transport.last().accept();
    h.client.reconnect();
    const events = h.events.length;
    h.client.reconnect();
    expect(h.events.length).toBe(events);
    expect(h.transport.connections).toHaveLength(2);
    expect(h.transport.last().terminated).toBe(false);
  });

  it('also when that attempt followed the refresh hook reconnect() ran first', async () => {
    const h = harness({ refresh: async () => undefined });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired'); // default: refresh first
    h.client.reconnect(); // skips the wait, not the hook
    await flushPromises();
    expect(h.client.state).toBe('connecting');
    const attempts = h.transport.connections.length;
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(attempts);
  });
});
