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

/** The platform's own clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
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
