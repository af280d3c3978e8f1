/**
 * Time as core sees it. Everything in core that reads the time or schedules work goes through a
 * `Clock`, so tests (and the 100 000-client storm simulation) can run on a virtual one.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Opaque: whatever the clock's `setTimeout` returned. */
export type TimerHandle = unknown;

/**
 * The wall clock, never set back: while it moves forward it is read as it is; when it goes back
 * (NTP stepping it, a user), the time the monotonic clock (`performance.now()`, where the runtime
 * has one) saw pass is counted instead, and the difference kept from then on. Without it, every
 * deadline checked against the clock would be held for as long as it went back (a heartbeat
 * finding no dead peer for an hour). A jump forward (a device waking up) counts as time gone.
 */
export function forwardTime(wall: () => number, monotonic?: () => number): () => number {
  let lastWall = wall();
  let lastMonotonic = monotonic?.() ?? 0;
  let offset = 0;
  return () => {
    const w = wall();
    const m = monotonic?.() ?? lastMonotonic;
    // A broken monotonic reading (NaN) counts as no time.
    if (w < lastWall) offset += lastWall - w + Math.max(0, m - lastMonotonic || 0);
    lastWall = w;
    lastMonotonic = m;
    return w + offset;
  };
}

const performanceNow = globalThis.performance?.now?.bind(globalThis.performance);

/** The platform's own clock. */
export const systemClock: Clock = {
  now: forwardTime(() => Date.now(), performanceNow),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  // The handle's type differs per runtime (number, Node's Timeout); it is only ever handed back.
  clearTimeout: (handle) => clearTimeout(handle as Parameters<typeof clearTimeout>[0]),
};

/**
 * The largest delay a platform timer honours: Node and browsers store it in a signed 32-bit
 * integer and fire at once on overflow, which would turn a long back-off into a hot loop.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * A timer that fires this much past its time was throttled or frozen with its tab (browsers
 * slow background timers to once a minute), not on time: deadlines and heartbeat checks give
 * the events queued meanwhile a chance before they conclude anything.
 */
export const LATE_TIMER_MS = 1000;
