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

/** How fast a clock ahead of the wall clock (it was set back) comes back to it: 10 % of the time passing. */
const SLEW = 0.1;

/**
 * The wall clock, never set back. While it moves forward it is read as it is; when it goes back
 * (NTP stepping it, a user), the time the monotonic clock (`performance.now()`, where the runtime
 * has one) saw pass is counted instead, and the clock, now ahead of the wall clock, comes back to
 * it: at once if the wall clock is set forward again, else by running at 0.9× until it meets it
 * (a deadline of 10 s then takes 11 s). Without this, every deadline checked against the clock
 * would be held for as long as it went back (a heartbeat finding no dead peer for an hour). A
 * jump forward (a device waking up, its monotonic clock stopped) counts as time gone. With no
 * monotonic clock, a clock set back holds time only until the next reading.
 */
export function forwardTime(wall: () => number, monotonic?: () => number): () => number {
  // A monotonic clock counts only while its readings are numbers (none, or a broken one: NaN).
  const mono = (): number | undefined => {
    const m = monotonic?.();
    return m !== undefined && Number.isFinite(m) ? m : undefined;
  };
  let lastWall = wall();
  // A recent pair of readings of both clocks: the time that passed since the last reading, if
  // the wall clock goes back, is the monotonic time since the pair less the wall time since it.
  let pairWall = lastWall;
  let pairMono = mono();
  let ahead = 0;
  return () => {
    const w = wall();
    if (w >= lastWall && ahead === 0) {
      // The common path (every message): the wall clock alone, the pair renewed once a second.
      if (w - pairWall >= 1000) {
        pairWall = w;
        pairMono = mono();
      }
      lastWall = w;
      return w;
    }
    // Catching up, read again within the wall clock's tick: keep the pair, whose monotonic time
    // counts when the tick comes (renewed now, it would lose it, and the slew run slow).
    if (w === lastWall) return w + ahead;
    const m = mono();
    // -1: no monotonic clock to go by.
    const passed = m !== undefined && pairMono !== undefined ? Math.max(0, m - pairMono - (lastWall - pairWall)) : -1;
    if (w < lastWall) ahead += lastWall - w + Math.max(0, passed);
    else if (passed >= 0) {
      // What the wall clock gained beyond the time that passed is given back first (it was set
      // right again); then 10 % of the time passing. Never more than the wall clock gained: the
      // clock never goes back.
      const gained = w - lastWall;
      ahead = Math.max(0, ahead - Math.min(gained, Math.max(0, gained - passed) + passed * SLEW));
    }
    lastWall = w;
    pairWall = w;
    pairMono = m;
    return w + ahead;
  };
}

/** The wall clock as it is: for reading absolute dates (an HTTP-date), not for deadlines. */
export const wallTime = (): number => Date.now();

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
