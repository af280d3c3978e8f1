// The heap that keeps the heartbeats of every client on a clock: items that know their own place
// (placeAt, unplace), checked against a plain sorted list under random moves and removals.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Placed, placeAt, unplace } from '../../src/client/minHeap';

interface Item extends Placed {
  readonly name: number;
}

/** Every parent at or before its children, and every item where its index says. */
function wellFormed(heap: Item[]): boolean {
  return heap.every(
    (item, i) => item.index === i && (i === 0 || ((heap[(i - 1) >> 1] as Item).at as number) <= (item.at as number)),
  );
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('place' as const), item: fc.nat(15), at: fc.integer({ min: 0, max: 50 }) }),
  fc.record({ kind: fc.constant('unplace' as const), item: fc.nat(15) }),
  fc.record({ kind: fc.constant('popFirst' as const) }),
);

describe('placeAt / unplace (a min-heap of items that know their place)', () => {
  it('keeps the earliest first through any sequence of places, moves and removals', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const items: Item[] = Array.from({ length: 16 }, (_, name) => ({ name }));
        const heap: Item[] = [];
        const reference = new Map<number, number>(); // name → at, for the items in the heap
        for (const o of ops) {
          if (o.kind === 'place') {
            placeAt(heap, items[o.item] as Item, o.at);
            reference.set(o.item, o.at);
          } else if (o.kind === 'unplace') {
            unplace(heap, items[o.item] as Item);
            reference.delete(o.item);
          } else if (heap[0]) {
            const first = heap[0];
            expect(first.at).toBe(Math.min(...reference.values()));
            unplace(heap, first);
            reference.delete(first.name);
          }
          expect(wellFormed(heap)).toBe(true);
          expect(heap.length).toBe(reference.size);
        }
        for (const item of items)
          if (!reference.has(item.name)) expect([item.index, item.at]).toEqual([undefined, undefined]);
      }),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
