import { decide, definePolicy, normalizeClose } from '@resock/core';
import { describe, expect, it } from 'vitest';

const refused = normalizeClose({ code: 4000, reason: '', wasClean: true }, { phase: 'open' });
const nth = (count: number, policy: ReturnType<typeof definePolicy>) =>
  decide(policy, refused, {
    attempt: count,
    refreshAvailable: true,
    random: () => 0.5,
    ...(count > 1 ? { consecutive: { rule: 'r', count: count - 1 } } : {}),
  });

describe("a rule's refreshAfter", () => {
  it('makes the Nth, 2Nth, 4Nth, … match in a row a refresh, after the retry’s own wait', () => {
    const policy = definePolicy({ rules: [{ name: 'r', codes: [4000], action: 'retry', refreshAfter: 3 }] });
    const refreshes = Array.from({ length: 24 }, (_, i) => i + 1).filter((n) => nth(n, policy).action === 'refresh');
    expect(refreshes).toEqual([3, 6, 12, 24]);
    expect(nth(3, policy).delayMs).toBeGreaterThan(0);
  });

  it('is a throttle rule’s too', () => {
    const policy = definePolicy({ rules: [{ name: 'r', codes: [4000], action: 'throttle', refreshAfter: 1 }] });
    expect([1, 2, 3, 4].map((n) => nth(n, policy).action)).toEqual(['refresh', 'refresh', 'throttle', 'refresh']);
  });

  it('is refused where it means nothing or is no count', () => {
    expect(() => definePolicy({ rules: [{ codes: [4000], action: 'stop', refreshAfter: 2 }] })).toThrow(
      'rules[0].refreshAfter: has no effect on a "stop" rule',
    );
    expect(() => definePolicy({ rules: [{ codes: [4000], action: 'refresh', refreshAfter: 2 }] })).toThrow(
      'rules[0].refreshAfter: has no effect on a "refresh" rule',
    );
    expect(() => definePolicy({ rules: [{ codes: [4000], action: 'retry', refreshAfter: 0 }] })).toThrow(
      'rules[0].refreshAfter: expected an integer ≥ 1',
    );
    expect(() => definePolicy({ rules: [{ codes: [4000], action: 'retry', refreshAfter: 1.5 }] })).toThrow(
      'rules[0].refreshAfter: expected an integer ≥ 1',
    );
  });

  it('after a failed refresh hook (refreshFailed), the streak holds and the turn is a plain retry', () => {
    const policy = definePolicy({ rules: [{ name: 'r', codes: [4000], action: 'retry', refreshAfter: 2 }] });
    const again = decide(policy, refused, {
      attempt: 3,
      refreshAvailable: true,
      random: () => 0.5,
      consecutive: { rule: 'r', count: 2 },
      refreshFailed: true,
    });
    expect([again.action, again.consecutive]).toEqual(['retry', 2]);
  });

  it('a refresh rule after a failed hook asks it again, its streak held (only refusals count toward maxConsecutive)', () => {
    const policy = definePolicy({ rules: [{ name: 'auth', codes: [4000], action: 'refresh', maxConsecutive: 1 }] });
    const first = decide(policy, refused, { attempt: 1, refreshAvailable: true, random: () => 0.5 });
    const again = decide(policy, refused, {
      attempt: 2,
      refreshAvailable: true,
      random: () => 0.5,
      consecutive: { rule: 'auth', count: first.consecutive },
      refreshFailed: true,
    });
    expect([again.action, again.consecutive]).toEqual(['refresh', 1]);
    expect(again.delayMs).toBeGreaterThan(first.delayMs); // the outage's back-off
    const refused2 = decide(policy, refused, {
      attempt: 3,
      refreshAvailable: true,
      random: () => 0.5,
      consecutive: { rule: 'auth', count: again.consecutive },
    });
    expect([refused2.action, refused2.stopReason]).toEqual(['stop', 'maxConsecutive']);
  });
});
