import { definePolicy, matchRule, normalizeClose } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { decideWith, delays, handshake, record } from './decideHelpers';

/** [min, max] of a list. */
const bounds = (values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];

describe('default preset: one test per row of docs/close-codes.md', () => {
  it('1000 from the server: stop', () => {
    expect(decideWith(record(1000))).toMatchObject({
      action: 'stop',
      rule: 'default:normal-closure',
      stopReason: 'rule',
    });
  });

  it('1001 Going Away: retry within 0–1 s, then the default back-off', () => {
    const first = delays(record(1001));
    expect(decideWith(record(1001))).toMatchObject({ action: 'retry', rule: 'default:going-away' });
    expect(bounds(first)[0]).toBeGreaterThanOrEqual(0);
    expect(bounds(first)[1]).toBeLessThanOrEqual(1000);
    const second = delays(record(1001), {
      attempt: 4,
      consecutive: { rule: 'default:going-away', count: 1 },
    });
    expect(bounds(second)[1]).toBeLessThanOrEqual(8000);
    expect(bounds(second)[1]).toBeGreaterThan(1000); // full jitter over [0, 8 s]: not the 0–1 s window
  });

  it.each([1002, 1003, 1007, 1009, 1010])('%d: stop', (code) => {
    expect(decideWith(record(code))).toMatchObject({
      action: 'stop',
      rule: 'default:fatal-protocol',
    });
  });

  it.each([1005, 1006, 1011, 1014, 3008, 3001, 3999, 4000, 4001, 4999])(
    '%d: retry with the default back-off (1 s ×2, cap 30 s, full jitter)',
    (code) => {
      expect(decideWith(record(code))).toMatchObject({
        action: 'retry',
        rule: 'default:transient',
        counts: true,
      });
      const [low, high] = bounds(delays(record(code), { attempt: 1 }));
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1000);
      const capped = bounds(delays(record(code), { attempt: 12 }));
      expect(capped[1]).toBeLessThanOrEqual(30_000);
      expect(capped[1]).toBeGreaterThan(20_000);
    },
  );

  it.each([1008, 3000])('%d: refresh at once with a hook, at most 2 in a row, else stop', (code) => {
    expect(decideWith(record(code))).toMatchObject({
      action: 'refresh',
      rule: 'default:auth',
      delayMs: 0,
    });
    expect(decideWith(record(code), { consecutive: { rule: 'default:auth', count: 1 } })).toMatchObject({
      action: 'refresh',
      consecutive: 2,
    });
    expect(decideWith(record(code), { consecutive: { rule: 'default:auth', count: 2 } })).toMatchObject({
      action: 'stop',
      stopReason: 'maxConsecutive',
      consecutive: 3,
    });
    expect(decideWith(record(code), { refreshAvailable: false })).toMatchObject({
      action: 'stop',
      stopReason: 'refreshUnavailable',
    });
  });

  it('1012 Service Restart: retry after a uniform 5–30 s, each 1012 in a row (at least that under the back-off)', () => {
    const first = delays(record(1012));
    expect(bounds(first)[0]).toBeGreaterThanOrEqual(5000);
    expect(bounds(first)[1]).toBeLessThanOrEqual(30_000);
    expect(bounds(first)[1] - bounds(first)[0]).toBeGreaterThan(20_000); // spread, not a spike
    const again = delays(record(1012), {
      attempt: 2,
      consecutive: { rule: 'default:service-restart', count: 1 },
    });
    // A restart interrupted again: the fleet still spreads over 5–30 s.
    expect(bounds(again)[0]).toBeGreaterThanOrEqual(5000);
    expect(bounds(again)[1]).toBeLessThanOrEqual(30_000);
  });

  it('1015 TLS handshake (Node: a certificate it cannot trust): throttle ≥ 30 s, exponential to 5 min', () => {
    expect(decideWith(record(1015, { phase: 'connecting', initiator: 'transport' }))).toMatchObject({
      action: 'throttle',
      rule: 'default:tls-handshake',
    });
    const first = bounds(delays(record(1015, { phase: 'connecting', initiator: 'transport' })));
    expect(first[0]).toBeGreaterThanOrEqual(30_000);
    const later = bounds(delays(record(1015, { phase: 'connecting', initiator: 'transport' }), { attempt: 12 }));
    expect(later[1]).toBeLessThanOrEqual(360_000);
  });

  it('1013 Try Again Later: throttle ≥ 30 s, exponential to 5 min, spread', () => {
    expect(decideWith(record(1013))).toMatchObject({
      action: 'throttle',
      rule: 'default:try-again-later',
    });
    const first = bounds(delays(record(1013)));
    expect(first[0]).toBeGreaterThanOrEqual(30_000);
    expect(first[1]).toBeLessThanOrEqual(36_000);
    expect(first[1] - first[0]).toBeGreaterThan(3000);
    const later = bounds(delays(record(1013), { attempt: 9 }));
    expect(later[0]).toBeGreaterThanOrEqual(300_000 * (0.8 / 1.2) - 1);
    expect(later[1]).toBeLessThanOrEqual(300_000);
  });

  it('3003 Forbidden: stop', () => {
    expect(decideWith(record(3003))).toMatchObject({ action: 'stop', rule: 'default:forbidden' });
  });

  it.each([0, 999, 1004, 1016, 2999, 5000, 65535])(
    'an invalid code (%d): retry, at most 3 in a row, then stop',
    (code) => {
      const rule = 'default:invalid-code';
      expect(decideWith(record(code))).toMatchObject({ action: 'retry', rule });
      expect(decideWith(record(code), { consecutive: { rule, count: 2 } })).toMatchObject({
        action: 'retry',
      });
      expect(decideWith(record(code), { consecutive: { rule, count: 3 } })).toMatchObject({
        action: 'stop',
        stopReason: 'maxConsecutive',
      });
    },
  );

  it('handshake HTTP 401: refresh at most 2 in a row, else stop', () => {
    expect(decideWith(handshake(401))).toMatchObject({
      action: 'refresh',
      rule: 'default:http-401',
      delayMs: 0,
    });
    expect(decideWith(handshake(401), { consecutive: { rule: 'default:http-401', count: 2 } })).toMatchObject({
      action: 'stop',
      stopReason: 'maxConsecutive',
    });
  });

  it.each([400, 403, 404, 405, 426])('handshake HTTP %d: stop', (status) => {
    expect(decideWith(handshake(status))).toMatchObject({
      action: 'stop',
      rule: 'default:http-client-error',
    });
  });

  it.each([408, 500, 502, 503, 504])('handshake HTTP %d: retry with the default back-off', (status) => {
    expect(decideWith(handshake(status))).toMatchObject({
      action: 'retry',
      rule: 'default:http-transient',
    });
    expect(bounds(delays(handshake(status)))[1]).toBeLessThanOrEqual(1000);
  });

  it('a failed handshake with nothing known (a browser): retry, with fresh credentials before the 2nd, 4th, 8th, … in a row', () => {
    const unknown = record(1006, { phase: 'connecting' });
    const nth = (count: number, refreshAvailable = true) =>
      decideWith(unknown, {
        attempt: count,
        refreshAvailable,
        ...(count > 1 ? { consecutive: { rule: 'default:handshake-unknown', count: count - 1 } } : {}),
      });
    expect(nth(1)).toMatchObject({ action: 'retry', rule: 'default:handshake-unknown', consecutive: 1 });
    const actions = Array.from({ length: 16 }, (_, i) => nth(i + 1).action);
    expect(actions.flatMap((action, i) => (action === 'refresh' ? [i + 1] : []))).toEqual([2, 4, 8, 16]);
    // The wait is the retry's back-off (not "at once", as a refresh rule's first is).
    expect(nth(4).delayMs).toBe(nth(4, false).delayMs);
    expect(nth(4).explanation).toContain('fresh credentials first (4 in a row)');
    // Without a hook: a plain retry, never a stop.
    expect(Array.from({ length: 16 }, (_, i) => nth(i + 1, false).action)).toEqual(Array(16).fill('retry'));
  });

  it.each([
    [
      "a close the client made up while offline (reason 'offline')",
      normalizeClose({ code: 1006, reason: 'offline' }, { phase: 'connecting', initiator: 'transport' }),
    ],
    [
      'a refused connection',
      record(1006, { phase: 'connecting', error: { code: 'ECONNREFUSED', message: 'refused' } }),
    ],
    ['a connect timeout', record(1006, { phase: 'connecting', initiator: 'timeout' })],
  ])('a failed handshake from %s: retry with the default back-off', (_label, closeRecord) => {
    expect(decideWith(closeRecord)).toMatchObject({ action: 'retry', rule: 'default:transient' });
  });

  it('handshake HTTP 429 with Retry-After: wait what the server said, +0–10 %', () => {
    const waited = bounds(delays(handshake(429, { 'retry-after': '7' })));
    expect(decideWith(handshake(429, { 'retry-after': '7' }))).toMatchObject({
      action: 'throttle',
      rule: 'default:http-retry-after',
    });
    expect(waited[0]).toBeGreaterThanOrEqual(7000);
    expect(waited[1]).toBeLessThanOrEqual(7700);
  });

  it('handshake HTTP 429 without Retry-After: throttle ≥ 30 s', () => {
    const waited = bounds(delays(handshake(429)));
    expect(decideWith(handshake(429))).toMatchObject({
      action: 'throttle',
      rule: 'default:http-429',
    });
    expect(waited[0]).toBeGreaterThanOrEqual(30_000);
    expect(waited[1]).toBeLessThanOrEqual(36_000);
  });

  it('handshake HTTP 503 with Retry-After: throttle by it (clamped to 10 min)', () => {
    expect(decideWith(handshake(503, { 'retry-after': '20' }))).toMatchObject({
      action: 'throttle',
    });
    const waited = bounds(delays(handshake(503, { 'retry-after': '20' })));
    expect(waited[0]).toBeGreaterThanOrEqual(20_000);
    expect(waited[1]).toBeLessThanOrEqual(22_000);
    const hostile = bounds(delays(handshake(503, { 'retry-after': '315360000' })));
    expect(hostile[1]).toBeLessThanOrEqual(660_000); // 10 min + at most 10 % jitter
  });

  it.each([
    [302, 'stop', 'default:http-not-websocket'],
    [200, 'stop', 'default:http-not-websocket'],
    [100, 'stop', 'default:http-not-websocket'],
    // A 101 the client refuses (no `Connection: Upgrade`, a wrong accept key, a subprotocol
    // mismatch): retried, at most 3 in a row.
    [101, 'retry', 'default:http-invalid-upgrade'],
    [418, 'stop', 'default:http-other-4xx'],
    [501, 'retry', 'default:http-other-5xx'],
  ])('handshake HTTP %d (not in the issue table): %s', (status, action, rule) => {
    expect(decideWith(handshake(status))).toMatchObject({ action, rule });
  });

  it('handshake HTTP 101 the client refuses: retry, at most 3 in a row, then stop', () => {
    const refused = handshake(101);
    let consecutive: { rule: string; count: number } | undefined;
    const actions: string[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const decision = decideWith(refused, { attempt, ...(consecutive ? { consecutive } : {}) });
      actions.push(decision.action);
      consecutive = { rule: decision.rule, count: decision.consecutive };
    }
    expect(actions).toEqual(['retry', 'retry', 'retry', 'stop']);
  });

  it('a dead peer found by the heartbeat: retry within 0–1 s (spread, not at once), then the default back-off', () => {
    const dead = record(1006, { initiator: 'heartbeat' });
    expect(decideWith(dead)).toMatchObject({ action: 'retry', rule: 'default:heartbeat-dead-peer' });
    const first = bounds(delays(dead));
    expect(first[0]).toBeGreaterThanOrEqual(0);
    expect(first[1]).toBeLessThanOrEqual(1000);
    expect(first[1] - first[0]).toBeGreaterThan(500); // a fleet in step is spread over the second
    const again = decideWith(dead, {
      attempt: 2,
      consecutive: { rule: 'default:heartbeat-dead-peer', count: 1 },
    });
    expect(again.delayMs).toBeGreaterThan(0);
    expect(again.delayMs).toBeLessThanOrEqual(2000);
  });

  it('covers every close code 0–65535 with a row of its own (nothing falls through)', () => {
    const policy = definePolicy();
    for (let code = 0; code <= 65535; code++) {
      if (matchRule(policy, record(code)).id === 'fallback') throw new Error(`code ${code} fell through`);
    }
  });
});
