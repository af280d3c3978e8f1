// The ttlMs deadlines of waiting messages in their heap: each message is dropped as expired
// exactly when its deadline passes, through aborts and the sweeps of stale entries they cause.
import type { DroppedEvent } from '@resock/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('ttlMs deadlines, through aborts and sweeps', () => {
  it.each([400, 5000, 20000])(
    'drops each message as expired exactly when its ttlMs passes, aborts and sweeps between (ttl ≤ %i)',
    (TTL) => {
      const op = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record({
            kind: fc.constant('send' as const),
            ttl: fc.option(fc.integer({ min: 0, max: TTL })),
            signal: fc.boolean(),
          }),
        },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('abort' as const), k: fc.nat(1000) }) },
        {
          weight: 2,
          arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 60 }) }),
        },
      );
      fc.assert(
        fc.property(fc.array(op, { minLength: 100, maxLength: 600 }), (ops) => {
          const h = harness();
          const msgs: Array<{ name: string; deadline?: number; ctl?: AbortController; aborted: boolean }> = [];
          let n = 0;
          const check = () => {
            const now = h.clock.now();
            const told = new Map(h.of<DroppedEvent>('dropped').map((d) => [d.data as string, d.reason]));
            for (const m of msgs) {
              if (!m.aborted && m.deadline === now && told.get(m.name) === undefined) continue; // timer at this very ms
              const want = m.aborted
                ? told.get(m.name) === 'expired'
                  ? 'expired'
                  : 'aborted'
                : m.deadline !== undefined && m.deadline <= now
                  ? 'expired'
                  : undefined;
              expect([m.name, now, m.deadline, told.get(m.name)]).toEqual([m.name, now, m.deadline, want]);
            }
          };
          for (const o of ops) {
            if (o.kind === 'send') {
              const name = `m${n++}`;
              const ctl = o.signal ? new AbortController() : undefined;
              const now = h.clock.now();
              h.client.send(name, {
                ...(o.ttl !== null ? { ttlMs: o.ttl } : {}),
                ...(ctl ? { signal: ctl.signal } : {}),
              });
              msgs.push({
                name,
                ...(o.ttl !== null ? { deadline: now + o.ttl } : {}),
                ...(ctl ? { ctl } : {}),
                aborted: false,
              });
            } else if (o.kind === 'abort') {
              const live = msgs.filter((m) => m.ctl && !m.aborted);
              const m = live[o.k % Math.max(1, live.length)];
              if (m?.ctl) {
                const told = h.of<DroppedEvent>('dropped').some((d) => d.data === m.name);
                if (!told) {
                  m.aborted = true;
                  m.ctl.abort();
                }
              }
            } else h.clock.advance(o.ms);
            check();
          }
          h.clock.advance(1000);
          check();
        }),
        { numRuns: 15, seed: 11 },
      );
    },
  );
});

describe('a sweep of the deadline heap', () => {
  it('re-indexes what it keeps: the rest still expire on time, in order', () => {
    const h = harness();
    const start = h.clock.now();
    const ctls = Array.from({ length: 200 }, (_, i) => {
      const ctl = new AbortController();
      h.client.send(`m${i}`, { ttlMs: 10_000 + ((i * 7919) % 500), signal: ctl.signal });
      return ctl;
    });
    for (const [i, c] of ctls.entries()) if (i % 4 !== 1) c.abort(); // the earliest (m0) too: a new root, found by its index
    const size = (h.client as unknown as { expiry: { size: number } }).expiry.size;
    expect(size).toBeLessThan(200); // swept
    for (let i = 1; i < 200; i += 4) {
      const at = 10_000 + ((i * 7919) % 500);
      h.clock.advance(Math.max(0, at - 1 - (h.clock.now() - start)));
      const told = () => h.of<DroppedEvent>('dropped').some((d) => d.data === `m${i}` && d.reason === 'expired');
      if (h.clock.now() - start < at) expect([i, told()]).toEqual([i, false]);
      h.clock.advance(Math.max(0, at - (h.clock.now() - start)));
      expect([i, told()]).toEqual([i, true]);
    }
  });
});
