import { type CloseRecord, InvalidMessageError, type ReliableOptions } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** Tracked messages carry an `id`; anything else (auth, subscribe, typing) goes untracked. */
const reliable: ReliableOptions = {
  id: (message) => (typeof message === 'string' ? (JSON.parse(message) as { id?: number }).id : undefined),
  ackOf: (incoming) => (typeof incoming === 'string' ? (JSON.parse(incoming) as { ack?: number }).ack : undefined),
};
const tracked = (id: number) => JSON.stringify({ id });
const untracked = (name: string) => JSON.stringify({ name });

describe('send order across the queue and the outbox', () => {
  it('messages sent while connecting go out in send() order, tracked or not', () => {
    const h = harness({ reliable });
    const sends = [untracked('auth'), tracked(1), untracked('subscribe'), tracked(2)];
    for (const data of sends) expect(h.client.send(data)).toBe('queued');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(sends);
  });

  it('a message sent from a "state → open" listener goes out once, after what was queued', () => {
    const h = harness({ reliable });
    h.client.send(tracked(1));
    h.client.on('state', ({ to }) => {
      if (to === 'open') h.client.send(tracked(2));
    });
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([tracked(1), tracked(2)]);
  });

  it('after a reconnect: what may have been swallowed first, then the rest in send() order', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send(tracked(1)); // sent, never acknowledged
    h.transport.last().drop();
    h.client.send(untracked('a'));
    h.client.send(tracked(2));
    h.client.send(untracked('b'));
    h.clock.runNext();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([tracked(1), untracked('a'), tracked(2), untracked('b')]);
  });
});

describe('a socket that refuses a message', () => {
  it('keeps it, and everything sent after it, in order: nothing jumps ahead', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    const socket = h.transport.last();
    socket.refuseSends();
    expect(h.client.send(untracked('a'))).toBe('queued');
    expect(h.client.send(tracked(1))).toBe('queued');
    socket.refuseSends(false); // it was a passing refusal: the next send flushes what waits first
    expect(h.client.send(untracked('b'))).toBe('sent');
    expect(socket.sent).toEqual([untracked('a'), tracked(1), untracked('b')]);
    expect(h.client.stats.messagesQueued).toBe(0);
  });

  it('gives the close closeTimeoutMs to arrive, then lets the socket go and delivers on the next one', () => {
    const h = harness({ closeTimeoutMs: 2000 });
    h.transport.last().accept();
    const stuck = h.transport.last();
    stuck.refuseSends(); // the server sent its close frame and holds the TCP connection
    expect(h.client.send('important')).toBe('queued');
    h.clock.advance(1999);
    expect(h.client.state).toBe('open');
    h.clock.advance(1);
    expect(stuck.terminated).toBe(true);
    expect(h.of<CloseRecord>('close')).toMatchObject([
      { code: 1006, initiator: 'timeout', phase: 'open', synthetic: true },
    ]);
    h.clock.runNext();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['important']);
  });

  it('keeps the close the server sends within closeTimeoutMs (its code decides, not a 1006)', () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().refuseSends();
    h.client.send('x');
    h.transport.last().serverClose(1012, 'deploy');
    h.clock.advance(4000); // past closeTimeoutMs (3 s); 1012's first retry waits at least 5 s
    expect(h.of<CloseRecord>('close').map((r) => r.code)).toEqual([1012]);
    expect(h.transport.last().terminated).toBe(false);
  });
});

describe('send() refuses what no socket can carry', () => {
  it('a detached ArrayBuffer is a typed error at the call, and what was queued stays', () => {
    const h = harness();
    h.client.send('first');
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => h.client.send(buffer)).toThrow(InvalidMessageError);
    expect(() => h.client.send(new Uint8Array(buffer))).toThrow(/detached/);
    expect(h.client.send(new ArrayBuffer(0))).toBe('queued'); // empty is fine
    h.transport.last().accept();
    expect(h.transport.last().sent).toHaveLength(2);
  });
});

describe('a send from a "dropped" listener while a tracked message is admitted', () => {
  it('writes the admitted message once', () => {
    const h = harness({ reliable, queue: { maxMessages: 1, overflow: 'drop-oldest' } });
    h.transport.last().accept();
    expect(h.client.send(tracked(1))).toBe('sent'); // waits for its ack
    h.client.on('dropped', () => {
      h.client.send(JSON.stringify({ note: 1 })); // e.g. tell the server something was dropped
    });
    h.client.send(tracked(2)); // evicts 1 (unacked) -> 'dropped' -> nested send
    expect(h.transport.last().sent).toEqual([tracked(1), tracked(2), JSON.stringify({ note: 1 })]);
  });

  it('a refusal that passes (the transport takes messages again) does not have the socket let go', () => {
    const h = harness({ closeTimeoutMs: 3000 });
    h.transport.last().accept();
    const socket = h.transport.last();
    socket.refuseSends();
    expect(h.client.send('a')).toBe('queued');
    socket.refuseSends(false);
    expect(h.client.send('b')).toBe('sent');
    expect(socket.sent).toEqual(['a', 'b']);
    h.clock.advance(3000); // the refusal's close deadline was called off
    expect(h.client.state).toBe('open');
    expect(h.transport.connections).toHaveLength(1);
  });
});
