// reconnect() while the attempt a reconnect() (or a move) started is under way leaves it be: it
// is the fresh attempt asked for. Letting it go told a close, and a close listener that calls
// reconnect() — as reconnecting-websocket's users write (pladaria/reconnecting-websocket#60: "an
// infinite loop [that] crashes my site") — let the next one go in turn, for ever.
import { type CloseRecord, ReconnectingWebSocket } from '@resock/core';
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
