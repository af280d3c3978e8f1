// Work that grows with the number of waiting messages when a hand-written transport runs app
// code inside its send() (appCodeInWrites.test.ts), counted as in scaling.test.ts: a scenario
// at n and 8n, a deterministic count; a linear path grows ~8×, a quadratic one ~64×.
import type { Client } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { inWriteClient } from './inWriteClient';

const SMALL = 125;
const LARGE = 1000;
const LINEAR_BOUND = 20;

type Store = { length: number; remove(...args: unknown[]): unknown };

/** Counts the messages each queue `remove` call walks over (the queue's length at the call). */
function countRemoveScans(client: Client): { scanned: number } {
  const counter = { scanned: 0 };
  const store = (client as unknown as { queue: Store | undefined }).queue;
  if (!store) throw new Error('no queue yet');
  const remove = store.remove.bind(store);
  store.remove = (...args: unknown[]) => {
    counter.scanned += store.length;
    return remove(...args);
  };
  return counter;
}

describe('a full drop-oldest queue, flushed by a transport whose writes send', () => {
  it('each eviction made from inside a write costs O(1), not a pass over the queue', () => {
    const scans = (n: number) => {
      // Each queued message's write sends two more (a hook of the app's): the first fits in the
      // room the message in flight leaves, the second evicts the oldest waiting message.
      const { client, conn, dropped } = inWriteClient(
        (data, c) => {
          if (typeof data !== 'string' || !data.startsWith('m')) return;
          c.send(`x${data}a`);
          c.send(`x${data}b`);
        },
        { queue: { maxMessages: n, maxBytes: 1 << 20, overflow: 'drop-oldest' } },
      );
      for (let i = 0; i < n; i++) client.send(`m${i}`);
      const counter = countRemoveScans(client);
      conn.accept();
      // The scenario evicts (else the count below says nothing): every message written made room
      // for one more and then took one out.
      expect(dropped.filter((d) => d.endsWith(' overflow')).length).toBeGreaterThanOrEqual(n / 2);
      void client.close();
      return counter.scanned;
    };
    const small = scans(SMALL);
    const large = scans(LARGE);
    // Before: ~64× — the queue evicted "the oldest but the one being written" with remove(), a
    // pass over (and a copy of) the whole queue for every message it evicted.
    expect(
      large / Math.max(small, 1),
      `queue items scanned: ${small} at n=${SMALL}, ${large} at n=${LARGE}`,
    ).toBeLessThan(LINEAR_BOUND);
  });
});
