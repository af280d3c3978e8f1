import { type Clock, MAX_TIMER_DELAY_MS, type TimerHandle } from '../clock';

interface VirtualTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/**
 * A clock whose time moves only when the test says so. Timers fire in due order (ties in the
 * order they were set), including timers set by timers inside the advanced span of time.
 */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void;
  /** Like `advance`, letting promise callbacks run between timers (for async hooks). */
  advanceAsync(ms: number): Promise<void>;
  /**
   * Moves time forward without firing anything, like a frozen or throttled tab; the overdue
   * timers fire, late, at the next `advance`.
   */
  jump(ms: number): void;
  /** Fires the next timer, moving time to it; false when none is pending. */
  runNext(): boolean;
  /** How many timers are pending: after a client's `close()` this must be 0. */
  pending(): number;
  /** When the next timer is due, or undefined. */
  nextDueAt(): number | undefined;
}

/** Resolves after the promise callbacks queued so far have run (one real macrotask). */
export function flushPromises(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

export function createVirtualClock(startMs = 0): VirtualClock {
  let now = startMs;
  let nextId = 1;
  // A binary min-heap on (dueAt, id), so the 100 000-client storm simulation stays fast;
  // cleared timers leave the map and are skipped when they reach the top.
  const heap: VirtualTimer[] = [];
  const live = new Map<number, VirtualTimer>();
  const before = (a: VirtualTimer, b: VirtualTimer) => a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.id < b.id);
  const push = (timer: VirtualTimer) => {
    heap.push(timer);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as VirtualTimer, heap[parent] as VirtualTimer)) break;
      [heap[i], heap[parent]] = [heap[parent] as VirtualTimer, heap[i] as VirtualTimer];
      i = parent;
    }
  };
  const pop = () => {
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as VirtualTimer, heap[m] as VirtualTimer)) m = l;
        if (r < heap.length && before(heap[r] as VirtualTimer, heap[m] as VirtualTimer)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as VirtualTimer, heap[i] as VirtualTimer];
        i = m;
      }
    }
    return top;
  };
  /** The next live timer due at or before `until`, taken out. */
  const take = (until: number): VirtualTimer | undefined => {
    while (heap.length > 0) {
      const top = heap[0] as VirtualTimer;
      if (!live.has(top.id)) {
        pop();
        continue;
      }
      if (top.dueAt > until) return undefined;
      pop();
      live.delete(top.id);
      return top;
    }
    return undefined;
  };

  const clock: VirtualClock = {
    now: () => now,
    setTimeout(callback, delayMs): TimerHandle {
      // As the platforms' timers: a delay past their range (2^31 − 1 ms) fires at once.
      const delay = Number.isFinite(delayMs) && delayMs > 0 && delayMs <= MAX_TIMER_DELAY_MS ? delayMs : 0;
      const timer = { id: nextId++, dueAt: now + delay, callback };
      live.set(timer.id, timer);
      push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      live.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      for (let timer = take(target); timer; timer = take(target)) {
        now = Math.max(now, timer.dueAt);
        timer.callback();
      }
      now = target;
    },
    async advanceAsync(ms) {
      const target = now + ms;
      await flushPromises();
      for (let timer = take(target); timer; timer = take(target)) {
        now = Math.max(now, timer.dueAt);
        timer.callback();
        await flushPromises();
      }
      now = target;
      await flushPromises();
    },
    jump(ms) {
      now += ms;
    },
    runNext() {
      const timer = take(Number.POSITIVE_INFINITY);
      if (!timer) return false;
      now = Math.max(now, timer.dueAt);
      timer.callback();
      return true;
    },
    pending: () => live.size,
    nextDueAt: () => {
      let earliest: number | undefined;
      for (const timer of live.values()) if (earliest === undefined || timer.dueAt < earliest) earliest = timer.dueAt;
      return earliest;
    },
  };
  return clock;
}
