import {
  ClientClosedError,
  type Delivered,
  InvalidMessageError,
  isMessageDroppedError,
  isResockError,
  MessageDroppedError,
  QueueFullError,
} from '@resock/core';
import { createFakeEnvironment, flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { callingBack, harness, jsonReliable } from './clientHarness';

/** Messages are JSON `{ id, … }`; the peer acknowledges with `{ ack: id }`. */
const reliable = jsonReliable;
const msg = (id: number, body = `m${id}`) => JSON.stringify({ id, body });
const ack = (id: number) => JSON.stringify({ ack: id });

/** What a deliver() promise has settled with so far: its value, the drop's reason, or 'pending'. */
function watch(promise: Promise<Delivered>) {
  const seen = { now: 'pending' as string, error: undefined as unknown };
  promise.then(
    (value) => {
      seen.now = value;
    },
    (error: unknown) => {
      seen.error = error;
      seen.now = error instanceof MessageDroppedError ? `dropped: ${error.reason}` : 'rejected';
    },
  );
  return seen;
}

describe('deliver(): what became of the message', () => {
  it('resolves sent once the message is written: at once when open, at the flush when queued', async () => {
    const h = harness();
    const early = watch(h.client.deliver('early'));
    await flushPromises();
    expect(early.now).toBe('pending'); // queued while connecting
    h.transport.last().accept();
    const late = watch(h.client.deliver('late'));
    await flushPromises();
    expect([early.now, late.now]).toEqual(['sent', 'sent']);
    expect(h.transport.last().sent).toEqual(['early', 'late']);
  });

  it('under reliable delivery, resolves acked when the peer acknowledges, across a reconnect', async () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    const one = watch(h.client.deliver(msg(1)));
    const two = watch(h.client.deliver(msg(2)));
    h.transport.last().deliver(ack(2));
    await flushPromises();
    expect([one.now, two.now]).toEqual(['pending', 'acked']); // written is not enough
    h.transport.last().drop();
    h.clock.runNext();
    h.transport.last().accept(); // 1 is sent again
    h.transport.last().deliver(ack(1));
    await flushPromises();
    expect(one.now).toBe('acked');
  });

  it('rejects with MessageDroppedError for each way a message is dropped, with the message', async () => {
    const h = harness({ queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-oldest' } });
    const evicted = watch(h.client.deliver('evicted'));
    const expired = watch(h.client.deliver('expired', { ttlMs: 100 })); // evicts 'evicted'
    h.clock.advance(100);
    const controller = new AbortController();
    const aborted = watch(h.client.deliver('aborted', { signal: controller.signal }));
    controller.abort();
    const volatile = watch(h.client.deliver('volatile', { volatile: true })); // not open
    const closed = watch(h.client.deliver('closed'));
    await h.client.close();
    await flushPromises();
    expect([evicted.now, expired.now, aborted.now, volatile.now, closed.now]).toEqual([
      'dropped: overflow',
      'dropped: expired',
      'dropped: aborted',
      'dropped: volatile',
      'dropped: closed',
    ]);
    const error = closed.error as MessageDroppedError;
    expect(error.data).toBe('closed');
    expect(error.name).toBe('MessageDroppedError');
    expect(isMessageDroppedError(error)).toBe(true);
    expect(isMessageDroppedError({ name: 'MessageDroppedError' })).toBe(true); // another copy of the package
    expect(isMessageDroppedError(new Error('x'))).toBe(false);
    expect(isResockError(error)).toBe(true);
    expect(error.message).toBe('The message was not delivered: the client was closed (closed).');
  });

  it('rejects a message refused by a full queue (drop-newest) at once', async () => {
    const h = harness({ queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-newest' } });
    const kept = watch(h.client.deliver('kept'));
    const refused = watch(h.client.deliver('refused'));
    await flushPromises();
    expect([kept.now, refused.now]).toEqual(['pending', 'dropped: overflow']);
  });

  it('rejects with taken what takeQueued() hands back', async () => {
    const h = harness();
    const queued = watch(h.client.deliver('a'));
    expect(h.client.takeQueued()).toEqual(['a']);
    await flushPromises();
    expect(queued.now).toBe('dropped: taken');
  });

  it('resolves replaced a tracked message a later copy under its id replaced (no failure to retry); the copy is acked', async () => {
    const h = harness({ reliable });
    const first = watch(h.client.deliver(msg(1, 'first')));
    const second = watch(h.client.deliver(msg(1, 'second')));
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([msg(1, 'second')]);
    h.transport.last().deliver(ack(1));
    await flushPromises();
    expect([first.now, second.now]).toEqual(['replaced', 'acked']);
  });

  it('a copy that took its place and was then evicted by a dropped listener’s send still replaced the one before it', async () => {
    // (Found by the model's search, seed 8888: the model had counted the first copy as waiting.)
    const h = harness({ reliable, queue: { maxMessages: 2, maxBytes: 60, overflow: 'drop-oldest' } });
    const long = 'final'.padEnd(30, '!'); // 48 B: with either other message, over 60
    const mine = msg(3, 'y'.repeat(20)); // 38 B
    const dropped: string[] = [];
    h.client.on('dropped', ({ data }) => {
      dropped.push(String(data));
      // The room this needs evicts the copy whose own admission told this drop.
      if (dropped.length === 1) h.client.send(mine);
    });
    const older = watch(h.client.deliver(msg(1, 'x')));
    const draft = watch(h.client.deliver(msg(2)));
    const final = watch(h.client.deliver(msg(2, long)));
    await flushPromises();
    expect(dropped).toEqual([msg(1, 'x'), msg(2, long)]);
    expect([older.now, draft.now, final.now]).toEqual(['dropped: overflow', 'replaced', 'dropped: overflow']);
    expect(h.client.stats.messagesUnacked).toBe(1); // only the listener's message waits
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([mine]);
  });

  it('a copy with ttlMs 0 replaces the one before it, then expires when a listener’s send runs', async () => {
    // (Found by the model's search, seed 46: the model had counted the first copy as waiting.)
    const h = harness({ reliable });
    h.transport.last().fail(); // waiting: nothing goes out
    const first = watch(h.client.deliver(msg(1, 'first')));
    const due = JSON.stringify({ body: 'due' });
    h.client.send(due, { ttlMs: 0 }); // overdue at the next send
    h.client.once('dropped', () => h.client.send(JSON.stringify({ body: 'from the listener' })));
    const copy = watch(h.client.deliver(msg(1, 'copy'), { ttlMs: 0 }));
    await flushPromises();
    expect([first.now, copy.now]).toEqual(['replaced', 'dropped: expired']);
    expect(h.of<{ data: unknown }>('dropped').map((e) => e.data)).toEqual([due, msg(1, 'copy')]);
    expect(h.client.stats.messagesUnacked).toBe(0);
  });

  it('an ack that came for the copy a never-written one replaced does not take the new copy out', async () => {
    const environment = createFakeEnvironment();
    const h = harness({ reliable, environment, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } });
    h.transport.last().accept();
    const socket = h.transport.last();
    socket.goSilent();
    const draft = watch(h.client.deliver(msg(1, 'draft')));
    environment.emit('offline'); // the probe holds sends: the next copy waits unwritten
    const final = watch(h.client.deliver(msg(1, 'final')));
    socket.deliver(ack(1)); // the peer acknowledges the draft it got (and answers the probe)
    await flushPromises();
    expect([draft.now, final.now]).toEqual(['replaced', 'pending']);
    expect(socket.sent).toEqual([msg(1, 'draft'), msg(1, 'final')]); // it still goes
    expect(h.client.stats.messagesUnacked).toBe(1);
    socket.deliver(ack(1));
    await flushPromises();
    expect(final.now).toBe('acked');
  });

  it('a tracked message evicted while being written (app code its write runs sent another) says written', async () => {
    let inside: (() => void) | undefined;
    const { fake, transport } = callingBack((_conn, send) => {
      const run = inside;
      inside = undefined;
      run?.(); // app code the write runs sends another tracked message, the outbox full
      send();
    });
    const h = harness({ transport, reliable, queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-oldest' } });
    fake.last().accept();
    inside = () => void h.client.deliver(msg(2));
    const first = watch(h.client.deliver(msg(1)));
    await flushPromises();
    expect(fake.last().sent).toEqual([msg(1), msg(2)]);
    // Evicted from the outbox (it is no longer tracked), but it went out: the peer may have it.
    expect(first.now).toBe('dropped: overflow');
    expect((first.error as MessageDroppedError).written).toBe(true);
  });

  it('a copy whose signal app code aborted is taken out before a new copy under its id takes its place, even while its own send() is under way', async () => {
    // (Found by the model's search, seed 44444: the model had counted the aborted copy as replaced.)
    let inside: (() => void) | undefined;
    const { fake, transport } = callingBack((_conn, send) => {
      const run = inside;
      inside = undefined;
      run?.();
      send();
    });
    const h = harness({ transport, reliable, queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-oldest' } });
    const saving = new AbortController();
    const oldest = watch(h.client.deliver(msg(1)));
    const untracked = JSON.stringify({ body: 'untracked' });
    h.client.send(untracked); // its write runs the app code below
    inside = () => {
      saving.abort(); // app code inside that write aborts the copy's signal…
      h.client.send(msg(2, 'newer')); // …then sends a new copy under its id
    };
    // The copy's admission evicts 1; the dropped listener has the server accept: the queue is
    // flushed inside this send() call.
    h.client.once('dropped', () => fake.last().accept());
    const copy = watch(h.client.deliver(msg(2, 'copy'), { signal: saving.signal }));
    await flushPromises();
    expect([oldest.now, copy.now]).toEqual(['dropped: overflow', 'dropped: aborted']);
    expect(h.of<{ reason: string }>('dropped').map((e) => e.reason)).toEqual(['overflow', 'aborted']);
    expect(fake.last().sent).toEqual([untracked, msg(2, 'newer')]);
    expect(h.client.stats.messagesUnacked).toBe(1); // the newer copy only
  });

  it('says whether a tracked message it gives up on was written: the peer may have it', async () => {
    const h = harness({ reliable, queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-oldest' } });
    const unwritten = watch(h.client.deliver(msg(1)));
    const evicting = watch(h.client.deliver(msg(2))); // evicts 1, never written
    h.transport.last().accept();
    const written = watch(h.client.deliver(msg(3))); // written, then evicts 2 (written too)
    await h.client.close(); // 3 is written and unacknowledged
    await flushPromises();
    const errors = [unwritten, evicting, written].map((seen) => seen.error as MessageDroppedError);
    expect(errors.map((e) => [e.reason, e.written])).toEqual([
      ['overflow', false],
      ['overflow', true],
      ['closed', true],
    ]);
    expect(errors[0]?.message).toBe('The message was not delivered: the queue was full (overflow).');
    expect(errors[2]?.message).toBe('The message was written but not acknowledged: the client was closed (closed).');
  });

  it('rejects a tracked message aborted before its turn in the flush', async () => {
    const h = harness({ reliable });
    const controller = new AbortController();
    // The app's own abort listener, added first, runs before resock's: the flush it sets off
    // finds the signal aborted.
    controller.signal.addEventListener('abort', () => h.transport.last().accept());
    const aborted = watch(h.client.deliver(msg(1), { signal: controller.signal }));
    const next = watch(h.client.deliver(msg(2)));
    controller.abort();
    h.transport.last().deliver(ack(2));
    await flushPromises();
    expect([aborted.now, next.now]).toEqual(['dropped: aborted', 'acked']);
    expect(h.transport.last().sent).toEqual([msg(2)]);
  });

  it('waits while the client is failed, and goes out once it is revived', async () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().serverClose(1008, 'policy');
    expect(h.client.state).toBe('failed');
    const waiting = watch(h.client.deliver('after'));
    await flushPromises();
    expect(waiting.now).toBe('pending');
    h.client.reconnect();
    h.transport.last().accept();
    await flushPromises();
    expect(waiting.now).toBe('sent');
  });

  it('starts a lazy client, as send() does', async () => {
    const h = harness({ lazy: true });
    expect(h.transport.connections).toHaveLength(0);
    const first = watch(h.client.deliver('first'));
    h.transport.last().accept();
    await flushPromises();
    expect(first.now).toBe('sent');
  });

  it('throws bad input at the call, as send() does; rejects what the client refuses; loses nothing waiting', async () => {
    const h = harness({ queue: { maxMessages: 1, maxBytes: 1000, overflow: 'reject' } });
    const waiting = watch(h.client.deliver('waiting'));
    expect(() => h.client.deliver(42 as never)).toThrow(InvalidMessageError);
    expect(() => h.client.deliver('x', { ttlMs: -1 })).toThrow(/ttlMs/);
    const full = watch(h.client.deliver('full')); // a promise API: a full queue is its rejection
    await flushPromises();
    expect(full.now).toBe('dropped: overflow');
    expect((full.error as Error).cause).toBeInstanceOf(QueueFullError);
    h.transport.last().accept();
    await flushPromises();
    expect(waiting.now).toBe('sent');
    expect(h.transport.last().sent).toEqual(['waiting']);
    await h.client.close();
    const late = watch(h.client.deliver('late'));
    await flushPromises();
    expect(late.now).toBe('dropped: closed');
    expect((late.error as Error).cause).toBeInstanceOf(ClientClosedError);
    expect(() => h.client.deliver(null as never)).toThrow(InvalidMessageError); // bad input still throws
  });
});
