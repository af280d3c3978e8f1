import type * as Core from '@resock/core';
import { decide, definePolicy, InvalidPolicyError, normalizeClose, type PolicyInput } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it, vi } from 'vitest';

// definePolicy reads its input once, as plain data (own enumerable fields, arrays without holes),
// and checks and compiles that copy: what is checked is what is used and what toJSON() says.
const now = Date.UTC(2026, 10, 21, 12, 0, 0);
const record = (code: number) => normalizeClose({ code, reason: '' }, { now });

function problemsOf(input: unknown): string[] | 'accepted' {
  try {
    definePolicy(input as PolicyInput);
  } catch (error) {
    if (!(error instanceof InvalidPolicyError)) throw error;
    return error.problems.map((p) => p.path);
  }
  return 'accepted';
}

const throwing = (target: object, key: string, thrown: unknown) =>
  Object.defineProperty(target, key, {
    enumerable: true,
    get() {
      throw thrown;
    },
  });

describe('definePolicy: holes in arrays are checked, not skipped', () => {
  it('refuses a rules list with a hole (decide() on it threw a TypeError)', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point
    const input = { rules: [, { codes: [4000], action: 'stop' }] };
    expect(problemsOf(input)).toEqual(['rules[0]']);
    expect(() => decide(input as PolicyInput, record(1000), { attempt: 1, refreshAvailable: false, now })).toThrow(
      InvalidPolicyError,
    );
  });

  it('refuses firstDelayMs [ , ] (it gave a NaN delay: a timer that fires at once)', () => {
    expect(problemsOf({ rules: [{ codes: [4000], action: 'retry', firstDelayMs: new Array(2) }] })).toEqual([
      'rules[0].firstDelayMs',
    ]);
  });

  it.each(['codes', 'status', 'initiator'])('refuses a %s list of holes only (it never matched)', (key) => {
    expect(problemsOf({ rules: [{ [key]: new Array(1), action: 'stop' }] })).toEqual([`rules[0].${key}[0]`]);
  });
});

describe('definePolicy: only own enumerable fields count', () => {
  const freshCore = async () => {
    vi.resetModules();
    return (await import('@resock/core')) as typeof Core;
  };

  it('an empty-looking input with an inherited or hidden preset does not become everyone’s default', async () => {
    for (const odd of [
      Object.create({ preset: 'none' }),
      Object.defineProperty({}, 'preset', { value: 'persistent' }),
    ]) {
      const core = await freshCore();
      expect(core.definePolicy(odd).preset).toBe('default');
      expect(core.definePolicy().preset).toBe('default');
    }
  });

  it('what a policy does and what its toJSON() says agree', () => {
    const input = Object.assign(Object.create({ maxAttempts: 3 }), { rules: [] });
    const policy = definePolicy(input);
    expect(policy.maxAttempts).toBeUndefined();
    expect(definePolicy(policy.toJSON()).maxAttempts).toBe(policy.maxAttempts);
  });

  it('runs each getter once: a field cannot pass the check and then change', () => {
    let reads = 0;
    const rule = Object.defineProperty({ codes: [4000] }, 'action', {
      enumerable: true,
      get: () => (reads++ === 0 ? 'retry' : 'explode'),
    });
    expect(definePolicy({ rules: [rule as never] }).rules[0]?.action).toBe('retry');
    expect(reads).toBe(1);
  });
});

describe('definePolicy: unreadable input is InvalidPolicyError at the field, never a TypeError', () => {
  const revoked = () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };

  it.each([
    ['a revoked proxy', revoked, ['(root)']],
    [
      'a proxy whose ownKeys trap throws',
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('no keys');
            },
          },
        ),
      ['(root)'],
    ],
    ['a getter that throws what String() cannot show', () => throwing({}, 'rules', Object.create(null)), ['rules']],
    [
      'a rule field’s getter',
      () => ({ rules: [throwing({ codes: [4000] }, 'action', new Error('boom'))] }),
      ['rules[0].action'],
    ],
  ])('%s', (_, input, paths) => {
    expect(problemsOf(input())).toEqual(paths);
  });

  it('is InvalidOptionsError as a client’s policy option', async () => {
    const { createClient, isInvalidOptionsError } = await import('@resock/core');
    const call = () => createClient({ url: 'wss://x.test/', transport: createFakeTransport(), policy: revoked() });
    expect(call).toThrow(expect.objectContaining({ name: 'InvalidOptionsError' }));
    try {
      call();
    } catch (error) {
      expect(isInvalidOptionsError(error)).toBe(true);
    }
  });
});

describe('definePolicy: input that never ends is refused, not copied', () => {
  it('an object inside itself', () => {
    const rule: Record<string, unknown> = { codes: [4000], action: 'stop' };
    rule.self = rule;
    expect(problemsOf({ rules: [rule] })).toContain('rules[0].self');
  });

  it('shared references that would copy into millions of values (6 wide, 8 deep)', () => {
    let level: Record<string, unknown> = {};
    for (let depth = 0; depth < 8; depth++) {
      const next: Record<string, unknown> = {};
      for (let i = 0; i < 6; i++) next[`k${i}`] = level;
      level = next;
    }
    expect(problemsOf(level)).toContain('(root)');
  });
});

describe('back-off types: only the four real ones, not Object.prototype’s members', () => {
  const expected = 'expected a backoff { "type": "exponential" | "grpc" | "constant" | "linear", … }';
  it.each(['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty'])('refuses { type: %j }', (type) => {
    const problems = (input: unknown) => {
      try {
        definePolicy(input as PolicyInput);
      } catch (error) {
        return (error as InvalidPolicyError).problems.map((p) => `${p.path}: ${p.message}`);
      }
      return 'accepted';
    };
    expect(problems({ backoff: { type, initialDelayMs: -5, factor: 'x' } })).toEqual([`backoff.type: ${expected}`]);
    expect(problems({ rules: [{ codes: [4000], action: 'retry', backoff: { type } }] })).toEqual([
      `rules[0].backoff.type: ${expected}`,
    ]);
  });
});
