import { type CloseRecord, decide, definePolicy, InvalidPolicyError, matchRule, normalizeClose } from '@resock/core';
import { describe, expect, it, vi } from 'vitest';

// A rule's `when`: the part of a policy that is code (the close reason's text, the app's own
// state), as graphql-ws's shouldRetry and partysocket's shouldReconnectOnClose are.

const close = (code: number, reason = '') => normalizeClose({ code, reason, wasClean: true }, { phase: 'open' });
const context = { attempt: 1, refreshAvailable: false, random: () => 0.5 } as const;

describe('a rule with when', () => {
  it('narrows the rule after its data: asked only about closes its codes matched', () => {
    const when = vi.fn((record: CloseRecord) => record.reason === 'redeploy');
    const policy = definePolicy({ rules: [{ name: 'redeploy', codes: [1000], when, action: 'retry' }] });
    expect(decide(policy, close(1000, 'redeploy'), context)).toMatchObject({ action: 'retry', rule: 'redeploy' });
    expect(decide(policy, close(1000, 'done'), context)).toMatchObject({
      action: 'stop',
      rule: 'default:normal-closure',
    });
    expect(decide(policy, close(4000), context)).toMatchObject({ rule: 'default:transient' });
    // Twice, for the two 1000s; never for the 4000 its codes did not match.
    expect(when.mock.calls.map(([record]) => record.code)).toEqual([1000, 1000]);
  });

  it("reads the app's state at each decision (graphql-ws: a server's 1000 is retried while operations are live)", () => {
    let live = 1;
    const policy = definePolicy({
      preset: 'default',
      rules: [{ name: 'live-operations', codes: [1000], when: () => live > 0, action: 'retry', firstDelayMs: 0 }],
    });
    expect(decide(policy, close(1000), context)).toMatchObject({ action: 'retry', delayMs: 0 });
    live = 0;
    expect(decide(policy, close(1000), context)).toMatchObject({ action: 'stop' });
  });

  it('may be all a rule matches on (a JSON reason saying not to come back)', () => {
    const policy = definePolicy({
      rules: [{ name: 'told-not-to', when: (record) => /"reconnect":\s*false/.test(record.reason), action: 'stop' }],
    });
    expect(decide(policy, close(4000, '{"reconnect":false}'), context)).toMatchObject({
      action: 'stop',
      rule: 'told-not-to',
    });
    expect(decide(policy, close(4000, '{"reconnect":true}'), context)).toMatchObject({ action: 'retry' });
  });

  it('that throws does not match, and whenFailed hears it with the rule', () => {
    const boom = new Error('boom');
    const policy = definePolicy({
      rules: [
        {
          name: 'broken',
          codes: [4000],
          when: () => {
            throw boom;
          },
          action: 'stop',
        },
      ],
    });
    const whenFailed = vi.fn();
    expect(decide(policy, close(4000), { ...context, whenFailed })).toMatchObject({
      action: 'retry',
      rule: 'default:transient',
    });
    expect(whenFailed).toHaveBeenCalledWith('broken', boom);
    // Without a listener it still decides, as if the rule were not there.
    expect(decide(policy, close(4000), context)).toMatchObject({ rule: 'default:transient' });
    expect(matchRule(policy, close(4000)).id).toBe('default:transient');
  });

  it('that answers no boolean (an async function, a number) does not match, and is reported', () => {
    const policy = definePolicy({
      rules: [
        // An async predicate's promise is truthy: taken as "yes", it would stop on every 4000.
        { name: 'async', codes: [4000], when: (async () => true) as unknown as () => boolean, action: 'stop' },
        { name: 'number', codes: [4000], when: (() => 1) as unknown as () => boolean, action: 'stop' },
      ],
    });
    const whenFailed = vi.fn();
    expect(decide(policy, close(4000), { ...context, whenFailed })).toMatchObject({ rule: 'default:transient' });
    expect(whenFailed.mock.calls.map(([rule, error]) => [rule, (error as Error).message])).toEqual([
      ['async', 'object is no boolean'],
      ['number', 'number is no boolean'],
    ]);
  });

  it('that is async and rejects leaves no unhandled rejection (it is reported as no boolean)', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const policy = definePolicy({
        rules: [
          {
            codes: [4000],
            when: (async () => {
              throw new Error('session store down');
            }) as unknown as () => boolean,
            action: 'stop',
          },
        ],
      });
      const whenFailed = vi.fn();
      expect(decide(policy, close(4000), { ...context, whenFailed })).toMatchObject({ rule: 'default:transient' });
      expect(whenFailed).toHaveBeenCalledTimes(1);
      // Node reports an unhandled rejection after the microtasks of the turn: wait a macrotask.
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('must be a function', () => {
    const bad = () =>
      definePolicy({ rules: [{ codes: [4000], when: true as unknown as () => boolean, action: 'stop' }] });
    expect(bad).toThrow(InvalidPolicyError);
    expect(bad).toThrow('rules[0].when: expected a function');
  });

  it('is no data: toJSON writes it as "[function]", which definePolicy refuses (never a broader rule)', () => {
    const policy = definePolicy({ rules: [{ name: 'kicked', codes: [4000], when: () => true, action: 'stop' }] });
    expect(policy.toJSON().rules?.[0]).toMatchObject({ name: 'kicked', when: '[function]' });
    expect(() => definePolicy(policy.toJSON())).toThrow('rules[0].when: expected a function');
  });
});
