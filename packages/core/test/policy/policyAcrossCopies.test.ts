import { createClient, decide, definePolicy, isPolicy, normalizeClose, type Policy } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it, vi } from 'vitest';

/**
 * An app that `import`s resock and also `require`s it (its own CJS config module, a dependency)
 * loads two copies of core. A policy one copy made must work in the other: its checks are the
 * same, only its module state (what it remembers defining) is its own.
 */
async function otherCopy() {
  vi.resetModules();
  const copy = await import('../../src/policy/definePolicy');
  vi.resetModules();
  return copy;
}

describe('a policy made by another copy of resock', () => {
  it('is a policy here, and definePolicy makes this copy’s own with the same rules', async () => {
    const { definePolicy: defineThere } = await otherCopy();
    const there = defineThere({ rules: [{ name: 'kicked', codes: [4000], action: 'stop' }] });
    expect(isPolicy(there)).toBe(true);
    const here = definePolicy(there);
    expect(here).not.toBe(there);
    expect(here.toJSON()).toEqual(there.toJSON());
    expect(definePolicy(here)).toBe(here);
  });

  it('is taken by createClient and decide', async () => {
    const { definePolicy: defineThere } = await otherCopy();
    const policy = defineThere({ rules: [{ name: 'kicked', codes: [4000], action: 'stop' }] });
    const client = createClient({ url: 'wss://example.test/', transport: createFakeTransport(), lazy: true, policy });
    void client.close();
    const record = normalizeClose({ code: 4000, reason: '', wasClean: true }, { phase: 'open' });
    expect(decide(policy, record, { attempt: 1, refreshAvailable: false })).toMatchObject({
      action: 'stop',
      rule: 'kicked',
    });
  });

  it("keeps its rules' when (code, which its JSON cannot hold)", async () => {
    const { definePolicy: defineThere } = await otherCopy();
    let kicked = true;
    const there = defineThere({ rules: [{ name: 'kicked', codes: [4000], when: () => kicked, action: 'stop' }] });
    const here = definePolicy(there);
    expect(here).not.toBe(there);
    const record = normalizeClose({ code: 4000, reason: '', wasClean: true }, { phase: 'open' });
    expect(decide(here, record, { attempt: 1, refreshAvailable: false })).toMatchObject({ rule: 'kicked' });
    kicked = false;
    expect(decide(here, record, { attempt: 1, refreshAvailable: false })).toMatchObject({ rule: 'default:transient' });
  });

  it('a look-alike that no copy made is not a policy', () => {
    expect(isPolicy({ preset: 'default', rules: [], toJSON: () => ({}) })).toBe(false);
  });
});

describe('a policy spread with an override', () => {
  // The mark is not copied by a spread: `{ ...policy, maxAttempts: 3 }` is input, checked as such.
  it('is honoured or refused, never silently ignored', () => {
    const spread: Policy = { ...definePolicy({ preset: 'graphqlWs' }), maxAttempts: 3 };
    let outcome: unknown;
    try {
      outcome = definePolicy(spread).maxAttempts;
    } catch (error) {
      outcome = (error as Error).name;
    }
    expect([3, 'InvalidPolicyError']).toContain(outcome);
  });
});
