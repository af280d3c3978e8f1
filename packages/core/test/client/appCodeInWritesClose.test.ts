// close() from app code a hand-written transport runs inside its send(): nothing is written
// after the close frame, and nothing is left in the closed client — also when the write then
// fails (the app's hook ran before the frame went to the socket, which the page let go of
// meanwhile). Each "Before:" comment says what the client did before the fix.
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { inWriteClient as setup } from './inWriteClient';

describe('close() from inside the write of a message the flush of a send() writes', () => {
  it('nothing more is written after the close frame (the rest goes before it, or is dropped as closed)', () => {
    const { conn, client, closedAt, backlog } = setup((data) => {
      if (data === 'A') void client.close();
    });
    conn.goSilent(); // the peer does not answer the close frame at once
    backlog('A', 'B'); // A and B stay queued at open
    expect(conn.sent).toEqual([]);
    client.send('C'); // flushes A and B first
    expect(closedAt).toHaveLength(1);
    // Before: ['B', 'C'] after the close frame (sent after A) — the flush under way wrote B, and
    // send('C') (which said 'sent') wrote C, after the client's close frame (RFC 6455 §5.5.1: no
    // data frame after a Close; a browser discards them, ws fails them): counted sent, never
    // delivered, never told dropped.
    expect(conn.sent.slice(closedAt[0])).toEqual([]);
  });
});

describe('close() inside a write, once the page let the socket go', () => {
  it('close() inside the write of a tracked message, once the page let the socket go: told closed, no timer left', () => {
    const environment = createFakeEnvironment();
    const { fake, client, dropped, clock } = setup(
      (data) => {
        if (data !== '{"id":1}') return;
        environment.emit('pagehide'); // lets the socket go: nothing left for close() to wait for
        void client.close();
      },
      { reliable: true, environment },
    );
    fake.last().accept();
    expect(client.send('{"id":1}', { ttlMs: 0 })).toBe('sent');
    // Before: closed with it in the outbox and its expire timer running (close() could not take
    // out the message in flight, and nothing did after).
    expect(client.state).toBe('closed');
    expect(dropped).toEqual(['{"id":1} closed']);
    expect(clock.pending()).toBe(0);
  });

  it('tells the tracked message being written closed in send() order, ahead of one sent inside its write', () => {
    const environment = createFakeEnvironment();
    const { fake, client, dropped } = setup(
      (data, c) => {
        if (data !== '{"id":1}') return;
        c.send('{"id":2}'); // waits behind id 1 (the write under way)
        environment.emit('pagehide'); // lets the socket go: close() completes at once
        void c.close();
      },
      { reliable: true, environment },
    );
    fake.last().accept();
    client.send('{"id":1}'); // written at once, never acknowledged
    expect(client.state).toBe('closed');
    // Before: ['{"id":2} closed', '{"id":1} closed'] — close() left the message being written in
    // the outbox, and it was told once its write was done, after the later one.
    expect(dropped).toEqual(['{"id":1} closed', '{"id":2} closed']);
  });

  it('a send whose flush closed the client: dropped as closed, no expire timer left', () => {
    const { client, dropped, clock, backlog } = setup((data) => {
      if (data !== 'A') return;
      client.send('now or never', { volatile: true }); // dropped: its listener reconnects
      void client.close(); // no socket to wait for: closed at once
    });
    client.once('dropped', () => client.reconnect());
    backlog('A');
    // Before: 'queued' in a client already closed, its expire timer running for good.
    expect(client.send('X', { ttlMs: 0 })).toBe('dropped');
    expect(client.state).toBe('closed');
    expect(dropped).toEqual(['now or never volatile', 'X closed']);
    expect(clock.pending()).toBe(0);
  });
});

describe('close() inside the flush that a send() started', () => {
  it('tells that send’s message closed in send() order, ahead of what was sent after it', () => {
    const { client, dropped, backlog } = setup((data, c) => {
      if (data !== 'A') return;
      c.reconnect(); // lets this socket go: the client dials again
      c.send('Y'); // waits for the new connection
      void c.close(); // no socket to wait for: closed at once
    });
    backlog('A');
    // Found by the model (seed 44). Before: ['Y closed', 'X closed'] — X, waiting for the flush
    // ahead of it, was in no store when close() told the rest, and was told only after.
    expect(client.send('X')).toBe('dropped');
    expect(client.state).toBe('closed');
    expect(dropped).toEqual(['X closed', 'Y closed']);
  });
});

describe('close() inside a write that then fails', () => {
  /** Armed, inside the write of `target`, before the frame goes: the page goes away, the app closes. */
  const closingIn = (target: string, reliable: boolean) => {
    const environment = createFakeEnvironment();
    const h = setup(() => {}, { reliable, environment, before: true });
    const arm = () =>
      h.setDuring((data, client) => {
        if (data !== target) return;
        environment.emit('pagehide');
        void client.close();
      });
    return { ...h, arm };
  };

  it("a tracked message its send() writes at once: told closed, not left in the closed client's outbox", () => {
    const { client, conn, dropped, clock, arm } = closingIn('{"id":1}', true);
    conn.accept();
    arm();
    client.send('{"id":1}', { ttlMs: 1000 });
    expect(client.state).toBe('closed');
    // Before: [] with messagesUnacked 1 and bufferedAmount 8 for good — the write failed, so
    // wrote() (which tells a message in flight at close) never runs: send() says 'queued' on a
    // closed client and the message is never told dropped.
    expect(dropped).toEqual(['{"id":1} closed']);
    expect(client.stats.messagesUnacked).toBe(0);
    expect(client.bufferedAmount).toBe(0);
    expect(clock.pending()).toBe(0);
  });

  it("a queued message the flush of a send() writes: told closed, not left in the closed client's queue", () => {
    const { client, dropped, backlog, arm } = closingIn('A', false);
    backlog('A');
    arm();
    client.send('X'); // flushes A first
    expect(client.state).toBe('closed');
    // Before: ['X closed'] with messagesQueued 1 — A stays in the queue of the closed client.
    // (A is told after X, out of send() order: close() tells the rest from inside A's write,
    // and A's fate is known only once that write has failed.)
    expect(dropped).toEqual(['X closed', 'A closed']);
    expect(client.stats.messagesQueued).toBe(0);
  });
});

describe('a message the transport delivers inside a write, then reconnect() and close() there', () => {
  it('counts in stats.messagesReceived though close() ends the client before it can be heard', () => {
    const heard: string[] = [];
    const { conn, client } = setup((data, c) => {
      if (data !== 'A') return;
      conn.deliver('reply'); // held until the write is done
      c.reconnect(); // lets its connection go: the reply would still be heard once replayed…
      void c.close(); // …but the client is closed first (nothing to wait for), and close is final
    });
    client.on('message', (data) => heard.push(String(data)));
    client.on('close', () => heard.push('close'));
    conn.accept();
    client.send('A');
    expect(client.state).toBe('closed');
    expect(heard).toEqual(['close', 'close']); // the let-go connection's, then the client's
    // Before: 0 — counted only when heard, so a message the transport delivered went uncounted.
    expect(client.stats.messagesReceived).toBe(1);
  });
});
