import { decide, definePolicy, normalizeClose, presetNames, presetNotes, presets, ruleNote } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { decideWith, delays, handshake, now, record } from './decideHelpers';

describe('presets', () => {
  it.each(presetNames)('%s compiles, and every row names itself and says why', (preset) => {
    expect(() => definePolicy({ preset })).not.toThrow();
    for (const row of presets[preset]) {
      expect(row.name).toMatch(/^[a-z0-9-]+$/);
      expect(presetNotes[row.name ?? '']).toBeTruthy();
      expect(ruleNote(`${preset}:${row.name}`)).toBe(presetNotes[row.name ?? '']);
    }
    expect(Object.isFrozen(presets[preset])).toBe(true);
  });

  describe('persistent: reconnect after every server close, like reconnecting-websocket', () => {
    const policy = { preset: 'persistent' } as const;
    it.each([1000, 1002, 3003, 4000, 1006])('%d: retry', (code) => {
      expect(decideWith(record(code), {}, policy).action).toBe('retry');
    });
    it.each([403, 404])('handshake HTTP %d: retry', (status) => {
      expect(decideWith(handshake(status), {}, policy).action).toBe('retry');
    });
    // Before: retried with the same token for ever, the refresh hook never called.
    it.each([
      ['1008', record(1008), 'persistent:auth-retry'],
      ['3000', record(3000), 'persistent:auth-retry'],
      ['HTTP 401', handshake(401), 'persistent:http-401-retry'],
    ])('%s: retried for ever, fresh credentials first on the 1st, 2nd, 4th, … in a row', (_, closed, rule) => {
      const actions = [1, 2, 3, 4, 5, 8, 100].map((count) => {
        const decision = decideWith(closed, { consecutive: { rule, count: count - 1 } }, policy);
        expect(decision.rule).toBe(rule);
        return decision.action;
      });
      expect(actions).toEqual(['refresh', 'refresh', 'retry', 'refresh', 'retry', 'refresh', 'retry']);
      // The first at once, as the refresh row it stands for; then the back-off.
      expect(decideWith(closed, {}, policy).delayMs).toBe(0);
      // Without a refresh hook, a plain retry, never a stop.
      expect(decideWith(closed, { refreshAvailable: false }, policy).action).toBe('retry');
    });
    it('keeps the default timing: 1012 waits 5–30 s, 1013 at least 30 s', () => {
      expect(Math.min(...delays(record(1012), {}, policy))).toBeGreaterThanOrEqual(5000);
      expect(decideWith(record(1013), {}, policy)).toMatchObject({ action: 'throttle' });
    });
    it('never gives up on invalid codes', () => {
      expect(
        decideWith(record(2999), { consecutive: { rule: 'persistent:invalid-code', count: 50 } }, policy).action,
      ).toBe('retry');
    });
    it('still stops when the app closes', () => {
      expect(decideWith(record(1000, { initiator: 'client' }), {}, policy)).toMatchObject({
        action: 'stop',
        rule: 'client-close',
      });
    });
  });

  describe('httpMirror: 4000 + HTTP status', () => {
    const policy = { preset: 'httpMirror' } as const;
    it.each([
      [4401, 'refresh'],
      [4400, 'stop'],
      [4403, 'refresh'],
      [4404, 'stop'],
      [4406, 'stop'],
      [4409, 'stop'],
      [4408, 'retry'],
      [4500, 'retry'],
      [4504, 'retry'],
      [4429, 'throttle'],
      [4503, 'throttle'],
      [1012, 'retry'],
      [1000, 'stop'],
    ])('%d: %s', (code, action) => {
      expect(decideWith(record(code), {}, policy).action).toBe(action);
    });
    it('4429 waits at least 30 s', () => {
      expect(Math.min(...delays(record(4429), {}, policy))).toBeGreaterThanOrEqual(30_000);
    });
  });

  describe('graphqlWs: graphql-ws close codes', () => {
    const policy = { preset: 'graphqlWs' } as const;
    it.each([
      [4400, 'stop'],
      [4401, 'refresh'],
      [4403, 'retry'],
      [4406, 'stop'],
      [4408, 'retry'],
      [4409, 'stop'],
      [4429, 'stop'],
      [4499, 'retry'],
      [4500, 'stop'],
      [4504, 'retry'],
      [4004, 'stop'],
      [1011, 'stop'],
      [1002, 'stop'],
      [1001, 'retry'],
      [1006, 'retry'],
      [1013, 'throttle'],
    ])('%d: %s', (code, action) => {
      expect(decideWith(record(code), {}, policy).action).toBe(action);
    });
  });

  describe('centrifugo: terminal bands 3500–3999 and 4500–4999', () => {
    const policy = { preset: 'centrifugo' } as const;
    it.each([
      [3000, 'retry'],
      [3499, 'retry'],
      [3500, 'stop'],
      [3999, 'stop'],
      [4000, 'retry'],
      [4499, 'retry'],
      [4500, 'stop'],
      [4999, 'stop'],
      [1000, 'retry'],
      [1009, 'stop'],
      [3014, 'retry'],
    ])('%d: %s', (code, action) => {
      expect(decideWith(record(code), {}, policy).action).toBe(action);
    });
    it('keeps the handshake rows: HTTP 403 stops', () => {
      expect(decideWith(handshake(403), {}, policy).action).toBe('stop');
    });
    it.each([
      [4000, '{"reason":"banned","reconnect":false}', 'stop', 'centrifugo:centrifugo-told-stop'],
      [3500, '{"reason":"invalid token","reconnect":true}', 'retry', 'centrifugo:centrifugo-told-reconnect'],
      [3500, '{"reason":"invalid token"}', 'stop', 'centrifugo:centrifugo-terminal'],
      [4000, 'reconnect: false', 'retry', 'centrifugo:centrifugo-reconnect'],
    ])('a legacy JSON reason is taken at its word: %d %s → %s', (code, reason, action, rule) => {
      const closed = normalizeClose({ code, reason, wasClean: true }, { phase: 'open' });
      expect(decideWith(closed, {}, policy)).toMatchObject({ action, rule });
    });
  });

  it('none: only the user rules, then a retry fallback', () => {
    const policy = { preset: 'none', rules: [{ codes: [4000], action: 'stop' }] } as const;
    expect(decideWith(record(4000), {}, policy).action).toBe('stop');
    expect(decideWith(record(1000), {}, policy)).toMatchObject({
      action: 'retry',
      rule: 'fallback',
    });
  });
});

describe('ruleNote answers only for preset rows', () => {
  // presetNotes.ts: "The reason for a rule id such as `default:service-restart`, if it is a preset row."
  it('gives no preset prose for a user rule that happens to share a row name', () => {
    // definePolicy accepts these names: only the ids `default:auth` / `default:transient` are taken.
    const policy = definePolicy({
      rules: [
        { name: 'auth', codes: [4001], action: 'retry' },
        { name: 'mine:transient', codes: [4002], action: 'stop' },
      ],
    });
    const ctx = { attempt: 1, refreshAvailable: true, now, random: () => 0.5 };
    const a = decide(policy, record(4001), ctx);
    const b = decide(policy, record(4002), ctx);
    expect(a.rule).toBe('auth');
    expect(b.rule).toBe('mine:transient');
    // The demo shows `ruleNote(decision.rule) ?? decision.explanation`: a 4001 *retry* must not be
    // explained as "1008 Policy Violation / 3000 Unauthorized … Refresh credentials".
    expect(ruleNote(a.rule)).toBeUndefined();
    expect(ruleNote(b.rule)).toBeUndefined();
  });

  it('gives no note for a row id that no preset has', () => {
    expect(ruleNote('none:auth')).toBeUndefined(); // the none preset has no rows at all
    expect(ruleNote('persistent:auth')).toBeUndefined(); // persistent retries instead (auth-retry)
    expect(ruleNote('default:reconnect-always')).toBeUndefined(); // a persistent-only row
  });
});
