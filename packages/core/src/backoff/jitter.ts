/**
 * Jitter spreads a fleet's retries so they do not arrive together.
 * - `none`: the raw delay.
 * - `full`: uniform in [0, raw] (AWS "full jitter").
 * - `equal`: uniform in [raw/2, raw].
 * - `decorrelated`: uniform in [initial, min(cap, 3 × previous)] (AWS "decorrelated jitter").
 * - a ratio r in 0–1: uniform in [raw·(1−r), raw·(1+r)] (gRPC's ±20 %), with the range scaled
 *   down so its top is the cap.
 * - `windowed`: full jitter, but in spans anchored to when the outage began — retry n lands
 *   uniformly in [raw(n−1), raw(n)) after the outage started (the first in [0, initial)):
 *   [raw/factor, raw) for an exponential back-off, [raw − step, raw) for a linear one. One
 *   client's delays look like full jitter; a fleet's generations no longer overlap, so retries
 *   refused while a server was down do not pile onto the first span. Once a span has
 *   passed (slow attempts), or at the cap, it is plain full jitter from now.
 *
 * Every mode keeps delays spread at the cap. socket.io's ±50 % is clamped to the cap instead,
 * so after a few attempts every client waits exactly 5000 ms: the herd we want to avoid.
 */
export type Jitter = 'none' | 'full' | 'equal' | 'decorrelated' | 'windowed' | number;

/** A uniform random number in [0, 1). Injected so tests and simulations are repeatable. */
export type Random = () => number;

export const systemRandom: Random = () => Math.random();

/** Reads the injected `random()`, forcing a broken one (NaN, 7, -1) back into [0, 1]. */
export function uniform(random: Random): number {
  const u = random();
  return Number.isFinite(u) ? Math.min(1, Math.max(0, u)) : 0.5;
}

export interface JitterInput {
  raw: number;
  initialDelayMs: number;
  maxDelayMs: number;
  previousDelayMs: number | undefined;
  /** ms since the outage began, for `windowed`. */
  elapsedMs: number | undefined;
  /** The previous retry's raw delay, where `windowed` puts this retry's span start. */
  windowStartMs: number;
  random: Random;
}

export function applyJitter(jitter: Jitter, input: JitterInput): number {
  const { raw, initialDelayMs, maxDelayMs, random } = input;
  switch (jitter) {
    case 'none':
      return raw;
    case 'full':
      return uniform(random) * raw;
    case 'equal':
      return raw / 2 + (uniform(random) * raw) / 2;
    case 'windowed': {
      const start = raw >= maxDelayMs || raw <= initialDelayMs ? 0 : input.windowStartMs;
      const elapsed = input.elapsedMs;
      if (elapsed === undefined || raw >= maxDelayMs || elapsed >= raw) return uniform(random) * raw;
      const from = Math.max(start, elapsed);
      return from + uniform(random) * (raw - from) - elapsed;
    }
    case 'decorrelated': {
      const previous = Math.max(input.previousDelayMs ?? initialDelayMs, initialDelayMs);
      const upper = Math.min(maxDelayMs, previous * 3);
      return initialDelayMs + uniform(random) * Math.max(0, upper - initialDelayMs);
    }
    default: {
      let low = raw * (1 - jitter);
      let high = raw * (1 + jitter);
      if (high > maxDelayMs && high > 0) {
        low *= maxDelayMs / high;
        high = maxDelayMs;
      }
      return low + uniform(random) * (high - low);
    }
  }
}
