/**
 * A binary min-heap by `at` on a plain array, so a timer reads only what is due instead of
 * walking everything that waits: the heartbeats of every client on a clock, the `ttlMs`
 * deadlines of waiting messages. (A sorted array is one too.)
 */
export interface Timed {
  readonly at: number;
}

export function heapPush<T extends Timed>(heap: T[], item: T): void {
  let i = heap.push(item) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as T).at <= item.at) break;
    heap[i] = heap[parent] as T;
    i = parent;
  }
  heap[i] = item;
}

/** Removes the earliest (read it first as `heap[0]`). */
export function heapPop<T extends Timed>(heap: T[]): void {
  const last = heap.pop();
  if (!last || heap.length === 0) return;
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= heap.length) break;
    if (child + 1 < heap.length && (heap[child + 1] as T).at < (heap[child] as T).at) child++;
    if ((heap[child] as T).at >= last.at) break;
    heap[i] = heap[child] as T;
    i = child;
  }
  heap[i] = last;
}
