// Send options where the app's own code runs inside send(), and where the clock runs late.
import { ClientClosedError, type DroppedEvent, InvalidOptionsError } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { drops, harness, jsonReliable } from './clientHarness';

const reliable = jsonReliable;

describe('send options: app code inside send() (a reliable id() that aborts)', () => {
  it('id() aborting the message’s own signal (untracked): it is dropped, never written later', () => {
    const controller = new AbortController();
    const h = harness({
      reliable: {
        id: () => {
          controller.abort();
          return undefined;
        },
        ackOf: () => undefined,
      },
    });
    expect(h.client.send('x', { signal: controller.signal })).toBe('dropped');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([]);
    expect(drops(h.of)).toEqual(['x aborted']);
  });

  it('id() aborting the message’s own signal (tracked): it is not put in the outbox and resent', () => {
    const controller = new AbortController();
    const h = harness({
      reliable: {
        id: () => {
          controller.abort();
          return 1;
        },
        ackOf: () => undefined,
      },
    });
    expect(h.client.send('x', { signal: controller.signal })).toBe('dropped');
    expect(h.client.stats.messagesUnacked).toBe(0);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual([]);
  });

  it('a dropped listener run by an abort inside id() sends behind the message being sent', () => {
    const controller = new AbortController();
    const h = harness({
      reliable: {
        id: (message) => {
          if (message === 'second') controller.abort();
          return undefined;
        },
        ackOf: () => undefined,
      },
    });
    let again = true;
    h.client.on('dropped', () => {
      if (!again) return;
      again = false;
      h.client.send('from listener');
    });
    h.client.send('first', { signal: controller.signal });
    h.client.send('second');
    h.transport.last().accept();
    expect(drops(h.of)).toEqual(['first aborted']);
    // send('second') was called before send('from listener'): send() order.
    expect(h.transport.last().sent).toEqual(['second', 'from listener']);
  });
});

describe('send options: app code inside send() that closes the client', () => {
  it('an option getter that closes the client: nothing left queued in the closed client, no timer running', () => {
    const h = harness();
    const options = {
      get ttlMs() {
        void h.client.close();
        return 1000;
      },
    };
    // The options are read before the client's state: the send meets a closed client.
    expect(() => h.client.send('x', options)).toThrow(ClientClosedError);
    expect(h.client.state).toBe('closed');
    expect(h.client.stats.messagesQueued).toBe(0);
    expect(h.clock.pending()).toBe(0);
  });

  it('a reliable id() that closes the client: no expire timer left after close', () => {
    const h = harness({
      reliable: {
        id: () => {
          void h.client.close();
          return undefined;
        },
        ackOf: () => undefined,
      },
    });
    expect(() => h.client.send('x', { ttlMs: 1000 })).toThrow(ClientClosedError);
    expect(h.client.state).toBe('closed');
    expect(h.client.stats.messagesQueued).toBe(0);
    expect(h.clock.pending()).toBe(0);
  });
});

describe('send options: a signal that cannot be let go of', () => {
  // Passes the duck-typed check (aborted + addEventListener) but has no removeEventListener.
  const halfSignal = () => ({ aborted: false, addEventListener() {} }) as unknown as AbortSignal;

  it('is an InvalidOptionsError at the call', () => {
    const h = harness();
    expect(() => h.client.send('x', { signal: halfSignal() })).toThrow(InvalidOptionsError);
    expect(h.client.stats.messagesQueued).toBe(0);
  });
});

describe('send options: a late expire timer (throttled tab)', () => {
  it('drop-newest: an expired message does not take the room of a fresh one', () => {
    const h = harness({ queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-newest' } });
    h.client.send('old', { ttlMs: 1000 });
    h.clock.jump(5000); // the tab was frozen: the expire timer has not fired
    expect(h.client.send('fresh')).toBe('queued');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['fresh']);
    expect(drops(h.of)).toEqual(['old expired']);
  });

  it('reject: no QueueFullError for a queue holding only expired messages', () => {
    const h = harness({ queue: { maxMessages: 1, maxBytes: 1000, overflow: 'reject' } });
    h.client.send('old', { ttlMs: 1000 });
    h.clock.jump(5000);
    expect(() => h.client.send('fresh')).not.toThrow();
  });

  it('reliable: an expired, unacknowledged entry does not take the outbox room of a fresh one', () => {
    const h = harness({ reliable, queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-newest' } });
    h.transport.last().accept();
    h.client.send('{"id":1}', { ttlMs: 1000 });
    h.clock.jump(5000);
    expect(h.client.send('{"id":2}')).toBe('sent');
    expect(h.transport.last().sent).toEqual(['{"id":1}', '{"id":2}']);
  });

  it('takeQueued() does not hand back what has expired: it is dropped as such', () => {
    const h = harness();
    h.client.send('old', { ttlMs: 1000 });
    h.client.send('kept');
    h.clock.jump(5000);
    expect(h.client.takeQueued()).toEqual(['kept']);
    expect(drops(h.of)).toEqual(['old expired']);
  });
});

describe('send options: found by the model test (test/client/model)', () => {
  // Model: seed 11, MODEL_RUNS=20000 (run 11063): two messages on one signal, a `dropped`
  // listener that lets the connection open; the second message was written after the abort.
  it('a send made from an abort listener does not let out a message whose signal is aborted', () => {
    const h = harness();
    const conn = h.transport.last();
    conn.accept();
    conn.refuseSends(); // backpressure: what is sent now waits in the queue
    const saving = new AbortController();
    // The app's own listener, added first, tells the server it gave up.
    saving.signal.addEventListener('abort', () => h.client.send('{"op":"cancelled"}'));
    expect(h.client.send('{"op":"save"}', { signal: saving.signal })).toBe('queued');
    conn.refuseSends(false);
    saving.abort();
    expect(conn.sent).toEqual(['{"op":"cancelled"}']);
    expect(drops(h.of)).toEqual(['{"op":"save"} aborted']);
  });

  it('nor does a send made from the dropped event of another message on the same signal', () => {
    const h = harness();
    const conn = h.transport.last();
    conn.accept();
    conn.refuseSends();
    const saving = new AbortController();
    h.client.send('a', { signal: saving.signal });
    h.client.send('b', { signal: saving.signal });
    conn.refuseSends(false);
    h.client.on('dropped', ({ data }) => {
      if (data === 'a') h.client.send('c');
    });
    saving.abort();
    expect(conn.sent).toEqual(['c']);
    expect(drops(h.of)).toEqual(['a aborted', 'b aborted']);
  });
});

describe('send options: the expire timer ends with the last deadline', () => {
  // Model: seed 11 (run 7): a failed client kept a timer with nothing waiting (the model's
  // "failed: no timers pending", as policy.test.ts asserts without send options).
  it('a failed client keeps no expire timer for a message that went out already', () => {
    const h = harness();
    expect(h.client.send('x', { ttlMs: 60_000 })).toBe('queued');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['x']);
    h.transport.last().serverClose(1000); // normal closure: the default policy stops
    expect(h.client.state).toBe('failed');
    expect(h.clock.pending()).toBe(0);
  });

  it('nor for a message taken back with takeQueued()', () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().serverClose(1000);
    expect(h.client.send('x', { ttlMs: 60_000 })).toBe('queued');
    expect(h.client.takeQueued()).toEqual(['x']);
    expect(h.clock.pending()).toBe(0);
  });
});

describe('send options: close() with a late expire timer (throttled tab)', () => {
  it('a queued message past its ttlMs is dropped as expired, not handed back as closed', async () => {
    const h = harness();
    h.client.send('stale', { ttlMs: 1000 });
    h.client.send('kept');
    h.clock.jump(5000); // frozen: the expire timer has not fired
    await h.client.close();
    // As takeQueued() would: an app that carries 'closed' messages to its next client must not get it.
    expect(drops(h.of)).toEqual(['stale expired', 'kept closed']);
  });

  it('an unacknowledged message past its ttlMs is dropped as expired, not closed', async () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send('{"id":1}', { ttlMs: 1000 });
    h.transport.last().drop();
    h.clock.jump(5000);
    await h.client.close();
    expect(drops(h.of)).toEqual(['{"id":1} expired']);
  });
});

describe("send options: the app's own abort listener runs before resock's", () => {
  it('takeQueued() and close() do not hand back a message whose signal is aborted', async () => {
    const h = harness();
    const first = new AbortController();
    let taken: unknown;
    first.signal.addEventListener('abort', () => {
      taken = h.client.takeQueued();
    });
    h.client.send('cancelled', { signal: first.signal });
    h.client.send('kept');
    first.abort();
    expect(taken).toEqual(['kept']);
    const second = new AbortController();
    second.signal.addEventListener('abort', () => void h.client.close());
    h.client.send('cancelled too', { signal: second.signal });
    second.abort();
    await h.client.close();
    expect(drops(h.of)).toEqual(['cancelled aborted', 'cancelled too aborted']);
  });
});

describe('send options: close() from inside a send tells the drops in send() order', () => {
  it('close() from reliable.id(): "stale expired" before "kept closed"', () => {
    let closeInId = false;
    const h = harness({
      reliable: {
        ...jsonReliable,
        id: (message) => {
          if (closeInId) void h.client.close();
          return jsonReliable.id(message);
        },
      },
    });
    const heard: string[] = [];
    h.client.on('dropped', ({ data, reason }: DroppedEvent) => heard.push(`${String(data)} ${reason}`));
    h.client.on('close', () => heard.push('close'));
    h.client.send('"stale"', { ttlMs: 1000 });
    h.client.send('"kept"');
    h.clock.jump(5000); // a throttled tab: the expire timer has not fired
    closeInId = true;
    expect(() => h.client.send('{"id":1}')).toThrow(); // closed by its own id()
    // As close() outside a send does (sendOptionsEdges.test.ts): send order, expired first.
    expect(heard).toEqual(['close', '"stale" expired', '"kept" closed']);
  });
});
