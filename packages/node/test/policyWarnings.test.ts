// What `resock policy check` warns of in a valid policy: rules of yours never reached, and codes
// that cannot be what was meant.
import { definePolicy, type RuleInput } from '@resock/node';
import { describe, expect, it } from 'vitest';
import { policyWarnings } from '../src/cli/policyWarnings';

const warn = (...rules: RuleInput[]) => policyWarnings(definePolicy({ rules }));

describe('policy check warnings', () => {
  it('a rule an earlier one takes every close of: ranges, unions of them, any close', () => {
    expect(
      warn({ name: 'all', codes: ['4000-4999'], action: 'retry' }, { name: 'kick', codes: [4004], action: 'stop' }),
    ).toEqual(['kick: never matches: all, before it, takes every close it would']);
    // Two ranges that meet hold what spans them.
    expect(
      warn(
        { name: 'two', codes: ['4000-4099', '4100-4199'], action: 'retry' },
        { name: 'span', codes: ['4050-4150'], action: 'stop' },
      ),
    ).toHaveLength(1);
    // No codes nor statuses: every close of its phase, a refused handshake's too.
    expect(
      warn(
        { name: 'attempts', phase: ['connecting'], action: 'retry' },
        { name: 'busy', status: [503], phase: ['connecting'], action: 'stop' },
      ),
    ).toEqual(['busy: never matches: attempts, before it, takes every close it would']);
    // A later rule with a condition of the earlier one's, at least as strict, is taken too.
    expect(
      warn(
        { name: 'hb', initiator: ['heartbeat'], action: 'retry' },
        { name: 'hb-1006', codes: [1006], initiator: ['heartbeat'], action: 'stop' },
      ),
    ).toEqual(['hb-1006: never matches: hb, before it, takes every close it would']);
  });

  it('no warning where the later rule is reached', () => {
    expect(
      warn({ name: 'a', codes: ['4000-4099'], action: 'retry' }, { name: 'b', codes: ['4050-4150'], action: 'stop' }),
    ).toEqual([]);
    // Narrowed earlier rules leave what they do not take.
    expect(
      warn(
        { name: 'hb', codes: [1006], initiator: ['heartbeat'], action: 'retry' },
        { name: 'lost', codes: [1006], action: 'stop' },
      ),
    ).toEqual([]);
    expect(
      warn(
        { name: 'w', codes: [4000], when: () => true, action: 'retry' },
        { name: 'x', codes: [4000], action: 'stop' },
      ),
    ).toEqual([]);
    // An HTTP status rule does not take a close code's.
    expect(
      warn({ name: 's', status: [503], action: 'retry' }, { name: 'c', codes: [1012], status: [503], action: 'retry' }),
    ).toEqual([]);
  });

  it('an HTTP status given as a close code, and a code no close frame carries from the server', () => {
    expect(warn({ name: 'http', codes: [401, 403], action: 'refresh' })).toEqual([
      "http: close codes under 1000 are never sent (RFC 6455); a handshake's HTTP status is matched by status",
    ]);
    expect(warn({ name: 'lost', codes: [1006], initiator: ['server'], action: 'stop' })).toEqual([
      "lost: never matches: a server's close is never a 1006 (no close frame: initiator transport)",
    ]);
    expect(warn({ name: 'fine', codes: [1006, 4000], initiator: ['server'], action: 'stop' })).toEqual([]);
    // A close frame without a status is a server's 1005; a catch-all range is no HTTP status.
    expect(warn({ name: 'empty-frame', codes: [1005], initiator: ['server'], action: 'stop' })).toEqual([]);
    expect(warn({ name: 'all', codes: ['0-65535'], action: 'retry' })).toEqual([]);
  });

  it('1006 beside statuses: either matches, so every lost link too', () => {
    expect(warn({ name: 'busy', codes: [1006], status: [503], action: 'throttle' })).toEqual([
      'busy: matches every 1006 (a lost link too), not only a handshake answered with its statuses: a rule with codes and status matches either',
    ]);
    expect(warn({ name: 'restart', codes: [1012], status: [503], action: 'retry' })).toEqual([]);
  });
});
