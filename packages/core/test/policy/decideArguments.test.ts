// decide(), matchRule() and computeBackoff() called by hand (a policy's unit test, a tool) with
// what they cannot use: an error that names the call and the field, not a TypeError from deep
// inside ("Cannot read properties of null (reading 'code')"), nor a NaN delay.
import {
  type CloseRecord,
  computeBackoff,
  type DecideContext,
  decide,
  definePolicy,
  exponential,
  InvalidPolicyError,
  matchRule,
} from '@resock/core';
import { describe, expect, it } from 'vitest';
import { record } from './decideHelpers';

const context: DecideContext = { attempt: 1, refreshAvailable: false, random: () => 0.5 };
const policy = definePolicy({});
const asRecord = (value: unknown) => value as CloseRecord;

describe('decide() and matchRule(): the record and the context', () => {
  it('a record that is none: a TypeError naming the call and the field', () => {
    expect(() => decide(policy, asRecord(null), context)).toThrow(
      new TypeError(
        "decide(): expected a close record, got null (a close record: a close event's, or normalizeClose's)",
      ),
    );
    expect(() => decide(policy, asRecord({ ...record(1012), code: '1012' }), context)).toThrow(
      /^decide\(\): record\.code: expected an integer, got 1012/,
    );
    expect(() => decide(policy, asRecord({ ...record(1012), initiator: 'peer' }), context)).toThrow(
      /record\.initiator: expected one of client, server, transport, heartbeat, timeout, got peer/,
    );
    expect(() => decide(policy, asRecord({ ...record(1012), phase: undefined }), context)).toThrow(/record\.phase/);
    expect(() => decide(policy, asRecord({ ...record(1012), reason: null }), context)).toThrow(/record\.reason/);
    expect(() => decide(policy, asRecord({ ...record(1012), handshake: 401 }), context)).toThrow(/record\.handshake/);
    expect(() => matchRule(policy, asRecord(undefined))).toThrow(
      /^matchRule\(\): expected a close record, got undefined/,
    );
  });

  it('a context that is no object: a TypeError that says what it holds', () => {
    const noContext = undefined as unknown as DecideContext;
    expect(() => decide(policy, record(1012), noContext)).toThrow(
      new TypeError('decide(): expected a context object ({ attempt, refreshAvailable }), got undefined'),
    );
  });

  it('matchRule() given no compiled policy: a TypeError that says so', () => {
    // Before: "Cannot read properties of null (reading 'reasonHints')", "policy.rules is not iterable".
    expect(() => matchRule(null as never, record(4000))).toThrow(
      new TypeError('matchRule(): expected a policy from definePolicy(), got null'),
    );
    expect(() => matchRule({} as never, record(4000))).toThrow(
      /^matchRule\(\): expected a policy from definePolicy\(\)/,
    );
  });

  it('what the client gives still decides as before', () => {
    expect(decide(policy, record(1012), context)).toMatchObject({ action: 'retry', rule: 'default:service-restart' });
    expect(matchRule(policy, record(1008)).id).toBe('default:auth');
  });
});

describe('computeBackoff()', () => {
  it('a back-off it cannot use: InvalidPolicyError with the path, as definePolicy says it', () => {
    expect(() => computeBackoff(null as never, 1)).toThrow(InvalidPolicyError);
    // Before: a negative factor gave a delay, and a missing type a NaN.
    expect(() => computeBackoff({ type: 'exponential', factor: -1 }, 2)).toThrow(/factor/);
    expect(() => computeBackoff({ delayMs: 500 } as never, 1)).toThrow(/type/);
  });

  it('takes a back-off input as definePolicy does, its defaults filled', () => {
    expect(computeBackoff({ type: 'constant', delayMs: 500 }, 3)).toBe(500);
    expect(computeBackoff({ type: 'exponential', jitter: 'none' }, 3)).toBe(4000); // 1 s × 2²
    expect(computeBackoff(exponential({ jitter: 'none' }), 3)).toBe(4000);
  });

  it('a context that is no object: a TypeError', () => {
    expect(() => computeBackoff(exponential(), 1, null as never)).toThrow(
      /^computeBackoff\(\): expected a context object \(\{ random, previousDelayMs, elapsedMs \}\), got null/,
    );
  });
});
