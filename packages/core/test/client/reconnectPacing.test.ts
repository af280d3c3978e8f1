// reconnect() and open() skip the back-off, but the attempts the app asks for come a second apart
// at the most often (MIN_ASKED_DIAL_MS). A close listener that reconnect()s on every close —
// reconnecting-websocket's users write it, socket.io's write disconnect() then connect() — against
// a server that drops every connection dialled about 3000 times a second.
import type { CloseRecord } from '@resock/core';
import { type FakeConnection, flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

type Harness = ReturnType<typeof harness>;

/** `ms` of virtual time in 10 ms steps, the server ending each new attempt with `end` at once. */
function serverEndsEveryAttempt(h: Harness, end: (connection: FakeConnection) => void, ms: number): void {
  const ended = new Set<FakeConnection>();
  for (let t = 0; t < ms; t += 10) {
    const connection = h.transport.connections.at(-1);
    if (connection && !ended.has(connection)) {
      ended.add(connection);
      end(connection);
    }
    h.clock.advance(10);
  }
}

/** Over 10 s: the first attempt, the listener's first at once, then one a second (1 s – 10 s). */
const EVERY_SECOND = 12;

const refuse = (connection: FakeConnection) => connection.reject(503);
const acceptThenClose = (connection: FakeConnection) => {
  connection.accept();
  connection.serverClose(1011);
};

describe('a close listener that asks for an attempt on every close', () => {
  it('reconnect(), against a server that refuses every handshake: a dial a second', () => {
    const h = harness();
    h.client.on('close', () => h.client.reconnect());
    serverEndsEveryAttempt(h, refuse, 10_000);
    // Before: a dial every step the test gave it (1001), as fast as the server answered.
    expect(h.transport.connections).toHaveLength(EVERY_SECOND);
  });

  it('reconnect(), against one that accepts and closes at once: the same', () => {
    const h = harness();
    h.client.on('close', () => h.client.reconnect());
    serverEndsEveryAttempt(h, acceptThenClose, 10_000);
    expect(h.transport.connections).toHaveLength(EVERY_SECOND);
  });

  it('disconnect() then open(): the same', () => {
    const h = harness();
    h.client.on('close', () => {
      h.client.disconnect();
      h.client.open();
    });
    serverEndsEveryAttempt(h, refuse, 10_000);
    expect(h.transport.connections).toHaveLength(EVERY_SECOND);
  });
});

describe('the attempts the app asks for, one after another', () => {
  it('the first dials at once; one within a second of it waits out the rest of that second', () => {
    const h = harness({ connectTimeoutMs: 200 });
    h.transport.last().accept();
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(2); // a "reconnect now" button still is
    h.transport.last().accept();
    h.clock.advance(400);
    h.client.reconnect();
    // The open connection is let go now; the attempt is connecting, its dial held back.
    expect(h.of<CloseRecord>('close').map((r) => r.reason)).toEqual(['reconnect', 'reconnect']);
    expect(h.client.state).toBe('connecting');
    h.clock.advance(599);
    expect(h.transport.connections).toHaveLength(2);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(3);
    // Its deadline counts from the dial, not from the call: no timeout for the second it waited.
    expect(h.of('close')).toHaveLength(2);
    h.clock.advance(199);
    expect(h.of('close')).toHaveLength(2);
    h.transport.last().accept();
    expect(h.client.state).toBe('open');
  });

  it('one a second or more after the one before dials at once', () => {
    const h = harness();
    h.transport.last().accept();
    h.client.reconnect();
    h.transport.last().accept();
    h.clock.advance(1000);
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(3);
  });

  it('a reconnect() while one is held back leaves it be; close() gives it up, nothing dialled, no timer left', async () => {
    const h = harness();
    h.client.reconnect();
    h.client.reconnect(); // leaves the first be: it is under way
    h.transport.last().reject(503);
    h.client.reconnect(); // held back: the first was asked for at 0 ms
    const held = h.transport.connections.length;
    const closes = h.of('close').length;
    h.clock.advance(500);
    h.client.reconnect();
    // Left be: no close for an attempt never dialled, and its dial keeps its time.
    expect(h.of('close')).toHaveLength(closes);
    h.clock.advance(499);
    expect(h.transport.connections).toHaveLength(held);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(held + 1);
    h.client.reconnect(); // (the one dialled is the fresh attempt too)
    h.transport.last().reject(503);
    h.client.reconnect(); // held again, to 2 s
    const closing = h.client.close();
    expect(h.clock.pending()).toBe(0);
    h.clock.advance(1000);
    expect(h.transport.connections).toHaveLength(held + 1);
    await closing;
  });

  it("open()'s attempt is the fresh one too: a reconnect() while it is held leaves it be", () => {
    const h = harness();
    h.client.reconnect();
    h.transport.last().accept();
    h.client.disconnect();
    h.clock.advance(100);
    h.client.open(); // held to 1 s
    const closes = h.of('close').length;
    h.clock.advance(400);
    h.client.reconnect();
    expect(h.of('close')).toHaveLength(closes); // before: a close for the attempt it let go, its dial put off to 1.5 s
    h.clock.advance(500);
    expect(h.transport.connections).toHaveLength(3);
  });

  it('a connect deadline near the longest timer still counts from the dial (it fired at once past that range)', () => {
    const h = harness({ connectTimeoutMs: 2_147_483_647 });
    h.transport.last().accept();
    h.client.reconnect();
    h.transport.last().accept();
    h.client.reconnect(); // held to 1 s
    h.clock.advance(1000);
    expect(h.transport.connections).toHaveLength(3);
    expect(h.of<CloseRecord>('close').map((r) => r.initiator)).toEqual(['client', 'client']); // no timeout
  });

  it('disconnect() gives a held-back attempt up too; open() a second after it was due dials at once', () => {
    const h = harness();
    h.client.reconnect();
    h.transport.last().reject(503);
    h.client.reconnect();
    const held = h.transport.connections.length;
    h.client.disconnect();
    h.clock.advance(1000);
    expect(h.transport.connections).toHaveLength(held);
    // (A second after the held one was due: it counts as asked for, though never dialled.)
    h.clock.advance(1000);
    h.client.open();
    expect(h.transport.connections).toHaveLength(held + 1);
  });
});

describe('the refresh hook a reconnect() starts', () => {
  it('an error listener that reconnect()s on a hook that rejects at once: a hook a second, not a microtask loop', async () => {
    let hooks = 0;
    const h = harness({
      refresh: async () => {
        hooks++;
        throw new Error('token service down');
      },
    });
    let calls = 0;
    h.client.on('error', () => {
      if (++calls <= 100) h.client.reconnect(); // (a bound: a loop fails the test, not the run)
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000); // the default refreshes first
    for (let t = 0; t < 3000; t += 100) {
      await flushPromises();
      h.clock.advance(100);
    }
    await flushPromises();
    // The policy's own at 0 s, then the listener's at 0, 1, 2 and 3 s. Before: 101 hooks at 0 ms,
    // every one in the same turn of the event loop.
    expect(hooks).toBe(5);
  });

  it('a close listener that reconnect()s on every refusal: a hook and a dial a second', async () => {
    let hooks = 0;
    const h = harness({ refresh: async () => void hooks++ });
    h.client.on('close', () => h.client.reconnect());
    const ended = new Set<FakeConnection>();
    for (let t = 0; t < 5000; t += 10) {
      const connection = h.transport.connections.at(-1);
      if (connection && !ended.has(connection)) {
        ended.add(connection);
        connection.reject(401); // refused credentials: a refresh rule
      }
      await flushPromises();
      h.clock.advance(10);
    }
    // The first attempt, then, a second apart, a hook and the dial after it (before: one a step, 500).
    expect(h.transport.connections).toHaveLength(6);
    expect(hooks).toBe(6);
  });
});
