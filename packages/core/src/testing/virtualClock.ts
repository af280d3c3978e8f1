import type { Clock, TimerHandle } from '../clock';

interface VirtualTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/**
 * A clock whose time moves only when the test says so. Timers fire in due order (ties in the
 * order they were set), including timers set by timers inside the advanced window.
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
  let timers: VirtualTimer[] = [];

  const take = (until: number): VirtualTimer | undefined => {
    let best: VirtualTimer | undefined;
    for (const timer of timers) {
      if (
        timer.dueAt <= until &&
        (!best || timer.dueAt < best.dueAt || (timer.dueAt === best.dueAt && timer.id < best.id))
      ) {
        best = timer;
      }
    }
    if (best) {
      const chosen = best;
      timers = timers.filter((t) => t !== chosen);
    }
    return best;
  };

  const clock: VirtualClock = {
    now: () => now,
    setTimeout(callback, delayMs): TimerHandle {
      const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
      const timer = { id: nextId++, dueAt: now + delay, callback };
      timers.push(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle);
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
    pending: () => timers.length,
    nextDueAt: () => (timers.length === 0 ? undefined : Math.min(...timers.map((t) => t.dueAt))),
  };
  return clock;
}
