import { type BackoffInput, backoffInput, durationMs } from '../backoff/backoffSpec';
import type { CloseRecord } from '../close/closeRecord';
import { type CloseInitiator, type ClosePhase, closeInitiators, closePhases } from '../close/closeVocabulary';
import { boolean, type Check, either, fn, list, number, oneOf, shape, string } from '../inputChecks';

/** What to do after a close. */
export const ruleActions = ['stop', 'retry', 'refresh', 'throttle'] as const;
export type RuleAction = (typeof ruleActions)[number];

export const presetNames = ['default', 'persistent', 'httpMirror', 'graphqlWs', 'centrifugo', 'none'] as const;
export type PresetName = (typeof presetNames)[number];

/** A close code (0–65535) or an inclusive range written `"4000-4099"`. */
export type CodeSpec = number | `${number}-${number}`;

/**
 * One row of a policy. It matches on close `codes`, handshake HTTP `status` (a rule with both
 * matches either), and optionally narrows by `initiator`, `phase`, the transport's error code and by
 * whether the server sent `Retry-After`. The first matching rule decides; the user's rules come before the preset's.
 */
export interface RuleInput {
  /** Names the rule in decisions and events; default `rules[i]`. Unique within a policy. */
  name?: string;
  /** Why this rule exists; shown by `resock policy explain` and in decisions. */
  description?: string;
  /** Close codes and `"a-b"` ranges. A failed handshake's code is 1006 (1015 for TLS, Node): match it by `status`. */
  codes?: readonly CodeSpec[];
  /** HTTP statuses and `"a-b"` ranges of a rejected handshake (only Node's `ws` sees them). */
  status?: readonly CodeSpec[];
  /** Only closes from these initiators, e.g. `["heartbeat"]`; not `client` (the app's close always stops). */
  initiator?: readonly Exclude<CloseInitiator, 'client'>[];
  /**
   * Only closes in these phases: `["connecting"]` is an attempt that never opened (refused, timed
   * out; in a browser also a handshake the server rejected), `["open"]` a connection that had.
   * E.g. stop after ten failed handshakes in a row while a dropped connection is retried for
   * ever: `{ codes: [1006], phase: ["connecting"], action: "retry", maxConsecutive: 10 }`. On
   * Node a handshake answered with an HTTP status is such a 1006 too: that rule would take a 401,
   * 403 or 429 from the preset's status rows (refresh, stop, throttle); rules of your own on
   * `status` go before it.
   */
  phase?: readonly ClosePhase[];
  /**
   * Only closes whose transport error has one of these codes (`record.error.code`: in Node
   * `ENOTFOUND`, `ECONNREFUSED`, `CERT_HAS_EXPIRED`, `RESOCK_INSECURE_REDIRECT`, …; a browser
   * reports none; anywhere, `RESOCK_BACKLOG_FULL`: more waited for an async schema than is held), e.g. `{ errors: ["ENOTFOUND"], action: "throttle" }` for a host not found.
   */
  errors?: readonly string[];
  /**
   * Only when the server did (true) or did not (false) say when to come back: a handshake's
   * `Retry-After`, or a close reason's retry hint (see `PolicyInput.reasonHints`).
   */
  retryAfter?: boolean;
  /**
   * Only closes this function accepts (`true`; anything else is no match), after the fields
   * above: a close reason's text, the app's own state (graphql-ws retries a server's 1000 only
   * while operations are live: `{ codes: [1000], when: () => active > 0, action: "retry" }`).
   * Called while the client decides, so it must answer at once, from the record: the client's
   * `state` and `lastClose` are still those from before this close. One that throws, or answers
   * something that is not a boolean, does not match and is reported as an `error` event
   * (`ClientRuntimeError`, kind `policy`). Code, not data: `toJSON()` cannot hold it.
   */
  when?: (record: CloseRecord) => boolean;
  action: RuleAction;
  /** The back-off for this rule's retries; default: the policy's. */
  backoff?: BackoffInput;
  /**
   * The delay at an outage's first retry: a number, or `[min, max]` for uniform random. After
   * that, a floor under the back-off each time this rule matches. Default for `refresh`: 0
   * (refresh, then at once).
   */
  firstDelayMs?: number | readonly [number, number];
  /** A floor for every delay this rule gives; a server's `Retry-After` raises it. @default 0 */
  minDelayMs?: number;
  /** Stop once this rule has matched more than this many closes in a row. */
  maxConsecutive?: number;
  /**
   * Also get fresh credentials (the client's refresh hook) before the retry when this rule has
   * matched N, 2N, 4N, 8N, … closes in a row: for failures that may be a refused token the
   * transport cannot show (a browser hides a handshake's 401). The wait is the retry's; without
   * a refresh hook it is a plain retry. E.g. `2`: after the 2nd, 4th, 8th, … failure in a row. A
   * refresh hook that fails leaves a plain retry (the close may not have been the token).
   */
  refreshAfter?: number;
  /** Whether retries by this rule count toward `maxAttempts`. @default true */
  counts?: boolean;
}

/** A policy as JSON: it can live in a config file. */
export interface PolicyInput {
  /** Rows appended after `rules`. @default 'default' */
  preset?: PresetName;
  rules?: readonly RuleInput[];
  /** The back-off of rules that do not name their own. @default exponential 1 s ×2 cap 30 s, `windowed` jitter (full jitter in spans anchored to the outage's start) */
  backoff?: BackoffInput;
  /** Stop after this many counted retries in one outage. @default unlimited */
  maxAttempts?: number;
  /**
   * A time budget for an outage: no attempt starts later than this into it. The decision stops
   * as soon as the next attempt would (not once a back-off that overshoots has run). @default unlimited
   */
  maxElapsedMs?: number;
  /**
   * Read a retry hint from a close reason that is a JSON object — `{"retryAfter":60}` (seconds)
   * or `{"retryAfterMs":60000}` — as a `Retry-After`: a floor under the delay (clamped to
   * 1 s – 10 min). @default true
   */
  reasonHints?: boolean;
}

const codeMessage = 'expected a close code 0–65535 or a range "a-b"';
const statusMessage = 'expected an HTTP status 100–599 or a range "a-b"';
const rangeText: Check = (value) => typeof value === 'string' && /^\d{1,5}-\d{1,5}$/.test(value);
const codeSpec = either(codeMessage, number(0, 65535, { integer: true }), rangeText);
const statusSpec = either(statusMessage, number(100, 599, { integer: true }), rangeText);
const atLeastOne = number(1, Number.MAX_SAFE_INTEGER, { integer: true, message: 'expected an integer ≥ 1' });

/** The shape of one rule (checked before the rule's meaning is). */
export const ruleInput: Check = shape(
  {
    name: string(100, 1),
    description: string(1000),
    codes: list(codeSpec, { nonEmpty: true }),
    status: list(statusSpec, { nonEmpty: true }),
    initiator: list(
      oneOf(
        closeInitiators.filter((initiator) => initiator !== 'client'),
        // decide(): the app's own close always stops, before any rule is read.
        'expected "server", "transport", "heartbeat" or "timeout" (the app\'s own close always stops)',
      ),
      { nonEmpty: true },
    ),
    phase: list(oneOf(closePhases, 'expected "connecting", "open" or "closing"'), { nonEmpty: true }),
    errors: list(string(100, 1), { nonEmpty: true }),
    retryAfter: boolean,
    when: fn,
    action: oneOf(ruleActions),
    backoff: backoffInput,
    firstDelayMs: either('expected a delay in ms or [min, max]', durationMs, list(durationMs, { length: 2 })),
    minDelayMs: durationMs,
    maxConsecutive: atLeastOne,
    refreshAfter: atLeastOne,
    counts: boolean,
  },
  ['action'],
);

/** The shape of a policy as JSON. */
export const policyInput: Check = shape({
  preset: oneOf(presetNames),
  rules: list(ruleInput),
  backoff: backoffInput,
  maxAttempts: atLeastOne,
  // An outage's length, compared with the clock, never a timer: days and weeks are fine.
  maxElapsedMs: number(0, Number.MAX_SAFE_INTEGER, { message: 'expected a duration in ms ≥ 0' }),
  reasonHints: boolean,
});
