import { parseRetryAfter } from '@resock/core';
import { describe, expect, it } from 'vitest';

const now = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('parseRetryAfter', () => {
  it.each([
    ['7', 7000],
    [' 30 ', 30_000],
    ['0', 1000], // clamped up: a server cannot make us spin
    ['600', 600_000],
    ['315360000', 600_000], // ten years, clamped down: nor park us
    [['12'], 12_000],
    [5, 5000],
  ])('reads delay-seconds %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([
    ['Sat, 21 Nov 2026 12:00:45 GMT', 45_000], // IMF-fixdate
    ['Saturday, 21-Nov-26 12:01:00 GMT', 60_000], // RFC 850
    ['Sat Nov 21 12:00:10 2026', 10_000], // asctime
    ['Sat, 21 Nov 2026 11:00:00 GMT', 1000], // in the past: at least 1 s
    ['Sun, 21 Nov 2027 12:00:00 GMT', 600_000], // a year away: at most 10 min
  ])('reads the HTTP-date %j as %d ms from now', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each(['-5', '1.5', 'soon', '', 'Sat, 99 Nov 2026 12:00:00 GMT', '2026-11-21T12:00:45Z', null, undefined, {}, -3])(
    'ignores %j',
    (value) => {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    },
  );
});

describe('parseRetryAfter, RFC 850 two-digit years', () => {
  // RFC 9110 §5.6.7: recipients "MUST interpret a timestamp that appears to be more than 50 years in
  // the future as representing the most recent year in the past that had the same last two digits."
  // retryAfter.ts cites the same rule. `now` is 2026-11-21 12:00 GMT; 2076-12-01 is 50 years and 10
  // days ahead, so the date is 1976-12-01: in the past, i.e. the 1 s minimum.
  it('reads "01-Dec-76" in late 2026 as 1976 (more than 50 years ahead), not 2076', () => {
    expect(parseRetryAfter('Wednesday, 01-Dec-76 00:00:00 GMT', now)).toBe(1000);
  });
});
