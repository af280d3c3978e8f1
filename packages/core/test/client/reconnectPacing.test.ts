// reconnect() and open() skip the back-off, but the attempts the app asks for come a second apart
// at the most often (MIN_ASKED_DIAL_MS). A close listener that reconnect()s on every close —
// reconnecting-websocket's users write it, socket.io's write disconnect() then connect() — against
// a server that drops every connection dialled about 3000 times a second.
import type { CloseRecord } from '@resock/core';
import type { FakeConnection } from '@resock/core/testing';
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
    h.clock.advance(500);
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(held);
    const closing = h.client.close();
    expect(h.clock.pending()).toBe(0);
    h.clock.advance(1000);
    expect(h.transport.connections).toHaveLength(held);
    await closing;
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
