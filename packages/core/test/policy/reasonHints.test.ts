import { definePolicy, matchRule, normalizeClose, parseReasonRetryAfter } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { decideWith, delays, now } from './decideHelpers';

/** A server's close frame with `code` and `reason`. */
const closed = (code: number, reason: string) => normalizeClose({ code, reason }, { now });

// A browser shows no handshake header: a retry hint in the close reason is the one way a server
// can tell a page when to come back.
describe('a retry hint in the close reason', () => {
  it.each([
    ['{"retryAfter":60}', 60_000],
    ['{"retryAfterMs":2500}', 2500],
    ['{"retryAfterMs":2500,"retryAfter":99}', 2500], // ms first
    ['{"reason":"overloaded","retryAfter":1.5}', 1500],
    ['{"retryAfter":0}', 1000], // clamped: no spin…
    ['{"retryAfter":86400}', 600_000], // …and no parking for a day
    ['{"retryAfter":1e306}', 600_000], // finite as sent, though not in ms
    ['{"retryAfterMs":1e308}', 600_000],
  ])('%s is a wait of %d ms', (reason, ms) => {
    expect(parseReasonRetryAfter(reason)).toBe(ms);
  });

  it.each([
    'overloaded, retryAfter 60',
    '{"retryAfter":"60"}',
    '{"retryAfter":-1}',
    '{"retryAfterMs":null}',
    '{"retryAfter":1e400}',
    '{not json',
    'null',
    '[60]',
    '',
  ])('%j is no hint', (reason) => {
    expect(parseReasonRetryAfter(reason)).toBeUndefined();
  });

  it('raises the delay of a retry to the hint (plus 0–10 %, so a fleet does not return at once)', () => {
    const found = delays(closed(4000, '{"retryAfter":20}'));
    expect(Math.min(...found)).toBeGreaterThanOrEqual(20_000);
    expect(Math.max(...found)).toBeLessThanOrEqual(22_000);
    expect(decideWith(closed(4000, '{"retryAfter":20}')).explanation).toMatch(/close reason asks for 20 s or more/);
  });

  it('is a throttle’s wait when longer than its floor (1013: at least 30 s)', () => {
    const long = delays(closed(1013, '{"retryAfter":120}'));
    expect(Math.min(...long)).toBeGreaterThanOrEqual(120_000);
    expect(Math.max(...long)).toBeLessThanOrEqual(132_000);
    const short = delays(closed(1013, '{"retryAfter":5}'));
    expect(Math.min(...short)).toBeGreaterThanOrEqual(30_000);
  });

  it('does not revive a stop, nor count unless the server sent it', () => {
    expect(decideWith(closed(1000, '{"retryAfter":5}')).action).toBe('stop');
    // The same text in a record the transport made (a 1006) is not the server's word.
    const local = normalizeClose({ code: 1006, reason: '{"retryAfter":300}' }, { now });
    expect(local.initiator).not.toBe('server');
    expect(Math.max(...delays(local))).toBeLessThan(300_000);
  });

  it('is read as Retry-After by a rule’s `retryAfter` match', () => {
    const policy = definePolicy({
      rules: [{ name: 'told', codes: ['4000-4999'], retryAfter: true, action: 'throttle' }],
    });
    expect(matchRule(policy, closed(4001, '{"retryAfter":9}')).id).toBe('told');
    expect(matchRule(policy, closed(4001, 'plain words')).id).not.toBe('told');
  });

  it('is ignored with `reasonHints: false`', () => {
    const found = delays(closed(4000, '{"retryAfter":300}'), {}, { reasonHints: false });
    expect(Math.max(...found)).toBeLessThan(300_000);
    expect(definePolicy({ reasonHints: false }).reasonHints).toBe(false);
    expect(() => definePolicy({ reasonHints: 'no' as never })).toThrow(/reasonHints/);
  });
});
