import type { Random } from '../backoff/jitter';

/**
 * A repeatable `random()` (mulberry32): the same seed gives the same sequence on every
 * runtime, so back-off and jitter tests and simulations can be replayed exactly.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
