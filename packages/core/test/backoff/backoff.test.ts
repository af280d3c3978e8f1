import {
  type Backoff,
  computeBackoff,
  constant,
  definePolicy,
  exponential,
  grpc,
  InvalidPolicyError,
  linear,
} from '@resock/core';
import { seededRandom } from '@resock/core/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const at = (u: number) => () => u;

/** Many delays at one attempt, to look at their spread. */
function sample(backoff: Backoff, attempt: number, n = 2000, seed = 7): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  let previousDelayMs: number | undefined;
  for (let i = 0; i < n; i++) {
    const delay = computeBackoff(
      backoff,
      attempt,
      previousDelayMs === undefined ? { random } : { random, previousDelayMs },
    );
    out.push(delay);
    previousDelayMs = delay;
  }
  return out;
}

describe('exponential', () => {
  it('defaults to 1 s, ×2, cap 30 s, full jitter', () => {
    expect(exponential()).toEqual({
      type: 'exponential',
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      factor: 2,
      jitter: 'full',
    });
  });

  it.each([
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [100, 30_000],
    [5000, 30_000], // 2^4999 overflows to Infinity: still the cap, never NaN
  ])('without jitter, attempt %d waits %d ms', (attempt, ms) => {
    expect(computeBackoff(exponential({ jitter: 'none' }), attempt)).toBe(ms);
  });

  it.each([
    ['full', 0, 4000],
    ['equal', 2000, 4000],
  ] as const)('%s jitter keeps attempt 3 within [%d, %d]', (jitter, low, high) => {
    const delays = sample(exponential({ jitter }), 3);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(low);
    expect(Math.max(...delays)).toBeLessThanOrEqual(high);
  });

  it.each(['full', 'equal', 'decorrelated', 0.2] as const)(
    'keeps %s jitter spread at the cap instead of collapsing onto it',
    (jitter) => {
      const delays = sample(exponential({ jitter }), 50);
      const distinct = new Set(delays.map((d) => Math.round(d)));
      expect(Math.max(...delays)).toBeLessThanOrEqual(30_000);
      // socket.io's bug: every delay exactly the cap. Here at most a sliver may touch it.
      expect(delays.filter((d) => d === 30_000).length).toBeLessThan(delays.length * 0.01);
      expect(distinct.size).toBeGreaterThan(delays.length * 0.5);
      const spread = Math.max(...delays) - Math.min(...delays);
      expect(spread).toBeGreaterThan(30_000 * 0.2);
    },
  );

  it('decorrelated jitter stays within [initial, min(cap, 3 × previous)]', () => {
    const backoff = exponential({ jitter: 'decorrelated' });
    expect(computeBackoff(backoff, 1, { random: at(0.999999), previousDelayMs: 2000 })).toBeCloseTo(6000, -1);
    expect(computeBackoff(backoff, 1, { random: at(0), previousDelayMs: 20_000 })).toBe(1000);
    expect(computeBackoff(backoff, 1, { random: at(1), previousDelayMs: 20_000 })).toBe(30_000);
  });

  it('throws InvalidPolicyError naming the field', () => {
    expect(() => exponential({ factor: 0.5 })).toThrow(InvalidPolicyError);
    expect(() => exponential({ factor: 0.5 })).toThrow(/factor: expected a factor ≥ 1/);
    expect(() => exponential({ initialDelayMs: 5000, maxDelayMs: 1000 })).toThrow(
      /maxDelayMs: expected maxDelayMs ≥ initialDelayMs/,
    );
    expect(() => exponential({ jitter: 'lots' as never })).toThrow(/jitter: expected "none", "full"/);
    expect(() => exponential({ maxDelayMs: 2 ** 40 })).toThrow(/timers overflow/);
    expect(() => exponential({ initialDelayMs: 0, jitter: 'decorrelated' })).toThrow(/initialDelayMs/);
  });

  it('refuses a delay given where its options go (it spread to nothing: the defaults, silently)', () => {
    const given = (f: (o: unknown) => unknown, value: unknown) => () => f(value);
    expect(given(constant as never, 500)).toThrow(
      /constant: expected an options object, e\.g\. constant\(\{ delayMs: 500 \}\)/,
    );
    expect(given(exponential as never, 500)).toThrow(/exponential\(\{ initialDelayMs: 500 \}\)/);
    expect(given(linear as never, '200')).toThrow(InvalidPolicyError);
    expect(given(grpc as never, null)).toThrow(InvalidPolicyError);
    expect(given(constant as never, [500])).toThrow(InvalidPolicyError);
    expect(constant().delayMs).toBe(1000); // no options: the defaults, as before
  });
});

describe('windowed jitter (the default policy’s)', () => {
  const backoff = exponential({ jitter: 'windowed' });

  it('puts retry n in [raw/2, raw) after the outage began, whatever time has passed', () => {
    for (const [attempt, elapsedMs, low, high] of [
      [1, 0, 0, 1000],
      [2, 400, 1000, 2000],
      [3, 1700, 2000, 4000],
      [4, 3500, 4000, 8000],
    ] as const) {
      for (const u of [0, 0.5, 0.999]) {
        const at = elapsedMs + computeBackoff(backoff, attempt, { random: () => u, elapsedMs });
        expect(at).toBeGreaterThanOrEqual(low);
        expect(at).toBeLessThan(high);
      }
    }
  });

  it('spreads a linear back-off too: retry n in [raw − step, raw)', () => {
    const steps = linear({ initialDelayMs: 1000, stepMs: 1000, maxDelayMs: 10_000, jitter: 'windowed' });
    for (const [attempt, low, high] of [
      [1, 0, 1000],
      [2, 1000, 2000],
      [3, 2000, 3000],
    ] as const) {
      const at = [0, 0.5, 0.999].map((u) => computeBackoff(steps, attempt, { random: () => u, elapsedMs: 0 }));
      for (const t of at) {
        expect(t).toBeGreaterThanOrEqual(low);
        expect(t).toBeLessThan(high);
      }
      expect(new Set(at).size).toBe(3); // spread, not one instant for the whole fleet
    }
  });

  it('samples what is left of a window already entered', () => {
    const at = 1500 + computeBackoff(backoff, 2, { random: () => 0, elapsedMs: 1500 });
    expect(at).toBe(1500);
  });

  it('falls back to plain full jitter once the window has passed, at the cap, or without an outage start', () => {
    expect(computeBackoff(backoff, 2, { random: () => 0.5, elapsedMs: 9000 })).toBe(1000);
    expect(computeBackoff(backoff, 10, { random: () => 0.5, elapsedMs: 100 })).toBe(15_000);
    expect(computeBackoff(backoff, 2, { random: () => 0.5 })).toBe(1000);
  });
});

describe('grpc', () => {
  it('is 1 s, ×1.6, ±20 %, cap 120 s', () => {
    const backoff = grpc();
    expect(backoff).toEqual({
      type: 'exponential',
      initialDelayMs: 1000,
      maxDelayMs: 120_000,
      factor: 1.6,
      jitter: 0.2,
    });
    expect(computeBackoff(backoff, 1, { random: at(0) })).toBeCloseTo(800);
    expect(computeBackoff(backoff, 1, { random: at(1) })).toBeCloseTo(1200);
    expect(computeBackoff(backoff, 3, { random: at(0.5) })).toBeCloseTo(2560);
  });

  it('scales the ±20 % window under the cap rather than clipping it', () => {
    const delays = sample(grpc(), 30);
    expect(Math.max(...delays)).toBeLessThanOrEqual(120_000);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(120_000 * (0.8 / 1.2) - 1);
  });
});

describe('constant', () => {
  it('waits delayMs plus uniform [0, jitterMs]', () => {
    const backoff = constant({ delayMs: 500, jitterMs: 100 });
    expect(computeBackoff(backoff, 1, { random: at(0) })).toBe(500);
    expect(computeBackoff(backoff, 9, { random: at(1) })).toBe(600);
    expect(computeBackoff(constant(), 3)).toBe(1000);
  });
});

describe('linear', () => {
  it('adds stepMs per attempt up to the cap', () => {
    const backoff = linear({ initialDelayMs: 100, stepMs: 250, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5, 9].map((n) => computeBackoff(backoff, n))).toEqual([100, 350, 600, 850, 1000, 1000]);
  });
});

describe('every back-off, on any input', () => {
  const jitter = fc.oneof(
    fc.constantFrom('none', 'full', 'equal', 'decorrelated', 'windowed'),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );
  const backoffs = fc.oneof(
    fc
      .record({
        initialDelayMs: fc.integer({ min: 1, max: 60_000 }),
        extra: fc.integer({ min: 0, max: 600_000 }),
        factor: fc.double({ min: 1, max: 10, noNaN: true }),
        jitter,
      })
      .map(({ initialDelayMs, extra, factor, jitter }) =>
        exponential({ initialDelayMs, maxDelayMs: initialDelayMs + extra, factor, jitter }),
      ),
    fc
      .record({
        delayMs: fc.integer({ min: 0, max: 60_000 }),
        jitterMs: fc.integer({ min: 0, max: 60_000 }),
      })
      .map((o) => constant(o)),
    fc
      .record({
        initialDelayMs: fc.integer({ min: 0, max: 60_000 }),
        stepMs: fc.integer({ min: 0, max: 60_000 }),
        extra: fc.integer({ min: 0, max: 600_000 }),
      })
      .map(({ initialDelayMs, stepMs, extra }) =>
        linear({ initialDelayMs, stepMs, maxDelayMs: initialDelayMs + extra }),
      ),
  );

  it('gives a delay within [0, cap], whatever the attempt or random()', () => {
    fc.assert(
      fc.property(
        backoffs,
        fc.oneof(fc.integer({ min: -5, max: 10_000 }), fc.double()),
        fc.oneof(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.double()),
        fc.option(fc.double({ min: 0, max: 1e7, noNaN: true }), { nil: undefined }),
        (backoff, attempt, u, previousDelayMs) => {
          const cap = backoff.type === 'constant' ? backoff.delayMs + backoff.jitterMs : backoff.maxDelayMs;
          const context = previousDelayMs === undefined ? { random: () => u } : { random: () => u, previousDelayMs };
          const delay = computeBackoff(backoff, attempt, context);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(cap);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads an attempt of Infinity as huge (the cap), not as the first', () => {
    for (const backoff of [exponential({ jitter: 'none' }), linear({ jitter: 'none' })]) {
      expect(computeBackoff(backoff, 1e308)).toBe(30_000);
      expect(computeBackoff(backoff, Number.POSITIVE_INFINITY)).toBe(30_000);
    }
  });
});

describe('back-off jitter with an unknown outage start or previous delay', () => {
  // jitter.ts: windowed is plain full jitter "once a span has passed, or at the cap" and (tested)
  // "without an outage start"; README: "Jitter stays spread at the cap". A non-finite elapsedMs /
  // previousDelayMs is unknown, as a NaN attempt is (retryNumber reads it as 1): it must not pin
  // every client of a fleet to one instant.
  it('windowed: a NaN elapsedMs is no outage start (full jitter of retry 1), not the 30 s cap for all', () => {
    const backoff = definePolicy().backoff;
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (u) => {
        const withNaN = computeBackoff(backoff, 1, { random: () => u, elapsedMs: Number.NaN });
        const without = computeBackoff(backoff, 1, { random: () => u });
        expect(withNaN).toBe(without);
      }),
    );
  });

  it('decorrelated: a NaN previousDelayMs still gives a spread delay, not always the cap', () => {
    const backoff = exponential({ jitter: 'decorrelated' });
    const delays = [0, 0.25, 0.5, 0.75].map((u) =>
      computeBackoff(backoff, 3, { random: () => u, previousDelayMs: Number.NaN }),
    );
    expect(new Set(delays).size).toBeGreaterThan(1);
  });
});
