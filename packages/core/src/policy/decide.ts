import { type BackoffContext, backoffDelay, retryNumber } from '../backoff/computeBackoff';
import { type Random, systemRandom, uniform } from '../backoff/jitter';
import { MAX_TIMER_DELAY_MS, systemClock } from '../clock';
import { describeCloseCode } from '../close/closeCode';
import type { CloseRecord } from '../close/closeRecord';
import { parseReasonRetryAfter } from '../close/retryAfter';
import { isThenable } from '../inputChecks';
import { inRanges } from './codeRanges';
import { checkCompiled, checkContext, checkRecord } from './decideArguments';
import {
  CLIENT_CLOSE_ID,
  type DefinedPolicy,
  definePolicy,
  FALLBACK_ID,
  type Policy,
  type PolicyRule,
  ruleOf,
} from './definePolicy';
import type { PolicyInput, RuleAction } from './policyInput';

/** What a wait raised to a floor gets on top, at most (a fraction of the floor). */
export const FLOOR_SPREAD = 0.1;

export interface DecideContext {
  /**
   * The number of the retry being decided: 1 for the first retry after a stable connection (or
   * after the first failed connect), 2 for the next, and so on. Drives the back-off and
   * `maxAttempts`; rules with `counts: false` do not advance it.
   */
  attempt: number;
  /** The previous decision's rule and how many closes in a row it has matched (its `consecutive`). */
  consecutive?: { readonly rule: string; readonly count: number };
  /** When the current outage began (ms since the epoch), for `maxElapsedMs`. */
  outageStartedAt?: number;
  /** Default: the system clock. */
  now?: number;
  /** Default: `Math.random`. */
  random?: Random;
  /** The previous delay, for decorrelated jitter. */
  previousDelayMs?: number;
  /** Whether the client has a refresh hook; a `refresh` rule without one stops. */
  refreshAvailable: boolean;
  /**
   * The refresh hook failed, and this decides the same close again. A failed hook says nothing of
   * the credentials (a token service down), so the rule's streak does not grow: only the server's
   * refusals count toward `maxConsecutive`. A `refresh` rule asks the hook again (after the
   * back-off); a `refreshAfter` turn is a plain retry, with the credentials the client has (the
   * close it guessed about may not have been the token). The client decides again only for a
   * `refresh` rule: a `refreshAfter` turn's retry goes ahead as it was decided.
   */
  refreshFailed?: boolean;
  /**
   * Told of a rule's `when` that threw or answered no boolean (the rule did not match): the
   * client reports it as an `error` event. Without it, such a rule simply does not match.
   */
  whenFailed?: (rule: string, error: unknown) => void;
}

/** Why a decision is `stop`. */
export type StopReason = 'client' | 'rule' | 'maxConsecutive' | 'refreshUnavailable' | 'maxAttempts' | 'maxElapsedMs';

export interface Decision {
  readonly action: RuleAction;
  /** ms to wait before the next attempt; 0 for `stop`. */
  readonly delayMs: number;
  /** The id of the rule that matched: `rules[0]`, a rule's name, `default:service-restart`, `client-close`. */
  readonly rule: string;
  /** How many closes in a row this rule has matched, this one included. */
  readonly consecutive: number;
  /** Whether this retry counts toward `maxAttempts`. */
  readonly counts: boolean;
  /** Present when `action` is `stop`. */
  readonly stopReason?: StopReason;
  /**
   * The server's own word on when to come back (its `Retry-After`, or its close reason's hint),
   * clamped: a floor under `delayMs` that going online or a page shown again does not cut short.
   */
  readonly retryAfterMs?: number;
  /** One line saying why: for logs, the demo and `resock policy explain`. */
  readonly explanation: string;
}

const FALLBACK = /* @__PURE__ */ ruleOf(
  { id: FALLBACK_ID, source: 'preset' },
  { description: 'No rule matched: back off and retry.', action: 'retry' },
);

/** The first rule of the policy that matches the record (the fallback if none does). */
export function matchRule(policy: Policy, record: CloseRecord, whenFailed?: DecideContext['whenFailed']): PolicyRule {
  checkCompiled('matchRule()', policy);
  checkRecord('matchRule()', record);
  return firstMatch(policy, record, serverDelay(policy, record) !== undefined, whenFailed);
}

/** `told`: the server said when to come back (read once, by the caller). */
function firstMatch(
  policy: Policy,
  record: CloseRecord,
  told: boolean,
  whenFailed: DecideContext['whenFailed'],
): PolicyRule {
  for (const rule of policy.rules) if (matches(rule, record, told) && accepts(rule, record, whenFailed)) return rule;
  return FALLBACK;
}

/** A rule's `when`, last: app code, asked only about closes the rule's data already matched. */
function accepts(rule: PolicyRule, record: CloseRecord, whenFailed: DecideContext['whenFailed']): boolean {
  if (!rule.when) return true;
  let answer: unknown;
  try {
    answer = rule.when(record);
  } catch (error) {
    whenFailed?.(rule.id, error);
    return false;
  }
  // A promise (an async function) is truthy but no answer yet: it must not match every close,
  // and its rejection is reported here (as no boolean), not left unhandled.
  if (typeof answer !== 'boolean') {
    if (isThenable(answer)) Promise.resolve(answer).catch(() => undefined);
    whenFailed?.(rule.id, new TypeError(`${typeof answer} is no boolean`));
  }
  return answer === true;
}

/** When the server said to come back: its handshake's `Retry-After`, else its close reason's hint. */
function serverDelay(policy: Policy, record: CloseRecord): number | undefined {
  return (
    record.handshake?.retryAfterMs ??
    (policy.reasonHints && record.initiator === 'server' ? parseReasonRetryAfter(record.reason) : undefined)
  );
}

function matches(rule: PolicyRule, record: CloseRecord, told: boolean): boolean {
  if (rule.initiator && !rule.initiator.includes(record.initiator)) return false;
  if (rule.phase && !rule.phase.includes(record.phase)) return false;
  if (rule.errors && !rule.errors.includes(record.error?.code as string)) return false;
  if (rule.retryAfter !== undefined && told !== rule.retryAfter) return false;
  if (!rule.codes && !rule.status) return true;
  const status = record.handshake?.status;
  return (
    (rule.codes !== undefined && inRanges(record.code, rule.codes)) ||
    (rule.status !== undefined && status !== undefined && inRanges(status, rule.status))
  );
}

/**
 * What to do after `record`, by `policy`. Pure but for the rules' own `when` (app code): time
 * and randomness come from `context`.
 * A close the app asked for (`initiator: 'client'`) always stops; no rule overrides it.
 * Throws `InvalidPolicyError` for a policy it cannot use, a `TypeError` for a `record` that is
 * no close record or a `context` that is no object.
 */
export function decide(policy: DefinedPolicy | PolicyInput, record: CloseRecord, context: DecideContext): Decision {
  checkRecord('decide()', record);
  checkContext('decide()', context, '{ attempt, refreshAvailable }');
  return decideClose(policy, record, context);
}

/** decide() on what the client built itself: nothing to check but the policy. */
export function decideClose(
  policy: DefinedPolicy | PolicyInput,
  record: CloseRecord,
  context: DecideContext,
): Decision {
  const defined = definePolicy(policy);
  const what = describeCloseCode(record.code) + (record.handshake?.status ? ` (HTTP ${record.handshake.status})` : '');
  if (record.initiator === 'client') {
    return stop(CLIENT_CLOSE_ID, 1, true, 'client', `${what}: the app closed the connection; always final`);
  }
  const retryAfterMs = serverDelay(defined, record);
  const rule = firstMatch(defined, record, retryAfterMs !== undefined, context.whenFailed);
  const previous = context.consecutive;
  const streak = previous?.rule === rule.id ? previous.count : 0;
  const consecutive = context.refreshFailed && streak ? streak : streak + 1;
  // Preset rows carry no prose at run time (see presetNotes); user rules may.
  const because = rule.description ?? `${what} matched ${rule.id}: ${rule.action}`;

  if (rule.action === 'stop') return stop(rule.id, consecutive, rule.counts, 'rule', because);
  if (rule.maxConsecutive !== undefined && consecutive > rule.maxConsecutive) {
    return stop(
      rule.id,
      consecutive,
      rule.counts,
      'maxConsecutive',
      `${what}: ${rule.id} matched ${consecutive} times in a row (max ${rule.maxConsecutive})`,
    );
  }
  if (rule.action === 'refresh' && !context.refreshAvailable) {
    return stop(
      rule.id,
      consecutive,
      rule.counts,
      'refreshUnavailable',
      `${what}: needs fresh credentials and no refresh hook is configured`,
    );
  }
  const attempt = retryNumber(context.attempt);
  if (rule.counts && defined.maxAttempts !== undefined && attempt > defined.maxAttempts) {
    return stop(
      rule.id,
      consecutive,
      rule.counts,
      'maxAttempts',
      `${what}: gave up after ${defined.maxAttempts} attempts`,
    );
  }
  const now = context.now ?? systemClock.now();

  const random = context.random ?? systemRandom;
  let delayMs: number;
  if (rule.action === 'throttle' && retryAfterMs !== undefined) {
    delayMs = 0; // the server said when: its hint is the floor below, not added to a back-off
  } else if (rule.firstDelayMs && consecutive === 1 && attempt === 1) {
    delayMs = firstDelay(rule.firstDelayMs, random);
  } else {
    const backoffContext: BackoffContext = { random };
    if (context.previousDelayMs !== undefined) backoffContext.previousDelayMs = context.previousDelayMs;
    if (context.outageStartedAt !== undefined) backoffContext.elapsedMs = Math.max(0, now - context.outageStartedAt);
    delayMs = backoffDelay(rule.backoff ?? defined.backoff, attempt, backoffContext);
    // Later in an outage a rule's first delay ("at once", "5–30 s") is a floor under the
    // back-off: a server that alternates two rules (401, then 1008, …) resets each streak every
    // time, and would otherwise have every retry made at once; and a 1012 right after a 1012
    // (a restart interrupted again) still spreads the fleet over 5–30 s, as the code asks.
    if (rule.firstDelayMs) delayMs = Math.max(delayMs, firstDelay(rule.firstDelayMs, random));
  }
  const floor = Math.max(rule.minDelayMs, retryAfterMs ?? 0);
  // Below the floor, wait the floor plus 0–10 %: a fleet told "30 s" must not return in the same tick.
  if (delayMs < floor) delayMs = floor * (1 + FLOOR_SPREAD * uniform(random));
  delayMs = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, delayMs));
  // A time budget: no attempt starts later than maxElapsedMs into the outage. Checked against
  // when the next attempt would start, not when this close came: a worker that must fail over
  // after 5 s learns it now, not after a back-off (up to its 30 s cap) that lands past it.
  const start = context.outageStartedAt;
  if (defined.maxElapsedMs !== undefined && start !== undefined && now + delayMs - start > defined.maxElapsedMs) {
    return stop(
      rule.id,
      consecutive,
      rule.counts,
      'maxElapsedMs',
      `${what}: gave up, the next attempt would start ${Math.round(now + delayMs - start)} ms into the outage (maxElapsedMs ${defined.maxElapsedMs})`,
    );
  }
  const hinted =
    retryAfterMs !== undefined && record.handshake?.retryAfterMs === undefined
      ? `; its close reason asks for ${retryAfterMs / 1000} s or more`
      : '';

  // A retry that also gets fresh credentials first, on the rule's turns (refreshAfter): the wait
  // is the retry's, and without a refresh hook it is a plain retry.
  const turn = consecutive / (rule.refreshAfter ?? Number.NaN);
  const refreshes =
    !context.refreshFailed && context.refreshAvailable && Number.isInteger(turn) && (turn & (turn - 1)) === 0;
  return Object.freeze({
    action: refreshes ? 'refresh' : rule.action,
    delayMs,
    rule: rule.id,
    consecutive,
    counts: rule.counts,
    explanation: because + (refreshes ? `, fresh credentials first (${consecutive} in a row)` : '') + hinted,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

function firstDelay([min, max]: readonly [number, number], random: Random): number {
  return min + uniform(random) * (max - min);
}

function stop(
  rule: string,
  consecutive: number,
  counts: boolean,
  stopReason: StopReason,
  explanation: string,
): Decision {
  return Object.freeze({
    action: 'stop',
    delayMs: 0,
    rule,
    consecutive,
    counts,
    stopReason,
    explanation,
  });
}
