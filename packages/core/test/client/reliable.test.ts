import { type DroppedEvent, QueueFullError, type ReliableOptions } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** Messages are JSON `{ id, … }`; the peer acknowledges with `{ ack: id }`. */
const reliable: ReliableOptions = {
  id: (message) => (typeof message === 'string' ? (JSON.parse(message) as { id?: number }).id : undefined),
  ackOf: (incoming) => (typeof incoming === 'string' ? (JSON.parse(incoming) as { ack?: number }).ack : undefined),
};
const msg = (id: number) => JSON.stringify({ id, body: `m${id}` });
const ack = (id: number) => JSON.stringify({ ack: id });
const untracked = (name: string) => JSON.stringify({ name });

describe('reliable delivery', () => {
  it('keeps a message until the peer acknowledges it, and consumes the acknowledgement', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    expect(h.client.send(msg(1))).toBe('sent');
    expect(h.client.stats.messagesUnacked).toBe(1);
    h.transport.last().deliver(ack(1));
    expect(h.client.stats.messagesUnacked).toBe(0);
    expect(h.of('message')).toEqual([]);
    h.transport.last().deliver('{"other":true}');
    expect(h.of('message')).toEqual(['{"other":true}']);
  });

  it('resends what was not acknowledged, in order, on the next connection, before anything new', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    for (const id of [1, 2, 3]) h.client.send(msg(id));
    h.transport.last().deliver(ack(2));
    h.transport.last().drop(); // 1 and 3 may or may not have arrived
    expect(h.client.send(msg(4))).toBe('queued');
    h.clock.runNext();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([msg(1), msg(3), msg(4)]);
  });

  it('tells the app once per acknowledged message (acked), ignoring repeats and unknown ids', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send(msg(1));
    h.client.send(msg(2));
    h.transport.last().deliver(ack(2));
    h.transport.last().deliver(ack(2));
    h.transport.last().deliver(ack(99));
    expect(h.of('acked')).toEqual([{ id: 2, data: msg(2) }]);
    expect(h.client.stats.messagesUnacked).toBe(1);
  });

  it('survives an ackOf that throws on server data: an error event, and the message delivered as ordinary', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    expect(() => h.transport.last().deliver('not json')).not.toThrow();
    expect(h.of<Error>('error').map((e) => e.message)).toEqual(['reliable.ackOf threw']);
    expect(h.of('message')).toEqual(['not json']);
    expect(h.client.state).toBe('open');
  });

  it('sends messages without an id as before, untracked', () => {
    const h = harness({ reliable: { id: () => undefined, ackOf: () => undefined } });
    h.transport.last().accept();
    h.client.send('plain');
    expect(h.client.stats.messagesUnacked).toBe(0);
    h.transport.last().drop();
    h.clock.runNext();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([]);
  });

  it('replaces a message sent again with the same id', () => {
    const h = harness({ reliable });
    h.client.send(msg(1));
    h.client.send(JSON.stringify({ id: 1, body: 'newer' }));
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([JSON.stringify({ id: 1, body: 'newer' })]);
  });

  it('a replacement that does not fit loses nothing: the old copy stays (reject, and drop-newest)', () => {
    const bigger = JSON.stringify({ id: 1, body: 'x'.repeat(64) });
    const strict = harness({ reliable, queue: { maxMessages: 10, maxBytes: 40, overflow: 'reject' } });
    strict.client.send(msg(1));
    expect(() => strict.client.send(bigger)).toThrow(QueueFullError);
    const refusing = harness({ reliable, queue: { maxMessages: 10, maxBytes: 40, overflow: 'drop-newest' } });
    refusing.client.send(msg(1));
    expect(refusing.client.send(bigger)).toBe('dropped');
    expect(refusing.of<DroppedEvent>('dropped')).toEqual([{ data: bigger, reason: 'overflow' }]);
    for (const h of [strict, refusing]) {
      expect(h.client.stats.messagesUnacked).toBe(1);
      h.transport.last().accept();
      expect(h.transport.last().sent).toEqual([msg(1)]);
    }
  });

  it('a replacement in a full outbox takes its old copy’s place instead of evicting another', () => {
    const h = harness({ reliable, queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    h.client.send(msg(1));
    h.client.send(msg(2));
    h.client.send(JSON.stringify({ id: 2, body: 'newer' }));
    expect(h.of('dropped')).toEqual([]);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([msg(1), JSON.stringify({ id: 2, body: 'newer' })]);
  });

  it('bounds the outbox with the queue’s limits and overflow policy, telling the app', () => {
    const h = harness({ reliable, queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    for (const id of [1, 2, 3]) h.client.send(msg(id));
    expect(h.of<DroppedEvent>('dropped')).toEqual([{ data: msg(1), reason: 'overflow' }]);
    const strict = harness({ reliable, queue: { maxMessages: 1, overflow: 'reject' } });
    strict.client.send(msg(1));
    expect(() => strict.client.send(msg(2))).toThrow(QueueFullError);
    expect(strict.client.stats.messagesUnacked).toBe(1);
  });

  it('keeps a tracked message for its ack within the queue limits, even on an open socket (documented)', () => {
    // The outbox holds what is unacknowledged: a message that can never fit in it is not
    // sent untracked behind the app's back (at-least-once would silently not hold).
    const big = JSON.stringify({ id: 1, body: 'x'.repeat(64) });
    const h = harness({ reliable, queue: { maxBytes: 40 } });
    h.transport.last().accept();
    expect(h.client.send(big)).toBe('dropped');
    expect(h.of<DroppedEvent>('dropped')).toEqual([{ data: big, reason: 'overflow' }]);
    expect(h.transport.last().sent).toEqual([]);
    const strict = harness({ reliable, queue: { maxBytes: 40, overflow: 'reject' } });
    strict.transport.last().accept();
    expect(() => strict.client.send(big)).toThrow(/it alone is 82 bytes, over maxBytes \(40\)/);
  });

  it('reports what was never acknowledged when the app closes', async () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send(msg(1));
    await h.client.close();
    expect(h.of<DroppedEvent>('dropped')).toEqual([{ data: msg(1), reason: 'closed' }]);
  });

  it('hands back what was never delivered in send() order, tracked or not, when the app closes', async () => {
    // An app that keeps its `dropped` messages to send later must get them in the order sent.
    const h = harness({ reliable });
    const untracked = (body: string) => JSON.stringify({ body }); // no id: not tracked
    h.client.send(untracked('u0'));
    h.client.send(msg(1));
    h.client.send(untracked('u2'));
    await h.client.close();
    expect(h.of<DroppedEvent>('dropped')).toEqual([
      { data: untracked('u0'), reason: 'closed' },
      { data: msg(1), reason: 'closed' },
      { data: untracked('u2'), reason: 'closed' },
    ]);
  });

  it('rejects a reliable option without both functions', async () => {
    const { createClient } = await import('@resock/core');
    const { createFakeTransport } = await import('@resock/core/testing');
    expect(() =>
      createClient({ url: 'ws://x.test/', transport: createFakeTransport(), reliable: { id: () => 1 } as never }),
    ).toThrow(/reliable: expected \{ id\(message\), ackOf\(incoming\) \}/);
  });
});

describe('reliable delivery and bufferedAmount', () => {
  it('counts a tracked message only until it is handed to the socket (then it waits for an ack, not a socket)', () => {
    const h = harness({ reliable });
    expect(h.client.send(msg(1))).toBe('queued');
    expect(h.client.bufferedAmount).toBe(msg(1).length);
    h.transport.last().accept();
    expect(h.client.bufferedAmount).toBe(0);
    expect(h.client.send(msg(2))).toBe('sent');
    expect(h.client.bufferedAmount).toBe(0);
    expect(h.client.stats.messagesUnacked).toBe(2);
  });
});

describe('reliable delivery: resends after a refusal that passes', () => {
  // What is owed to a new connection stays owed when the socket refuses it at open: the refusal
  // may pass (the socket is kept), and then it goes first, as after any reconnect.
  it('a refusal that passes at open must not let a new message jump the unacknowledged resend', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    expect(h.client.send(msg(1))).toBe('sent'); // never acknowledged
    h.transport.last().drop();
    h.clock.runNext();
    const second = h.transport.last();
    second.refuseSends(); // the transport's own backpressure while the open flushes
    second.accept();
    second.refuseSends(false); // the refusal passes: the socket is kept
    h.client.send(msg(2));
    expect(second.sent).toEqual([msg(1), msg(2)]);
  });

  it('…and the skipped message is never sent again while that connection lives', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send(msg(1));
    h.transport.last().drop();
    h.clock.runNext();
    const second = h.transport.last();
    second.refuseSends();
    second.accept();
    second.refuseSends(false);
    h.client.send(untracked('hello')); // traffic after the refusal passed
    h.transport.last().deliver('{"other":true}'); // the peer is alive, the link is fine
    h.clock.advance(60_000);
    expect(h.client.state).toBe('open');
    expect(second).toBe(h.transport.last());
    expect(h.client.stats.messagesUnacked).toBe(1);
    expect(second.sent).toEqual([msg(1), untracked('hello')]);
  });

  it('an untracked message queued behind the refused resend goes out after it, not instead of it', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send(msg(1));
    h.transport.last().drop();
    h.client.send(untracked('queued while waiting'));
    h.clock.runNext();
    const second = h.transport.last();
    second.refuseSends();
    second.accept();
    second.refuseSends(false);
    h.client.send(msg(2)); // flushes what waits first (the queue), then itself
    expect(second.sent).toEqual([msg(1), untracked('queued while waiting'), msg(2)]);
  });

  it('sends a copy that replaced an unsent one under its id in its own send() order', () => {
    const h = harness({ reliable });
    h.client.send(JSON.stringify({ id: 1, body: 'a' }));
    h.client.send(msg(2));
    h.client.send(JSON.stringify({ id: 1, body: 'a again' })); // replaces the first, never written
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([msg(2), JSON.stringify({ id: 1, body: 'a again' })]);
  });
});
