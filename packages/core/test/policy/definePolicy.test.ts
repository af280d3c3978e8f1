import {
  definePolicy,
  InvalidPolicyError,
  isInvalidPolicyError,
  isPolicy,
  type PolicyInput,
  type RuleInput,
} from '@resock/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function problemsOf(input: unknown): string[] {
  try {
    definePolicy(input as PolicyInput);
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    return error.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected InvalidPolicyError');
}

describe('definePolicy', () => {
  it('accepts the example policy of the issue, as JSON', () => {
    const json = `{
      "preset": "default",
      "rules": [
        { "codes": [4001, "4100-4199"], "action": "refresh", "maxConsecutive": 2 },
        { "codes": [4000], "action": "stop" },
        { "status": [503], "action": "throttle", "minDelayMs": 10000 }
      ],
      "backoff": { "type": "exponential", "initialDelayMs": 1000, "maxDelayMs": 30000, "factor": 2, "jitter": "full" },
      "maxAttempts": 50,
      "maxElapsedMs": 600000
    }`;
    const policy = definePolicy(JSON.parse(json));
    expect(isPolicy(policy)).toBe(true);
    expect(policy.rules[0]).toMatchObject({
      id: 'rules[0]',
      codes: [
        [4001, 4001],
        [4100, 4199],
      ],
      action: 'refresh',
    });
    expect(policy.maxAttempts).toBe(50);
    expect(JSON.parse(JSON.stringify(policy))).toEqual(JSON.parse(json));
    expect(Object.isFrozen(policy)).toBe(true);
  });

  it('defaults to the default preset and back-off', () => {
    const policy = definePolicy();
    expect(policy.preset).toBe('default');
    expect(policy.backoff).toEqual({
      type: 'exponential',
      initialDelayMs: 1000,
      maxDelayMs: 30_000,
      factor: 2,
      jitter: 'windowed',
    });
    expect(policy.maxAttempts).toBeUndefined();
    expect(policy.maxElapsedMs).toBeUndefined();
    expect(definePolicy(policy)).toBe(policy);
  });

  it('lists every problem with its path', () => {
    expect(
      problemsOf({
        rules: [
          { codes: [4001], action: 'retry' },
          { codes: [70000, 'x', '4199-4100'], action: 'bounce' },
          { action: 'retry' },
          { codes: [4000], action: 'stop', backoff: { type: 'constant' } },
        ],
        backoff: { type: 'exponential', factor: 0 },
        maxAttempts: 0,
        maxAttempt: 5,
      }),
    ).toEqual([
      'rules[1].codes[0]: expected a close code 0–65535 or a range "a-b"',
      'rules[1].codes[1]: expected a close code 0–65535 or a range "a-b"',
      'rules[1].action: expected one of "stop", "retry", "refresh", "throttle"',
      'backoff.factor: expected a factor ≥ 1',
      'maxAttempts: expected an integer ≥ 1',
      'maxAttempt: unknown key',
    ]);
  });

  it('finds problems that need more than a type check', () => {
    expect(
      problemsOf({
        rules: [
          { codes: ['4199-4100'], action: 'retry' },
          { action: 'retry' },
          { codes: [4000], action: 'stop', backoff: { type: 'constant' } },
          { name: 'x', codes: [1], action: 'retry', firstDelayMs: [5, 1] },
          {
            name: 'x',
            codes: [2],
            action: 'retry',
            backoff: { type: 'linear', initialDelayMs: 10, maxDelayMs: 5 },
          },
          { status: ['100-700'], action: 'retry' },
        ],
      }),
    ).toEqual([
      'rules[0].codes[0]: expected a range "a-b" with 0 ≤ a ≤ b ≤ 65535',
      'rules[1]: a rule needs "codes", "status", "initiator", "phase", "errors" or "when" to match on',
      'rules[2].backoff: has no effect on a "stop" rule',
      'rules[3].firstDelayMs: expected [min, max] with min ≤ max',
      'rules[4].backoff.maxDelayMs: expected maxDelayMs ≥ initialDelayMs (10)',
      'rules[5].status[0]: expected a range "a-b" with 100 ≤ a ≤ b ≤ 599',
      'rules[4].name: duplicate rule name "x"',
    ]);
  });

  it('refuses a name that is already the id of a preset row or of an unnamed rule', () => {
    // A rule's id keys its "in a row" streak: a user rule called "default:auth" would share the
    // preset row's streak, and one called "rules[0]" the unnamed rule's.
    expect(
      problemsOf({
        rules: [
          { codes: [4000], action: 'retry' },
          { name: 'default:auth', codes: [4001], action: 'refresh' },
          { name: 'rules[0]', codes: [4002], action: 'retry' },
          { name: 'persistent:reconnect-always', codes: [4003], action: 'retry' },
        ],
      }),
    ).toEqual(['rules[1].name: duplicate rule name "default:auth"', 'rules[2].name: duplicate rule name "rules[0]"']);
    // Nor the ids decide() uses itself: a rule called "fallback" would take over the streak of
    // closes no rule matched.
    expect(
      problemsOf({
        preset: 'none',
        rules: [
          { name: 'fallback', codes: [4000], action: 'retry' },
          { name: 'client-close', codes: [4001], action: 'retry' },
        ],
      }),
    ).toEqual(['rules[0].name: duplicate rule name "fallback"', 'rules[1].name: duplicate rule name "client-close"']);
    // Another preset's row ids are free to use.
    expect(() =>
      definePolicy({ preset: 'persistent', rules: [{ name: 'default:auth', codes: [4001], action: 'refresh' }] }),
    ).not.toThrow();
  });

  it('takes errors as a non-empty list of error codes, kept in the policy and its JSON', () => {
    const policy = definePolicy({ rules: [{ errors: ['ENOTFOUND'], action: 'throttle' }] });
    expect(policy.rules[0]?.errors).toEqual(['ENOTFOUND']);
    expect(definePolicy(policy.toJSON()).rules[0]?.errors).toEqual(['ENOTFOUND']);
    expect(
      problemsOf({
        rules: [
          { errors: [], action: 'stop' },
          { errors: [''], action: 'stop' },
          { errors: 'ENOTFOUND' as never, action: 'stop' },
        ],
      }),
    ).toEqual([
      'rules[0].errors: expected at least one entry',
      'rules[1].errors[0]: expected a string of 1–100 characters',
      'rules[2].errors: expected array',
    ]);
  });

  it('refuses a rule for the app’s own close: it always stops, before any rule is read', () => {
    expect(problemsOf({ rules: [{ codes: [1000], initiator: ['server', 'client'], action: 'retry' }] })).toEqual([
      'rules[0].initiator[1]: expected "server", "transport", "heartbeat" or "timeout" (the app\'s own close always stops)',
    ]);
  });

  it.each([null, 5, 'default', [], { preset: 'aggressive' }])('rejects %j with InvalidPolicyError', (input) => {
    expect(() => definePolicy(input as PolicyInput)).toThrow(InvalidPolicyError);
  });

  it('turns an unreadable input into InvalidPolicyError too', () => {
    const hostile = Object.defineProperty({}, 'rules', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    expect(() => definePolicy(hostile)).toThrow(InvalidPolicyError);
  });

  it('is not changed by later edits to the input', () => {
    const rules: RuleInput[] = [{ codes: [4000], action: 'stop' }];
    const input: PolicyInput = { rules, backoff: { type: 'constant', delayMs: 100 } };
    const policy = definePolicy(input);
    (input.backoff as { delayMs: number }).delayMs = 9;
    rules.push({ codes: [4001], action: 'stop' });
    expect(policy.backoff).toMatchObject({ delayMs: 100 });
    expect(policy.toJSON()).toEqual({
      rules: [{ codes: [4000], action: 'stop' }],
      backoff: { type: 'constant', delayMs: 100 },
    });
  });

  it('throws nothing but InvalidPolicyError on arbitrary JSON', () => {
    const ruleLike = fc.record(
      {
        codes: fc.array(fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.string(), fc.constant('4000-4099'))),
        status: fc.array(fc.oneof(fc.integer(), fc.string())),
        action: fc.oneof(fc.constantFrom('stop', 'retry', 'refresh', 'throttle'), fc.string()),
        backoff: fc.oneof(
          fc.jsonValue(),
          fc.record({
            type: fc.constantFrom('exponential', 'constant', 'linear', 'grpc'),
            factor: fc.double(),
          }),
        ),
        firstDelayMs: fc.jsonValue(),
        maxConsecutive: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const policyLike = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          preset: fc.oneof(fc.constantFrom('default', 'persistent'), fc.string()),
          rules: fc.array(ruleLike),
          backoff: fc.jsonValue(),
          maxAttempts: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(policyLike, (input) => {
        try {
          definePolicy(input as PolicyInput);
        } catch (error) {
          expect(isInvalidPolicyError(error)).toBe(true);
          expect((error as InvalidPolicyError).problems.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('maxElapsedMs is an outage length, not a timer', () => {
  // PolicyInput.maxElapsedMs: "Stop once an outage has lasted this long. @default unlimited".
  // decide() only compares it with `now - outageStartedAt`; it never becomes a setTimeout delay,
  // yet definePolicy refuses more than 2^31−1 ms "(timers overflow beyond)".
  it('accepts "give up after 30 days"', () => {
    const thirtyDays = 30 * 86_400_000;
    expect(() => definePolicy({ maxElapsedMs: thirtyDays })).not.toThrow();
  });
});
