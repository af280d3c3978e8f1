// Reliable delivery's outbox, checked against a plain list kept in send order, under random
// sends (some replacing a copy under its id, some placed ahead by app code inside a write), acks,
// takes, writes, reconnects and drop-oldest evictions.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Outbox } from '../../src/client/outbox';

interface Kept {
  id: number;
  data: string;
  seq: number;
  sent: boolean;
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    id: fc.nat(9),
    size: fc.integer({ min: 1, max: 40 }),
    // Sent by app code inside an earlier write: its place in send order is before the last.
    back: fc.option(fc.nat(3), { freq: 4 }),
  }),
  fc.record({ kind: fc.constant('ack' as const), id: fc.nat(9) }),
  fc.record({ kind: fc.constant('take' as const), id: fc.nat(9) }),
  fc.record({ kind: fc.constant('markSent' as const), id: fc.nat(9) }),
  fc.record({ kind: fc.constant('resend' as const) }),
);

const limits = fc.record({
  maxMessages: fc.integer({ min: 1, max: 6 }),
  maxBytes: fc.integer({ min: 40, max: 120 }),
});

describe('Outbox (drop-oldest)', () => {
  it('keeps send order, evicts the oldest and says what it holds, as a sorted list does', () => {
    fc.assert(
      fc.property(limits, fc.array(op, { maxLength: 150 }), ({ maxMessages, maxBytes }, ops) => {
        const outbox = new Outbox({ maxMessages, maxBytes, overflow: 'drop-oldest' });
        let kept: Kept[] = [];
        let next = 0;
        let late = 0;
        const bytes = (list: Kept[]) => list.reduce((sum, k) => sum + k.data.length, 0);
        const fits = (list: Kept[], size: number) => list.length < maxMessages && bytes(list) + size <= maxBytes;
        for (const o of ops) {
          if (o.kind === 'add') {
            const data = `${o.id}:`.padEnd(o.size, '.');
            // Unique, as the client's shared counter makes them.
            const seq = o.back === null ? 1000 * next++ : 1000 * (next - 1 - o.back) + ++late;
            const others = kept.filter((k) => k.id !== o.id);
            const result = outbox.add(o.id, data, seq);
            if (data.length > maxBytes) {
              expect(result.accepted).toBe(false);
              continue;
            }
            const evicted: string[] = [];
            while (!fits(others, data.length)) evicted.push((others.shift() as Kept).data);
            others.push({ id: o.id, data, seq, sent: false });
            kept = others.sort((a, b) => a.seq - b.seq);
            expect(result.accepted && result.evicted.map((e) => e.data)).toEqual(evicted);
          } else if (o.kind === 'ack') {
            expect(outbox.ack(o.id)).toBe(kept.find((k) => k.id === o.id)?.data);
            kept = kept.filter((k) => k.id !== o.id);
          } else if (o.kind === 'take') {
            const entry = outbox.entry(o.id);
            if (entry) expect(outbox.take(entry)).toBe(entry);
            kept = kept.filter((k) => k.id !== o.id);
          } else if (o.kind === 'markSent') {
            outbox.markSent(o.id);
            for (const k of kept) if (k.id === o.id) k.sent = true;
          } else {
            outbox.resend();
            for (const k of kept) k.sent = false;
          }
          const unsent = kept.filter((k) => !k.sent);
          expect(outbox.length).toBe(kept.length);
          expect(outbox.bytes).toBe(bytes(kept));
          expect(outbox.unsentBytes).toBe(bytes(unsent));
          expect([...outbox.unsentEntries()].map(([, e]) => e.data)).toEqual(unsent.map((k) => k.data));
        }
        expect(outbox.drain().map((e) => e.data)).toEqual(kept.map((k) => k.data));
        expect(outbox.length).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
