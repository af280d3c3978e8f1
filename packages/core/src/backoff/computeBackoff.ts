import { InvalidPolicyError } from '../errors';
import { checkContext } from '../policy/decideArguments';
import { type Backoff, type BackoffInput, backoffCap, resolveBackoff } from './backoffSpec';
import { applyJitter, type Random, systemRandom, uniform } from './jitter';

export interface BackoffContext {
  /** Default: `Math.random`. */
  random?: Random;
  /** The delay used last time; decorrelated jitter grows from it. */
  previousDelayMs?: number;
  /** ms since the outage began; windowed jitter anchors its spans there. */
  elapsedMs?: number;
}

/** `attempt` as a retry number ≥ 1: NaN is unknown (1), Infinity is huge (not 1). */
export const retryNumber = (attempt: number): number =>
  Number.isNaN(attempt) ? 1 : Math.max(1, Math.floor(Math.min(attempt, Number.MAX_SAFE_INTEGER)));

const finite = (value: number | undefined): number | undefined => (Number.isFinite(value) ? value : undefined);

/**
 * The delay before retry number `attempt` (1 = the first retry) under `backoff`: a built one
 * (`exponential()`) or its input (`{ type: 'exponential', maxDelayMs: 60_000 }`), checked as
 * definePolicy checks it (`InvalidPolicyError`; a `TypeError` for a `context` that is no
 * object). Always within [0, the back-off's cap], whatever `attempt` or `random()` is.
 */
export function computeBackoff(backoff: Backoff | BackoffInput, attempt: number, context: BackoffContext = {}): number {
  const result = resolveBackoff(backoff);
  if (!result.ok) throw new InvalidPolicyError(result.problems);
  checkContext('computeBackoff()', context, '{ random, previousDelayMs, elapsedMs }');
  return backoffDelay(result.backoff, attempt, context);
}

/** computeBackoff() on a back-off definePolicy resolved: nothing to check. */
export function backoffDelay(backoff: Backoff, attempt: number, context: BackoffContext = {}): number {
  const random = context.random ?? systemRandom;
  const n = retryNumber(attempt);
  let delay: number;
  if (backoff.type === 'constant') {
    delay = backoff.delayMs + uniform(random) * backoff.jitterMs;
  } else {
    const { initialDelayMs, maxDelayMs } = backoff;
    const rawOf = (k: number): number => {
      if (backoff.type === 'linear') return Math.min(maxDelayMs, initialDelayMs + backoff.stepMs * (k - 1));
      // factor^(k−1) overflows to Infinity for large k; 0 × Infinity would be NaN.
      const growth = backoff.factor ** (k - 1);
      return initialDelayMs === 0
        ? 0
        : Number.isFinite(growth)
          ? Math.min(maxDelayMs, initialDelayMs * growth)
          : maxDelayMs;
    };
    delay = applyJitter(backoff.jitter, {
      raw: rawOf(n),
      initialDelayMs,
      maxDelayMs,
      // Not a finite number is unknown (as a NaN attempt): else it would pin every client to the cap.
      previousDelayMs: finite(context.previousDelayMs),
      elapsedMs: finite(context.elapsedMs),
      windowStartMs: n > 1 ? rawOf(n - 1) : 0,
      random,
    });
  }
  const cap = backoffCap(backoff);
  return Number.isFinite(delay) ? Math.min(cap, Math.max(0, delay)) : cap;
}
