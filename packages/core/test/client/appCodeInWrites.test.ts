// App code a hand-written transport runs inside its send(), once the frame left: an abort
// listener, a send of its own, takeQueued(). The message being written is in flight: it went
// out. Found with the model's in-write operation (test/client/model/inWriteOps.ts); each
// "Before:" comment says what the client did before the fix. close() there:
// appCodeInWritesClose.test.ts; send() order: appCodeInWritesOrder.test.ts.
import { describe, expect, it } from 'vitest';
import { inWriteClient as setup } from './inWriteClient';

describe('a send of the other kind from inside the write of the flush', () => {
  it('a tracked message sent inside the write of a queued untracked one goes out with that flush', () => {
    const { fake, client } = setup(
      (data) => {
        if (data === '"A"') client.send('{"id":1}');
      },
      { reliable: true },
    );
    expect(client.send('"A"')).toBe('queued');
    fake.last().accept();
    // Before: ['"A"'] — the flush read the outbox's unsent entries once, before the write (none
    // then): {"id":1} waits on an open socket until something else flushes.
    expect(fake.last().sent).toEqual(['"A"', '{"id":1}']);
    expect(client.stats.messagesUnacked).toBe(1);
    expect(client.bufferedAmount).toBe(0);
    void client.close();
  });

  it('an untracked message sent inside the write of a waiting tracked one goes out with that flush', () => {
    const { fake, client } = setup(
      (data) => {
        if (data === '{"id":1}') client.send('"B"');
      },
      { reliable: true },
    );
    expect(client.send('{"id":1}')).toBe('queued');
    fake.last().accept();
    // Before: ['{"id":1}'] — the flush took the queue as it was before the write (none yet):
    // B waits in the queue (messagesQueued 1) on an open socket.
    expect(fake.last().sent).toEqual(['{"id":1}', '"B"']);
    expect(client.stats.messagesQueued).toBe(0);
    void client.close();
  });
});

describe('a message with ttlMs 0 sent from inside the write of the flush', () => {
  it('is not written by the flush under way at its deadline: it expired, as anywhere else', () => {
    let result: string | undefined;
    const { fake, client, dropped } = setup((data) => {
      if (data === 'A') result = client.send('B', { ttlMs: 0 });
    });
    expect(client.send('A')).toBe('queued');
    fake.last().accept();
    expect(result).toBe('queued');
    // Before: ['A', 'B'], no dropped event — the flush takes out what expired once, before its
    // first write; B, queued behind A at its deadline, is written. (Sent while connecting, with an
    // accept at that same instant, B is dropped as expired: the flush finds it due.)
    expect(fake.last().sent).toEqual(['A']);
    expect(dropped).toEqual(['B expired']);
    void client.close();
  });
});

describe('a send from inside the write of a tracked message its own send() writes at once', () => {
  it('does not write that message a second time', () => {
    const { fake, client } = setup(
      (data) => {
        if (data === '{"id":1}') client.send('"B"');
      },
      { reliable: true },
    );
    fake.last().accept();
    expect(client.send('{"id":1}')).toBe('sent');
    // Before: ['{"id":1}', '{"id":1}', '"B"'] — the outbox holds the message as unsent until its
    // write returns and it is not marked in flight there: B's send flushes it again.
    expect(fake.last().sent).toEqual(['{"id":1}', '"B"']);
    void client.close();
  });
});

describe('a tracked message whose signal is aborted inside its own write', () => {
  // Written, it waits for its ack, and an unacknowledged message whose signal is aborted is
  // taken out (README "Per message": ttlMs and signal bound the wait, "queued, or
  // unacknowledged under reliable"), as one aborted right after the write would be.
  it('written by the flush at open: taken out as aborted once the write is done', () => {
    const controller = new AbortController();
    const { fake, client, dropped } = setup((data) => data === '{"id":1}' && controller.abort(), { reliable: true });
    expect(client.send('{"id":1}', { signal: controller.signal })).toBe('queued');
    fake.last().accept();
    expect(fake.last().sent).toEqual(['{"id":1}']);
    // Before: [] and 1 unacked — kept in flight, then marked sent: it waits for its ack with its
    // signal aborted, told aborted only at the next reconnect's flush or at close(), or acked.
    expect(dropped).toEqual(['{"id":1} aborted']);
    expect(client.stats.messagesUnacked).toBe(0);
    void client.close();
  });

  it('written at once by its own send(): taken out as aborted once the write is done', () => {
    const controller = new AbortController();
    const { fake, client, dropped } = setup((data) => data === '{"id":1}' && controller.abort(), { reliable: true });
    fake.last().accept();
    expect(client.send('{"id":1}', { signal: controller.signal })).toBe('sent');
    // Before: [] and 1 unacked — its abort listener is added only after the write (#watch), on a
    // signal aborted already: it never fires.
    expect(dropped).toEqual(['{"id":1} aborted']);
    expect(client.stats.messagesUnacked).toBe(0);
    void client.close();
  });
});

describe('a send that overflows a drop-oldest queue from inside the write of its oldest message', () => {
  it('does not evict the message being written: it went out', () => {
    const { fake, client, dropped } = setup(
      (data) => {
        if (data === 'A') client.send('B');
      },
      { queue: { maxMessages: 1, maxBytes: 1000, overflow: 'drop-oldest' } },
    );
    expect(client.send('A')).toBe('queued');
    fake.last().accept();
    expect(fake.last().sent).toEqual(['A', 'B']);
    // Before: ['A overflow'] — A, still at the queue's head while in flight, was evicted to make
    // room for B: on the wire and told dropped (messagesSent 2, messagesDropped 1).
    expect(dropped).toEqual([]);
    void client.close();
  });
});

describe('a tracked copy replaced from inside the write of an earlier queued message', () => {
  it('is not written: only the copy that replaced it goes out', () => {
    const { fake, client } = setup(
      (data) => {
        if (data === '"A"') client.send('{"id":1,"v":2}');
      },
      { reliable: true },
    );
    client.send('"A"');
    client.send('{"id":1,"v":1}');
    fake.last().accept();
    // Before: ['"A"', '{"id":1,"v":1}', '{"id":1,"v":2}'] — the flush read v1's outbox entry
    // before writing A, and wrote it after the send in A's write had replaced it.
    expect(fake.last().sent).toEqual(['"A"', '{"id":1,"v":2}']);
    void client.close();
  });
});

describe('a signal aborted inside the write of the flush that its own send() starts', () => {
  it('the message is not written: dropped as aborted, as when id() aborts it', () => {
    const controller = new AbortController();
    const { conn, client, dropped, backlog } = setup((data) => data === 'A' && controller.abort());
    backlog('A'); // A stays queued at open
    // The flush this send starts writes A first; A's write aborts X's signal.
    const result = client.send('X', { signal: controller.signal });
    // Before: 'sent', ['A', 'X'], no dropped event — the signal is read once, before the flush.
    expect(conn.sent).toEqual(['A']);
    expect(result).toBe('dropped');
    expect(dropped).toEqual(['X aborted']);
    void client.close();
  });
});

describe('a tracked message taken out from inside its own write, which its send() makes at once', () => {
  it('leaves the deadlines of the other waiting messages as they were', () => {
    const shared = new AbortController();
    const { fake, client, dropped, clock, setDuring } = setup(() => {}, { reliable: true });
    fake.last().accept();
    expect(client.send('{"id":2}', { signal: shared.signal })).toBe('sent'); // unacked, holds the signal
    expect(client.send('{"id":3}', { ttlMs: 500 })).toBe('sent'); // unacked for 500 ms at most
    setDuring((data) => data === '{"id":1}' && shared.abort()); // takes out 2, and 1 (not in flight)
    client.send('{"id":1}', { signal: shared.signal, ttlMs: 1000 });
    expect(dropped).toContain('{"id":2} aborted');
    clock.advance(600);
    // Before: no '{"id":3} expired' (and 1 unacked) until 1000 ms — 1 was taken out inside its
    // write, its limits let go of (the expiry count down, the timer cancelled), and only then
    // watched by #accept (after the write): the timer re-armed for 1's deadline, 3's forgotten.
    expect(dropped).toContain('{"id":3} expired');
    expect(client.stats.messagesUnacked).toBe(0);
    void client.close();
  });
});
