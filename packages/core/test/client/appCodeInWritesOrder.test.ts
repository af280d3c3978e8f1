// send() order with app code a hand-written transport runs inside its send(): a message keeps
// its place ahead of what that code sends (written or waiting), and a copy it sends under the
// same reliable id replaces it. Each "Before:" comment says what the client did before the fix.
import { describe, expect, it } from 'vitest';
import { inWriteClient as setup } from './inWriteClient';

describe('a send from inside the write of the flush that a send(X) starts', () => {
  it('goes out after X: send(X) was called first (send() order, as for a listener during send(X))', () => {
    const { conn, client, backlog } = setup((data) => {
      if (data === 'A') client.send('Y');
    });
    backlog('A'); // A stays queued at open
    client.send('X'); // flushes A first
    // Before: ['A', 'Y', 'X'] — X takes its place in send() order only after the flush, so Y,
    // queued inside A's write, goes ahead of it.
    expect(conn.sent).toEqual(['A', 'X', 'Y']);
    void client.close();
  });
});

describe('a message that waits for the flush its send() starts', () => {
  it('a message that waits keeps its send() order ahead of a send made inside the flush before it', () => {
    const { conn, client, backlog } = setup(
      (data) => {
        if (data !== '"A"') return;
        client.send('{"id":2}');
        conn.refuseSends(true); // the flush stops at "B": the send in progress must wait
      },
      { reliable: true },
    );
    backlog('"A"', '"B"');
    expect(client.send('{"id":1}')).toBe('queued');
    conn.refuseSends(false);
    client.send('"C"');
    // Before: '{"id":2}' went ahead of '{"id":1}': the outbox kept the order they were added in.
    expect(conn.sent).toEqual(['"A"', '"B"', '{"id":1}', '{"id":2}', '"C"']);
    void client.close();
  });

  it('a copy sent under its id inside that flush replaces it, even once that copy expired', () => {
    const { conn, client, dropped, backlog } = setup(
      (data) => {
        if (data === '"A"') client.send('{"id":1,"v":2}', { ttlMs: 0 });
      },
      { reliable: true },
    );
    backlog('"A"');
    expect(client.send('{"id":1,"v":1}')).toBe('queued');
    // Before: the older copy went out once the newer one (now or never) had expired.
    expect(conn.sent).toEqual(['"A"']);
    expect(dropped).toEqual(['{"id":1,"v":2} expired']);
    expect(client.stats.messagesUnacked).toBe(0);
    void client.close();
  });
});

describe('a send from inside the write of the flush that send(X) starts, once the copy that replaced the message in flight is gone', () => {
  it('a copy with ttlMs 0 (expired at once): the next send still goes out after X', () => {
    const { client, conn, dropped, backlog } = setup(
      (data) => {
        if (data !== '{"id":1}') return;
        client.send('{"id":1,"v":2}', { ttlMs: 0 }); // replaces the message in flight, then expires
        client.send('"Y"');
      },
      { reliable: true },
    );
    backlog('{"id":1}');
    client.send('"X"'); // flushes {"id":1} first
    expect(dropped).toEqual(['{"id":1,"v":2} expired']);
    // Before: ['{"id":1}', '"Y"', '"X"'] — with the in-flight entry replaced (acked by
    // Outbox.add) and its copy expired, pending() is false: Y's send() finds the socket "clear"
    // and writes Y at once, ahead of X, whose send() is still waiting for its flush.
    expect(conn.sent).toEqual(['{"id":1}', '"X"', '"Y"']);
  });

  it('a copy whose signal is aborted at once: the next send still goes out after X', () => {
    const { client, conn, dropped, backlog } = setup(
      (data) => {
        if (data !== '{"id":1}') return;
        const controller = new AbortController();
        client.send('{"id":1,"v":2}', { signal: controller.signal });
        controller.abort(); // takes the copy out (the one in flight was replaced by it)
        client.send('"Y"');
      },
      { reliable: true },
    );
    backlog('{"id":1}');
    client.send('"X"');
    expect(dropped).toEqual(['{"id":1,"v":2} aborted']);
    // Before: ['{"id":1}', '"Y"', '"X"'] (as above).
    expect(conn.sent).toEqual(['{"id":1}', '"X"', '"Y"']);
  });
});
