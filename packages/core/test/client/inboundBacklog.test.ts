// An async `messages` schema slower than the server: what waits to be validated is bounded by
// back-pressure. Past BACKLOG_HIGH waiting messages the connection stops being read (a
// transport's pause(): TCP then slows the server), and it is read again at BACKLOG_LOW.
import type { StandardSchemaV1 } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { BACKLOG_HIGH, BACKLOG_LOW } from '../../src/client/inbound';
import { harness } from './clientHarness';

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
