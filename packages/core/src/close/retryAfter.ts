import { wallTime } from '../clock';

/** A server may not make us wait less than this (no spin)… */
export const MIN_RETRY_AFTER_MS = 1_000;
/** …or more than this (no parking the client for a day). */
export const MAX_RETRY_AFTER_MS = 600_000;

const days = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
const longDays = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const month = months.join('|');
const time = '(\\d{2}):(\\d{2}):(\\d{2})';
// RFC 9110 §5.6.7: IMF-fixdate, plus the two obsolete forms recipients must accept.
const imfFixdate = new RegExp(`^(?:${days}), (\\d{2}) (${month}) (\\d{4}) ${time} GMT$`);
const rfc850 = new RegExp(`^(?:${longDays}), (\\d{2})-(${month})-(\\d{2}) ${time} GMT$`);
const asctime = new RegExp(`^(?:${days}) (${month}) ( \\d|\\d{2}) ${time} (\\d{4})$`);

/**
 * Parses an HTTP `Retry-After` value (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) into a
 * delay in ms from `now` (by default the wall clock as it is; better, the response's own `Date`:
 * the server's clock, so no skew between the two), clamped to 1 s – 10 min. Returns undefined for anything else: a
 * negative number, a fraction, garbage. Only exact HTTP-date forms are accepted (not whatever
 * `Date.parse` guesses), so every runtime reads the same header the same way.
 */
export function parseRetryAfter(value: unknown, now: number = wallTime()): number | undefined {
  const text = headerText(value);
  if (typeof text === 'number') return Number.isInteger(text) && text >= 0 ? clamp(text * 1000) : undefined;
  if (typeof text !== 'string') return undefined;
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return clamp(Number(trimmed) * 1000);
  const date = parseHttpDate(trimmed, now);
  return date === undefined ? undefined : clamp(date - now);
}

/**
 * A retry hint in a close reason — the one way a server can say "come back in a minute" that a
 * browser passes on (it hides every handshake header): a JSON object with `retryAfterMs` (ms) or
 * `retryAfter` (seconds), e.g. `{"retryAfter":60}`. Clamped as `Retry-After` is (1 s – 10 min),
 * so a hostile server can neither spin nor park the client; anything else is no hint.
 */
export function parseReasonRetryAfter(reason: string): number | undefined {
  const { retryAfterMs, retryAfter } = reasonObject(reason) ?? {};
  const [value, unit] = typeof retryAfterMs === 'number' ? [retryAfterMs, 1] : [retryAfter, 1000];
  // What was sent must be a finite number ≥ 0; in ms it may overflow (1e306 s): clamp takes that.
  return typeof value === 'number' && value >= 0 && value !== Infinity ? clamp(value * unit) : undefined;
}

/** A close reason that is a JSON object (a server's hints), else undefined. */
export function reasonObject(reason: string): Record<string, unknown> | undefined {
  // Most reasons are prose: only one that starts like an object is parsed.
  if (!reason.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(reason);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** An HTTP-date header's value (a response's `Date`) in ms since the epoch; undefined if it is none. */
export function parseHttpDateValue(value: unknown, now: number): number | undefined {
  const text = headerText(value);
  return typeof text === 'string' ? parseHttpDate(text.trim(), now) : undefined;
}

/** A header's value as Node gives it: a repeated header is a list, its first value counts. */
const headerText = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

function clamp(ms: number): number | undefined {
  if (Number.isNaN(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, Math.round(ms)));
}

function parseHttpDate(text: string, now: number): number | undefined {
  let m = imfFixdate.exec(text);
  if (m) return utc(m[3], m[2], m[1], m[4], m[5], m[6]);
  m = rfc850.exec(text);
  if (m) {
    // RFC 9110 §5.6.7: a timestamp that appears more than 50 years in the future is in the past
    // century (the timestamp, not the year: late in 2026, 01-Dec-76 is 1976).
    const today = new Date(Number.isFinite(now) ? now : 0);
    const year = Math.floor(today.getUTCFullYear() / 100) * 100 + Number(m[3]);
    const at = utc(String(year), m[2], m[1], m[4], m[5], m[6]);
    today.setUTCFullYear(today.getUTCFullYear() + 50);
    return at !== undefined && at > today.getTime() ? utc(String(year - 100), m[2], m[1], m[4], m[5], m[6]) : at;
  }
  m = asctime.exec(text);
  if (m) return utc(m[6], m[1], m[2], m[3], m[4], m[5]);
  return undefined;
}

function utc(
  year?: string,
  monthName?: string,
  day?: string,
  hour?: string,
  minute?: string,
  second?: string,
): number | undefined {
  const monthIndex = months.indexOf(monthName ?? '');
  // Five numbers, never undefined: each regex captures every part.
  const [y, d, h, mi, s] = [year, day, hour, minute, second].map(Number) as [number, number, number, number, number];
  if (monthIndex < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  return Date.UTC(y, monthIndex, d, h, mi, s);
}
