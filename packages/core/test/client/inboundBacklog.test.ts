// An async `messages` schema slower than the server: what waits to be validated is bounded by
// back-pressure. Past BACKLOG_HIGH waiting messages the connection stops being read (a
// transport's pause(): TCP then slows the server), and it is read again at BACKLOG_LOW.
import type { CloseRecord, StandardSchemaV1, Transport } from '@resock/core';
import { createFakeTransport, type FakeConnection } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { BACKLOG_HIGH, BACKLOG_LOW } from '../../src/client/inbound';
import { gatedSchema, harness } from './clientHarness';

/** A schema whose every validation waits until the test settles it (in arrival order). */
function heldSchema() {
  const pending: Array<() => void> = [];
  const schema: StandardSchemaV1<unknown, unknown> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => new Promise((resolve) => pending.push(() => resolve({ value }))),
    },
  };
  return { schema, pending };
}

describe('an async schema slower than the flood', () => {
  it('pauses the connection at BACKLOG_HIGH waiting messages and resumes it at BACKLOG_LOW', async () => {
    const { schema, pending } = heldSchema();
    const h = harness({ messages: schema });
    h.transport.last().accept();
    const conn = h.transport.last();
    for (let i = 0; i < BACKLOG_HIGH - 1; i++) conn.deliver(`"m${i}"`);
    expect(conn.paused).toBe(false);
    conn.deliver('"last"');
    // Before: never paused — every message the server sent waited in memory for its turn
    // (60 000 of 1 KB held 149 MB against a real ws server).
    expect(conn.paused).toBe(true);
    let heard = 0;
    const heardUpTo = (n: number) =>
      new Promise<void>((resolve) => {
        const off = h.client.on('message', () => {
          if (++heard < n) return;
          off();
          resolve();
        });
      });
    const settle = async (n: number) => {
      const done = heardUpTo(heard + n);
      for (const release of pending.splice(0, n)) release();
      await done;
    };
    await settle(BACKLOG_HIGH - BACKLOG_LOW - 1);
    expect(conn.paused).toBe(true); // BACKLOG_LOW + 1 still wait
    await settle(1);
    expect(conn.paused).toBe(false);
    await settle(BACKLOG_LOW);
    expect(heard).toBe(BACKLOG_HIGH);
    expect(conn.paused).toBe(false);
  });

  it('a connection that opens while the backlog is over the mark is paused by its first message', async () => {
    const { schema, pending } = heldSchema();
    const h = harness({ messages: schema });
    h.transport.last().accept();
    const first = h.transport.last();
    for (let i = 0; i < BACKLOG_HIGH; i++) first.deliver(`"m${i}"`);
    expect(first.paused).toBe(true);
    first.drop(); // the backlog still waits; the next connection comes
    h.clock.advance(60_000);
    h.transport.last().accept();
    const second = h.transport.last();
    expect(second).not.toBe(first);
    second.deliver('"more"');
    expect(second.paused).toBe(true);
    expect(pending.length).toBe(BACKLOG_HIGH + 1);
  });

  it('while reading is paused the heartbeat does not call the peer dead (its pong waits unread)', async () => {
    const { schema, pending } = heldSchema();
    const heartbeat = { intervalMs: 1000, timeoutMs: 500 };
    const h = harness({ messages: schema, heartbeat }, { autoPong: false });
    h.transport.last().accept();
    const conn = h.transport.last();
    for (let i = 0; i < BACKLOG_HIGH; i++) conn.deliver(`"m${i}"`);
    expect(conn.paused).toBe(true);
    h.clock.advance(1000); // the messages count as the peer's word: the ping is due a second later
    h.clock.advance(1000);
    expect(conn.pings).toBe(1);
    // Before: dead at the pong's deadline, though the client was the one not reading.
    h.clock.advance(5000);
    expect(h.of('close')).toEqual([]);
    // Read again: a ping still unanswered then is the peer's silence.
    let heard = 0;
    const all = new Promise<void>((resolve) => h.client.on('message', () => ++heard === BACKLOG_HIGH && resolve()));
    for (const release of pending.splice(0)) release();
    await all;
    expect(conn.paused).toBe(false);
    h.clock.advance(3000);
    expect(h.of('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });
});

const flood = (conn: FakeConnection, n = BACKLOG_HIGH) => {
  for (let i = 0; i < n; i++) conn.deliver(`"m${i}"`);
};

const heartbeat = { intervalMs: 1000, timeoutMs: 500 };

describe('the heartbeat holds off only for the connection paused', () => {
  it('on a transport that cannot pause (a browser), a dead peer is still found while the backlog waits', () => {
    // As @resock/browser's and nativeTransport's: no ping, no terminate, no pause()/resume() —
    // what arrives is read regardless, the app's pongs too.
    const fake = createFakeTransport({ ping: false, terminate: false });
    const transport: Transport = {
      connect(request, handlers) {
        const platform = fake.connect(request, handlers);
        return {
          send: (data) => platform.send(data),
          close: (code, reason) => platform.close(code, reason),
          get progress() {
            return platform.progress ?? 0;
          },
        };
      },
    };
    const { schema } = gatedSchema();
    const appPings = { ...heartbeat, message: 'ping', isPong: (data: unknown) => data === 'pong' };
    const h = harness({ messages: schema, heartbeat: appPings, transport });
    fake.last().accept();
    flood(fake.last());
    // Nothing paused reading, so a 'pong' would have been heard: the peer is silent.
    h.clock.advance(10_000);
    // Before: the pipeline-wide mark (1000 wait) restarted every pong deadline — the dead connection is kept open for as long as the backlog waits (for ever
    // with a validator that never settles).
    expect(h.of<CloseRecord>('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });

  it('a new connection that was never paused is still checked while the old backlog waits', () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema, heartbeat }, { autoPong: false });
    h.transport.last().accept();
    const first = h.transport.last();
    flood(first);
    expect(first.paused).toBe(true);
    first.drop(); // the link is lost; the backlog still waits
    h.clock.advance(60_000);
    const second = h.transport.last();
    expect(second).not.toBe(first);
    second.accept(); // opens; the server says nothing and answers no ping
    expect(second.paused).toBe(false);
    const closesBefore = h.of<CloseRecord>('close').length;
    h.clock.advance(10_000);
    // Before: the pipeline-wide mark spared the unpaused second connection's dead peer.
    expect(h.of<CloseRecord>('close').slice(closesBefore)).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });
});

describe('pause and the close handshake', () => {
  it('close() on a paused connection reads it again, so the peer’s close frame can arrive', () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema });
    h.transport.last().accept();
    const conn = h.transport.last();
    flood(conn);
    expect(conn.paused).toBe(true);
    conn.goSilent(); // the close frame's answer is the test's to give (a real one waits unread)
    void h.client.close(1000, 'bye');
    expect(conn.closeCall).toEqual({ code: 1000, reason: 'bye' });
    // Before: still paused — on ws the server's close frame waits unread behind the flood,
    // and the close ends on the deadline as 1006 (backPressure.e2e.test.ts).
    expect(conn.paused).toBe(false);
  });

  it('messages that arrive after close() do not pause the connection', () => {
    const { schema } = gatedSchema();
    const h = harness({ messages: schema });
    h.transport.last().accept();
    const conn = h.transport.last();
    conn.goSilent();
    void h.client.close(1000, 'bye');
    expect(h.client.state).toBe('closing');
    flood(conn); // what the server sent before it read the close frame
    // Before: paused in CLOSING — the peer's close frame behind these is never read.
    expect(conn.paused).toBe(false);
  });
});
