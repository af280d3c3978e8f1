// What grows with what an app (or a server) scales up stays linear: each test runs a scenario at
// n and 8n and compares a deterministic operation count (never a time): a linear path grows ~8×,
// a quadratic one ~64×, the bound is 20×. Queue sizes stay within the default bounds (1000
// messages / 1 MiB). Aborts and expiries that come one at a time: scalingOneByOne.test.ts.
import { getEventListeners } from 'node:events';
import { type Client, createClient } from '@resock/core';
import { createFakeTransport, createVirtualClock, seededRandom } from '@resock/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { closeClients, growth, LINEAR_BOUND, reliable, setup, walked } from './scalingHarness';

afterEach(closeClients);

/** Internals, read-only: the queue and outbox as the shell holds them (created lazily). */
type Store = { length: number; remove(...args: unknown[]): unknown };
const internals = (client: Client) =>
  client as unknown as {
    queue: Store | undefined;
    outbox: Store | undefined;
    liveHeartbeat: { dueAt: number } | undefined;
  };

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')?.get as (
  this: AbortSignal,
) => boolean;

/** A real AbortController whose signal counts how often `aborted` is read. */
function countedController(counter: { reads: number }): AbortController {
  const controller = new AbortController();
  const { signal } = controller;
  Object.defineProperty(signal, 'aborted', {
    get() {
      counter.reads++;
      return abortedGetter.call(signal);
    },
  });
  return controller;
}

describe('send() with per-message AbortSignals', () => {
  it('sending n queued messages, each with its own signal, reads signal.aborted O(n) times, not O(n²)', () => {
    const g = growth((n) => {
      const { client } = setup();
      const counter = { reads: 0 };
      const controllers = Array.from({ length: n }, () => countedController(counter));
      counter.reads = 0;
      for (let i = 0; i < n; i++) client.send(`m${i}`, { signal: controllers[i]?.signal });
      expect(client.stats.messagesQueued).toBe(n);
      return counter.reads;
    });
    expect(g.ratio, `signal.aborted reads: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });

  it('reliable: sending n messages while earlier ones await their ack reads signal.aborted O(n) times', () => {
    const g = growth((n) => {
      const { client, transport } = setup({ reliable });
      transport.last().accept();
      const counter = { reads: 0 };
      const controllers = Array.from({ length: n }, () => countedController(counter));
      counter.reads = 0;
      for (let i = 0; i < n; i++) expect(client.send(`r${i}`, { signal: controllers[i]?.signal })).toBe('sent');
      expect(client.stats.messagesUnacked).toBe(n);
      return counter.reads;
    });
    expect(g.ratio, `signal.aborted reads: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });
});

describe('withdrawing aborted messages', () => {
  it('aborting one signal shared by n queued messages withdraws them in O(n), not one queue scan per message', () => {
    const g = growth((n) => {
      const { client } = setup();
      const controller = new AbortController();
      for (let i = 0; i < n; i++) client.send(`m${i}`, { signal: controller.signal });
      const count = walked(client, () => controller.abort());
      expect(client.stats.messagesQueued).toBe(0);
      return count;
    });
    expect(g.ratio, `messages walked: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });

  it("n queued messages sharing one signal do not each add an abort listener to it (the platform's add walks them all)", () => {
    const g = growth((n) => {
      const { client } = setup();
      const controller = new AbortController();
      const { signal } = controller;
      // What EventTarget.addEventListener walks to refuse a duplicate: the listeners already there.
      let walked = 0;
      const add = signal.addEventListener.bind(signal);
      signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
        walked += getEventListeners(signal, 'abort').length;
        add(...args);
      }) as AbortSignal['addEventListener'];
      for (let i = 0; i < n; i++) client.send(`m${i}`, { signal });
      expect(client.stats.messagesQueued).toBe(n);
      return walked;
    });
    expect(g.ratio, `abort listeners walked while adding: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });

  it('11 queued messages sharing one signal raise no MaxListenersExceededWarning (a "possible memory leak")', async () => {
    await new Promise((resolve) => setImmediate(resolve)); // warnings of earlier tests first
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const { client } = setup();
      const controller = new AbortController();
      for (let i = 0; i < 11; i++) client.send(`m${i}`, { signal: controller.signal });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('ttlMs expiry', () => {
  /** Sums the length of every array `includes` searches while `work` runs. */
  function includesScans(work: () => void): number {
    const original = Array.prototype.includes;
    let scanned = 0;
    Array.prototype.includes = function (this: unknown[], ...args: [unknown, number?]) {
      scanned += this.length;
      return original.apply(this, args);
    };
    try {
      work();
    } finally {
      Array.prototype.includes = original;
    }
    return scanned;
  }

  it('n queued messages expiring together are told in O(n log n), not one expired-list search each (dropAll)', () => {
    const g = growth((n) => {
      const { client, clock } = setup();
      for (let i = 0; i < n; i++) client.send(`m${i}`, { ttlMs: 1_000 });
      const scanned = includesScans(() => clock.advance(1_001));
      expect(client.stats.messagesDropped).toBe(n);
      return scanned;
    });
    expect(g.ratio, `elements searched by Array#includes: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });

  it('takeQueued() after a late expiry timer tells n expired messages without an O(n²) search', () => {
    const g = growth((n) => {
      const { client, clock } = setup();
      for (let i = 0; i < n; i++) client.send(`m${i}`, { ttlMs: 1_000 });
      clock.jump(2_000); // a throttled tab: the timer has not fired yet
      const scanned = includesScans(() => expect(client.takeQueued()).toEqual([]));
      expect(client.stats.messagesDropped).toBe(n);
      return scanned;
    });
    expect(g.ratio, `elements searched by Array#includes: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });
});

describe('a reliable outbox while the socket refuses sends', () => {
  it('each send reads only the unsent entries it tries, not the whole outbox', () => {
    const g = growth((n) => {
      const { client, transport } = setup({ reliable });
      transport.last().accept();
      const half = Math.ceil(n / 2);
      for (let i = 0; i < half; i++) expect(client.send(`r${i}`)).toBe('sent'); // awaiting their acks
      transport.last().refuseSends(); // the peer's close has begun; the close deadline runs
      const outbox = internals(client).outbox as unknown as {
        unsentEntries(): IterableIterator<unknown>;
      };
      const entries = outbox.unsentEntries.bind(outbox);
      let read = 0;
      outbox.unsentEntries = () => {
        const inner = entries();
        return {
          next: () => {
            read++;
            return inner.next();
          },
          [Symbol.iterator]() {
            return this;
          },
        } as IterableIterator<unknown>;
      };
      for (let i = half; i < 2 * half; i++) expect(client.send(`r${i}`)).toBe('queued');
      expect(client.stats.messagesUnacked).toBe(2 * half);
      return read;
    });
    expect(g.ratio, `outbox entries read: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });
});

describe('the heartbeat scheduler shared by the clients on one clock', () => {
  it('N clients whose heartbeats are spread out cost O(N log N) task reads per interval, not O(N²)', () => {
    const intervalMs = 60_000;
    const spacingMs = 25; // > COALESCE_MS: each client's ping is its own firing
    const measure = (count: number) => {
      const clock = createVirtualClock(Date.UTC(2026, 0, 1));
      const transport = createFakeTransport();
      let reads = 0;
      const made: Client[] = [];
      for (let i = 0; i < count; i++) {
        const client = createClient({
          url: 'wss://x.test/',
          transport,
          clock,
          random: seededRandom(i),
          heartbeat: { intervalMs, timeoutMs: 10_000 },
        });
        transport.last().accept();
        made.push(client);
        const heartbeat = internals(client).liveHeartbeat;
        if (!heartbeat) throw new Error('no heartbeat');
        let dueAt = heartbeat.dueAt;
        Object.defineProperty(heartbeat, 'dueAt', {
          get: () => {
            reads++;
            return dueAt;
          },
          set: (value: number) => {
            dueAt = value;
          },
        });
        clock.advance(spacingMs);
      }
      reads = 0;
      const pingsBefore = transport.connections.reduce((sum, c) => sum + c.pings, 0);
      clock.advance(intervalMs);
      const pings = transport.connections.reduce((sum, c) => sum + c.pings, 0) - pingsBefore;
      expect(pings).toBe(count); // each client pinged once in the interval
      for (const client of made) void client.close();
      return reads;
    };
    const small = measure(250);
    const large = measure(2_000);
    const ratio = large / Math.max(small, 1);
    expect(
      ratio,
      `task.dueAt reads in one interval: ${small} at N=250, ${large} at N=2000 (×${ratio.toFixed(1)})`,
    ).toBeLessThan(LINEAR_BOUND);
  });
});
