import { decide, definePolicy } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { decideWith, delays, handshake, now, record } from './decideHelpers';

describe('decide', () => {
  it('always stops after a close the app asked for, whatever the rules say', () => {
    const policy = {
      preset: 'persistent',
      rules: [{ codes: ['0-65535'], action: 'retry' }],
    } as const;
    for (const code of [1000, 1006, 4000]) {
      expect(decideWith(record(code, { initiator: 'client' }), {}, policy)).toMatchObject({
        action: 'stop',
        rule: 'client-close',
        stopReason: 'client',
      });
    }
  });

  it("puts the user's rules before the preset's: first match wins", () => {
    const policy = {
      rules: [
        { name: 'kick', codes: [4000], action: 'stop' },
        { codes: ['4000-4099'], action: 'refresh' },
        { codes: [1000], action: 'retry' },
      ],
    } as const;
    expect(decideWith(record(4000), {}, policy)).toMatchObject({ action: 'stop', rule: 'kick' });
    expect(decideWith(record(4050), {}, policy)).toMatchObject({
      action: 'refresh',
      rule: 'rules[1]',
    });
    expect(decideWith(record(1000), {}, policy)).toMatchObject({
      action: 'retry',
      rule: 'rules[2]',
    });
    expect(decideWith(record(4100), {}, policy)).toMatchObject({
      action: 'retry',
      rule: 'default:transient',
    });
  });

  it('matches a rule with both codes and status on either', () => {
    const policy = {
      rules: [{ name: 'auth', codes: [4401], status: [401], action: 'stop' }],
    } as const;
    expect(decideWith(record(4401), {}, policy).rule).toBe('auth');
    expect(decideWith(handshake(401), {}, policy).rule).toBe('auth');
  });

  it('narrows by initiator', () => {
    const policy = { rules: [{ codes: [1006], initiator: ['timeout'], action: 'stop' }] } as const;
    expect(decideWith(record(1006, { initiator: 'timeout' }), {}, policy).action).toBe('stop');
    expect(decideWith(record(1006), {}, policy).action).toBe('retry');
  });

  it("uses a rule's own back-off, and the policy's for the rest", () => {
    const policy = {
      rules: [{ codes: [4001], action: 'retry', backoff: { type: 'constant', delayMs: 250 } }],
      backoff: { type: 'constant', delayMs: 5000 },
    } as const;
    expect(decideWith(record(4001), { attempt: 9 }, policy).delayMs).toBe(250);
    expect(decideWith(record(1006), { attempt: 9 }, policy).delayMs).toBe(5000);
  });

  it('lets a server Retry-After raise a retry delay, and minDelayMs floor it', () => {
    const retry = delays(handshake(500, { 'retry-after': '12' }));
    expect(Math.min(...retry)).toBeGreaterThanOrEqual(12_000);
    const floored = delays(record(4002), {}, { rules: [{ codes: [4002], action: 'retry', minDelayMs: 10_000 }] });
    expect(Math.min(...floored)).toBeGreaterThanOrEqual(10_000);
    expect(Math.max(...floored)).toBeLessThanOrEqual(11_000);
  });

  it('raises a throttle floor with Retry-After but never lowers it', () => {
    const policy = { rules: [{ status: [503], action: 'throttle', minDelayMs: 10_000 }] } as const;
    expect(Math.min(...delays(handshake(503, { 'retry-after': '2' }), {}, policy))).toBeGreaterThanOrEqual(10_000);
    expect(Math.min(...delays(handshake(503, { 'retry-after': '60' }), {}, policy))).toBeGreaterThanOrEqual(60_000);
  });

  it('stops at maxAttempts, counting only rules that count', () => {
    const policy = {
      maxAttempts: 3,
      rules: [{ codes: [4100], action: 'retry', counts: false }],
    } as const;
    expect(decideWith(record(1006), { attempt: 3 }, policy).action).toBe('retry');
    expect(decideWith(record(1006), { attempt: 4 }, policy)).toMatchObject({
      action: 'stop',
      stopReason: 'maxAttempts',
    });
    expect(decideWith(record(4100), { attempt: 40 }, policy)).toMatchObject({
      action: 'retry',
      counts: false,
    });
  });

  it('stops once the outage has lasted maxElapsedMs', () => {
    const policy = { maxElapsedMs: 60_000 } as const;
    expect(decideWith(record(1006), { outageStartedAt: now - 60_001 }, policy)).toMatchObject({
      action: 'stop',
      stopReason: 'maxElapsedMs',
    });
  });

  it('stops as soon as the next attempt would start past maxElapsedMs, not after a back-off that overshoots', () => {
    // A constant 1 s back-off: an attempt due 60 s into the outage is within the budget, one due
    // a millisecond later is not — decided now, not when that attempt has failed too.
    const policy = { maxElapsedMs: 60_000, backoff: { type: 'constant', delayMs: 1000 } } as const;
    expect(decideWith(record(1006), { outageStartedAt: now - 59_000 }, policy)).toMatchObject({
      action: 'retry',
      delayMs: 1000,
    });
    const late = decideWith(record(1006), { outageStartedAt: now - 59_001 }, policy);
    expect(late).toMatchObject({ action: 'stop', stopReason: 'maxElapsedMs', delayMs: 0 });
    expect(late.explanation).toMatch(/next attempt would start 60001 ms into the outage \(maxElapsedMs 60000\)/);
    // A server's wait longer than the budget left: the outage will outlast it, so stop now.
    const throttled = decideWith(record(1013), { outageStartedAt: now - 40_000 }, policy); // ≥ 30 s
    expect(throttled).toMatchObject({ action: 'stop', stopReason: 'maxElapsedMs' });
  });

  it('counts a streak only while the same rule keeps matching', () => {
    const other = decideWith(record(1008), {
      consecutive: { rule: 'default:transient', count: 7 },
    });
    expect(other).toMatchObject({ action: 'refresh', consecutive: 1 });
  });

  it('accepts a policy input as well as a defined policy, and is pure', () => {
    const input = { rules: [{ codes: [4000], action: 'stop' as const }] };
    const context = { attempt: 2, refreshAvailable: false, random: () => 0.5, now };
    const a = decide(input, record(1006), context);
    const b = decide(definePolicy(input), record(1006), context);
    expect(a).toEqual(b);
    expect(a.delayMs).toBe(1000);
  });

  it('explains every decision in one line', () => {
    expect(decideWith(record(1012)).explanation).toMatch(/1012 Service Restart/);
    expect(decideWith(record(4321), {}, { rules: [{ codes: [4321], action: 'retry' }] }).explanation).toBe(
      '4321 (private) matched rules[0]: retry',
    );
  });

  it('never schedules past what a timer can hold, even for a huge back-off', () => {
    const decision = decideWith(
      record(1006),
      { attempt: 1e9 },
      { backoff: { type: 'constant', delayMs: 2_147_483_647 } },
    );
    expect(decision.delayMs).toBeLessThanOrEqual(2_147_483_647);
  });

  it('stops on maxAttempts when the attempt is Infinity (huge, not the first)', () => {
    expect(decideWith(record(1006), { attempt: Number.POSITIVE_INFINITY }, { maxAttempts: 5 })).toMatchObject({
      action: 'stop',
      stopReason: 'maxAttempts',
    });
  });

  it('past the first retry of an outage, a first delay is a floor under the back-off', () => {
    // A server cycling 4401, 1008 and HTTP 401 restarts three "at most 2 in a row" streaks.
    const later = decideWith(record(1008), { attempt: 6 }, { preset: 'httpMirror' });
    expect(later).toMatchObject({ action: 'refresh', consecutive: 1 });
    expect(later.delayMs).toBeGreaterThan(0);
    expect(decideWith(record(1008), { attempt: 1 }, { preset: 'httpMirror' })).toMatchObject({ delayMs: 0 });
    // 1012's registered 5–30 s stays the least wait, whatever the back-off says.
    expect(Math.min(...delays(record(1012), { attempt: 3 }))).toBeGreaterThanOrEqual(5_000);
  });

  it("a rule's errors narrow it to closes whose transport error has one of those codes", () => {
    const policy = { rules: [{ name: 'dns', errors: ['ENOTFOUND', 'EAI_AGAIN'], action: 'stop' as const }] };
    const failed = (code?: string) =>
      record(1006, { phase: 'connecting', initiator: 'transport', error: Object.assign(new Error('x'), { code }) });
    expect(decideWith(failed('ENOTFOUND'), {}, policy)).toMatchObject({ action: 'stop', rule: 'dns' });
    expect(decideWith(failed('EAI_AGAIN'), {}, policy)).toMatchObject({ action: 'stop', rule: 'dns' });
    // Another error, an error without a code, or none at all: the default preset decides.
    expect(decideWith(failed('ECONNREFUSED'), {}, policy)).toMatchObject({ action: 'retry' });
    expect(decideWith(failed(undefined), {}, policy)).toMatchObject({ action: 'retry' });
    expect(decideWith(record(1006), {}, policy)).toMatchObject({ action: 'retry' });
    // With codes: both must hold (a TLS failure recorded as 1015 with this certificate error).
    const tls = { rules: [{ codes: [1015], errors: ['CERT_HAS_EXPIRED'], action: 'stop' as const }] };
    const expired = record(1015, {
      phase: 'connecting',
      error: Object.assign(new Error('x'), { code: 'CERT_HAS_EXPIRED' }),
    });
    expect(decideWith(expired, {}, tls)).toMatchObject({ action: 'stop', rule: 'rules[0]' });
    expect(decideWith(record(1015, { phase: 'connecting' }), {}, tls)).toMatchObject({ action: 'throttle' });
  });
});
