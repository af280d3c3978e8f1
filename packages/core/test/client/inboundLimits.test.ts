// What an async `messages` schema may hold is bounded even where reading cannot pause (a
// browser's WebSocket): at BACKLOG_MAX messages from one connection (or BACKLOG_MAX_SIZE) that
// connection is let go. And a validation that never settles holds the line for
// VALIDATION_DEADLINE_MS from its arrival at most: every later message waits behind it.
import type { CloseRecord, InvalidMessageEvent, ReconnectingEvent, Transport } from '@resock/core';
import { createFakeTransport, flushPromises, type VirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { BACKLOG_HIGH_SIZE, BACKLOG_MAX, BACKLOG_MAX_SIZE, VALIDATION_DEADLINE_MS } from '../../src/client/inbound';
import { gatedSchema, harness, schemaFrom } from './clientHarness';

/** As a browser's WebSocket: no pause(), ping() or terminate(). */
const browserLike = { pause: false, ping: false, terminate: false } as const;

/** Validates `"never"` never, `"slow:<ms>"` after that long (on the client's clock), anything else at once. */
function stubbornSchema() {
  const on: { clock?: VirtualClock } = {};
  const schema = schemaFrom((value) => {
    if (value === 'never') return new Promise(() => undefined);
    const slow = typeof value === 'string' && /^slow:(\d+)$/.exec(value);
    if (slow) return new Promise((resolve) => on.clock?.setTimeout(() => resolve({ value }), Number(slow[1])));
    return Promise.resolve({ value });
  });
  return { schema, on };
}

/** A client whose schema is `stubbornSchema()`, on a transport like a browser's, open. */
function stubborn() {
  const { schema, on } = stubbornSchema();
  const h = harness({ messages: schema }, browserLike);
  on.clock = h.clock;
  const conn = h.transport.last();
  conn.accept();
  return { ...h, conn };
}

describe('a flood faster than the schema, where reading cannot pause', () => {
  it(`lets the connection go at ${BACKLOG_MAX} waiting messages, as a transport error the policy retries`, () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema }, browserLike);
    const conn = h.transport.last();
    conn.accept();
    for (let i = 0; i < BACKLOG_MAX - 1; i++) conn.deliver(`"m${i}"`);
    expect(h.of('close')).toEqual([]);
    conn.deliver('"one too many"');
    // Before: never let go — a hostile server's flood waited in the page's memory without bound.
    expect(h.of<CloseRecord>('close')).toMatchObject([
      {
        code: 1006,
        phase: 'open',
        initiator: 'transport',
        synthetic: true,
        error: { name: 'ClientRuntimeError', code: 'RESOCK_BACKLOG_FULL' },
      },
    ]);
    expect(conn.closeCall).toEqual({ code: 4000, reason: 'message backlog' });
    expect(h.of<ReconnectingEvent>('reconnecting')).toMatchObject([{ action: 'retry' }]);
  });

  it('counts size too: large messages let it go before their number does', () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema }, browserLike);
    const conn = h.transport.last();
    conn.accept();
    // Pages of zeros never touched: the test holds no real memory for them.
    conn.deliver(new Uint8Array(BACKLOG_MAX_SIZE));
    // One message alone is no flood (the platform took it whole; dropping the link frees nothing).
    expect(h.of('close')).toEqual([]);
    conn.deliver('"small"');
    expect(h.of<CloseRecord>('close')).toMatchObject([
      { initiator: 'transport', error: { code: 'RESOCK_BACKLOG_FULL' } },
    ]);
  });

  it('a policy rule can match the limit by its error code', () => {
    const { schema } = gatedSchema();
    const policy = { rules: [{ errors: ['RESOCK_BACKLOG_FULL'], action: 'stop' as const }] };
    const h = harness({ messages: schema, policy }, browserLike);
    const conn = h.transport.last();
    conn.accept();
    for (let i = 0; i < BACKLOG_MAX; i++) conn.deliver(`"m${i}"`);
    expect(h.client.state).toBe('failed');
  });

  it('a connection closing is not let go again: its close is under way', () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema }, browserLike);
    const conn = h.transport.last();
    conn.accept();
    conn.goSilent();
    void h.client.close(1000, 'bye');
    for (let i = 0; i < BACKLOG_MAX; i++) conn.deliver(`"m${i}"`);
    expect(conn.closeCall).toEqual({ code: 1000, reason: 'bye' });
    expect(h.client.state).toBe('closing');
  });

  it('where reading can pause, a few large messages pause it before their number would', async () => {
    const { schema, release } = gatedSchema();
    const h = harness({ messages: schema });
    const conn = h.transport.last();
    conn.accept();
    conn.deliver('"first"');
    conn.deliver(new Uint8Array(BACKLOG_HIGH_SIZE));
    // Before: read on until 1000 messages waited, however large each.
    expect(conn.paused).toBe(true);
    let heard = 0;
    const both = new Promise<void>((resolve) => h.client.on('message', () => ++heard === 2 && resolve()));
    release();
    await both;
    expect(conn.paused).toBe(false);
  });
});

describe('a validation that does not settle', () => {
  it(`is an invalid message after ${VALIDATION_DEADLINE_MS / 1000} s, and the messages behind it are heard`, async () => {
    const h = stubborn();
    h.conn.deliver('"never"');
    h.conn.deliver('"next"');
    await h.clock.advanceAsync(VALIDATION_DEADLINE_MS - 1);
    expect(h.of('invalidMessage')).toEqual([]);
    expect(h.of('message')).toEqual([]);
    await h.clock.advanceAsync(1);
    // Before: nothing after "never" was ever heard, on this connection or any later one.
    expect(h.of<InvalidMessageEvent>('invalidMessage')).toEqual([
      { data: '"never"', issues: [{ message: 'the schema did not settle within 60 s' }] },
    ]);
    expect(h.of('message')).toEqual(['next']);
    expect(h.names().filter((name) => name === 'invalidMessage' || name === 'message')).toEqual([
      'invalidMessage',
      'message',
    ]);
  });

  it('the deadline runs from arrival: a line of them is reported together, not one deadline after another', async () => {
    const h = stubborn();
    for (let i = 0; i < 3; i++) h.conn.deliver('"never"');
    await h.clock.advanceAsync(VALIDATION_DEADLINE_MS);
    expect(h.of('invalidMessage')).toHaveLength(3);
  });

  it('one settling within its deadline is delivered, in order', async () => {
    const h = stubborn();
    const slow = `slow:${VALIDATION_DEADLINE_MS - 1}`;
    h.conn.deliver(JSON.stringify(slow));
    h.conn.deliver('"after"');
    await h.clock.advanceAsync(VALIDATION_DEADLINE_MS);
    expect(h.of('invalidMessage')).toEqual([]);
    expect(h.of('message')).toEqual([slow, 'after']);
  });

  it('close() leaves no deadline running, nor starts one for the messages behind', async () => {
    const h = stubborn();
    const client = h.clock.pending(); // the open connection's own (its stable timer)
    h.conn.deliver(`"slow:1000"`);
    h.conn.deliver('"never"');
    await flushPromises();
    expect(h.clock.pending()).toBe(client + 2); // the slow one's validation (the app's timer), and its deadline
    await h.client.close();
    expect(h.clock.pending()).toBe(1);
    await h.clock.advanceAsync(1000); // the slow one settles: "never" comes to the head
    expect(h.clock.pending()).toBe(0);
  });
});

describe('the limits, reviewed', () => {
  it('a message validated while reading was paused is heard before what resume() hands over', async () => {
    // A transport whose resume() delivers, synchronously, what arrived while it was paused.
    const fake = createFakeTransport();
    let held: string[] = [];
    let paused = false;
    let deliver: (data: string) => void = () => undefined;
    const transport: Transport = {
      connect(request, handlers) {
        const platform = fake.connect(request, handlers);
        deliver = (data) => (paused ? held.push(data) : handlers.onMessage(data));
        return {
          send: (data) => platform.send(data),
          close: (code, reason) => platform.close(code, reason),
          pause: () => {
            paused = true;
          },
          resume: () => {
            paused = false;
            const buffered = held;
            held = [];
            for (const data of buffered) handlers.onMessage(data);
          },
        };
      },
    };
    const { schema, release } = gatedSchema();
    const h = harness({ messages: schema, transport });
    fake.last().accept();
    deliver(JSON.stringify('x'.repeat(BACKLOG_HIGH_SIZE))); // pauses reading by its size
    deliver('not JSON'); // known at once: no wait of its own
    expect(held).toEqual(['not JSON']);
    const both = new Promise<void>((resolve) => h.client.on('invalidMessage', () => resolve()));
    release();
    await both;
    // Before: the resume came first, and "not JSON" was heard before the message ahead of it.
    expect(h.names().filter((name) => name === 'message' || name === 'invalidMessage')).toEqual([
      'message',
      'invalidMessage',
    ]);
  });

  it('a client the policy stopped runs no deadline; revived, the deadline runs again', async () => {
    const policy = { rules: [{ codes: [4000], action: 'stop' as const }] };
    const { schema, on } = stubbornSchema();
    const h = harness({ messages: schema, policy }, browserLike);
    on.clock = h.clock;
    h.transport.last().accept();
    h.transport.last().deliver('"never"');
    await flushPromises();
    h.transport.last().serverClose(4000, 'kicked');
    expect(h.client.state).toBe('failed');
    // Before: the deadline's timer kept running on a failed client (a Node process stayed up).
    expect(h.clock.pending()).toBe(0);
    await h.clock.advanceAsync(2 * VALIDATION_DEADLINE_MS);
    expect(h.of('invalidMessage')).toEqual([]);
    h.client.reconnect();
    await h.clock.advanceAsync(0);
    expect(h.of<InvalidMessageEvent>('invalidMessage')).toMatchObject([{ data: '"never"' }]);
  });

  it('a new connection is not let go for what the one before it left waiting', async () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema }, browserLike);
    h.transport.last().accept();
    const first = h.transport.last();
    for (let i = 0; i < BACKLOG_MAX; i++) first.deliver(`"m${i}"`);
    expect(h.of('close')).toHaveLength(1);
    h.client.reconnect(); // now, rather than after the back-off
    const second = h.transport.last();
    expect(second).not.toBe(first);
    second.accept();
    second.deliver('"hello"');
    // Before: let go on its first message, for the 10 000 the first connection left waiting.
    expect(h.of('close')).toHaveLength(1);
    expect(h.client.state).toBe('open');
  });

  it('connections one after another cannot stack their backlogs without bound', () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema }, browserLike);
    const leave = (count: number) => {
      h.transport.last().accept();
      for (let i = 0; i < count; i++) h.transport.last().deliver(`"m${i}"`);
    };
    leave(BACKLOG_MAX - 1);
    h.client.reconnect();
    leave(BACKLOG_MAX - 1);
    h.client.reconnect();
    h.clock.advance(1000); // (the app's second attempt within a second dials once that second is over)
    expect(h.of('close').filter((r) => (r as CloseRecord).error)).toEqual([]);
    leave(2); // twice the limit waits, this connection's part in it
    // Before: each connection could leave just under the limit waiting, for ever more of them.
    expect(h.of<CloseRecord>('close').at(-1)).toMatchObject({ error: { code: 'RESOCK_BACKLOG_FULL' } });
  });

  it('a message on time after a late one gives the next its grace again', async () => {
    const h = stubborn();
    h.conn.deliver('"never"');
    h.conn.deliver('"ok"'); // settled long before its turn
    h.conn.deliver(`"slow:${VALIDATION_DEADLINE_MS + 500}"`); // its turn comes at 60 s: it has until 61 s
    await h.clock.advanceAsync(VALIDATION_DEADLINE_MS + 1000);
    // Before: reported late at 60 s, as if the message before it had been late too.
    expect(h.of<InvalidMessageEvent>('invalidMessage').map((e) => e.data)).toEqual(['"never"']);
    expect(h.of('message')).toEqual(['ok', `slow:${VALIDATION_DEADLINE_MS + 500}`]);
  });

  it('a schema that works through a long line, a message at a time, loses none of it', async () => {
    // Each validation settles 100 ms after the one before it: the last of 1000 after 100 s.
    const on: { clock?: VirtualClock } = {};
    let free = 0;
    const schema = schemaFrom((value) => {
      const now = on.clock?.now() ?? 0;
      free = Math.max(free, now) + 100;
      return new Promise((resolve) => on.clock?.setTimeout(() => resolve({ value }), free - now));
    });
    const h = harness({ messages: schema }, browserLike);
    on.clock = h.clock;
    h.transport.last().accept();
    for (let i = 0; i < 1000; i++) h.transport.last().deliver(`"m${i}"`);
    await h.clock.advanceAsync(101_000);
    // Before (a deadline from arrival alone): the 400 validated after 60 s were reported late.
    expect(h.of('invalidMessage')).toEqual([]);
    expect(h.of('message')).toHaveLength(1000);
  });
});
