/**
 * A binary min-heap by `at` on a plain array, so a timer reads only what is due instead of
 * walking everything that waits: the heartbeats of every client on a clock, the `ttlMs`
 * deadlines of waiting messages (a sorted array is one too). Each item keeps its own place
 * (`index`), so it can move or leave in O(log n) without a wrapper entry per item (every idle
 * client's heartbeat is one: memory).
 */
export interface Placed {
  at?: number | undefined;
  index?: number | undefined;
}

const atOf = (item: Placed) => item.at as number;

/** Puts `item` in the heap under `at`, or moves it there if it is in already. */
export function placeAt<T extends Placed>(heap: T[], item: T, at: number): void {
  item.at = at;
  if (item.index === undefined) item.index = heap.push(item) - 1;
  settle(heap, item.index);
}

/** Takes `item` out of the heap, if it is in (it is then under no time). */
export function unplace<T extends Placed>(heap: T[], item: T): void {
  const i = item.index;
  item.at = undefined;
  if (i === undefined) return;
  item.index = undefined;
  const last = heap.pop() as T;
  if (last === item) return;
  heap[i] = last;
  last.index = i;
  settle(heap, i);
}

/** A heap of items already placed, made anew (a sorted array is a heap): each learns its place. */
export function heapFrom<T extends Placed>(items: T[]): T[] {
  items.sort((a, b) => atOf(a) - atOf(b));
  items.forEach((item, i) => {
    item.index = i;
  });
  return items;
}

/** Moves the item at `i` up or down to where its `at` belongs. */
function settle<T extends Placed>(heap: T[], i: number): void {
  const item = heap[i] as T;
  const at = atOf(item);
  for (let parent = (i - 1) >> 1; i > 0 && atOf(heap[parent] as T) > at; parent = (i - 1) >> 1) {
    move(heap, heap[parent] as T, i);
    i = parent;
  }
  for (;;) {
    let child = 2 * i + 1;
    if (child >= heap.length) break;
    if (child + 1 < heap.length && atOf(heap[child + 1] as T) < atOf(heap[child] as T)) child++;
    if (atOf(heap[child] as T) >= at) break;
    move(heap, heap[child] as T, i);
    i = child;
  }
  move(heap, item, i);
}

function move<T extends Placed>(heap: T[], item: T, i: number): void {
  heap[i] = item;
  item.index = i;
}
