import { type Backoff, exponentialDefaults, resolveBackoff } from '../backoff/backoffSpec';
import type { CloseInitiator, ClosePhase, CloseRecord } from '../close/closeRecord';
import { InvalidPolicyError, type Problem } from '../errors';
import { isRecord, plainData } from '../inputChecks';
import { type CodeRange, toCodeRange } from './codeRanges';
import {
  type CodeSpec,
  type PolicyInput,
  type PresetName,
  policyInput,
  type RuleAction,
  type RuleInput,
} from './policyInput';
import { presets } from './presets';

/** A rule after validation, with defaults filled in. */
export interface PolicyRule {
  /** The rule's `name`, `rules[i]`, or `<preset>:<row>` for preset rows. */
  readonly id: string;
  readonly source: 'user' | 'preset';
  readonly description: string | undefined;
  readonly action: RuleAction;
  readonly codes: readonly CodeRange[] | undefined;
  readonly status: readonly CodeRange[] | undefined;
  readonly initiator: readonly CloseInitiator[] | undefined;
  readonly phase: readonly ClosePhase[] | undefined;
  readonly errors: readonly string[] | undefined;
  readonly retryAfter: boolean | undefined;
  readonly when: ((record: CloseRecord) => boolean) | undefined;
  readonly refreshAfter: number | undefined;
  readonly backoff: Backoff | undefined;
  readonly firstDelayMs: readonly [number, number] | undefined;
  readonly minDelayMs: number;
  readonly maxConsecutive: number | undefined;
  readonly counts: boolean;
}

/** A validated policy: the user's rules, then the preset's rows. Frozen. */
export interface Policy {
  readonly preset: PresetName;
  readonly rules: readonly PolicyRule[];
  readonly backoff: Backoff;
  readonly maxAttempts: number | undefined;
  readonly maxElapsedMs: number | undefined;
  readonly reasonHints: boolean;
  /**
   * The policy as JSON input again (what a config file would hold). A rule's `when` is code: it
   * is written as `"[function]"`, which definePolicy refuses, so a policy read back from JSON
   * cannot silently match more than the one it was written from.
   */
  toJSON(): PolicyInput;
  /**
   * What `definePolicy` made (this copy of resock or another: a string key, so that the types of
   * two copies agree; not enumerable, so a spread copy is input again). Never written by hand.
   */
  readonly '~policy': true;
}

/**
 * What a `policy` parameter takes besides `PolicyInput`: only the mark, not the compiled rules,
 * so that TypeScript checks a policy written inline against `PolicyInput` alone (a misspelt
 * key is named as such, not reported as a close code that is no `CodeRange`).
 */
export type DefinedPolicy = Pick<Policy, '~policy'>;

/** decide()'s own rule ids: the app's close, and the retry when no rule matched. */
export const CLIENT_CLOSE_ID = 'client-close';
export const FALLBACK_ID = 'fallback';

const defined = new WeakSet<object>();
/** Marks a policy across copies of resock (an app's `require` beside its `import` loads two). */
const policyMark = Symbol.for('resock.Policy');

/** True for what `definePolicy` returned (this copy of resock's, or another's). */
export function isPolicy(value: unknown): value is Policy {
  return isRecord(value) && (defined.has(value) || (value as { [policyMark]?: unknown })[policyMark] === true);
}

/**
 * The default policy's back-off: 1 s, ×2, cap 30 s, full jitter in spans anchored to the
 * outage start (`windowed`). Measured on 100 000 simulated clients after a 1 s server outage:
 * peak attempts 1.00× the uniform rate (plain full jitter: 1.27×), p50 back 1.5 s (1.9 s),
 * p99 2.0 s (5.2 s), no attempt wasted on the second span. See docs/close-codes.md.
 */
const defaultBackoff: Backoff = Object.freeze({ type: 'exponential', ...exponentialDefaults, jitter: 'windowed' });

/**
 * Validates a policy written as data and returns it ready for `decide`. Throws
 * `InvalidPolicyError` listing every problem with its path
 * (`rules[1].codes[0]: expected a close code 0–65535 or a range "a-b"`), and nothing else: those
 * of its shape, and once the shape is right those of the rules' meaning (a reversed range, an
 * option that does nothing on its action).
 * A policy already defined is returned as it is.
 */
export function definePolicy(input: PolicyInput | DefinedPolicy = {}): Policy {
  if (defined.has(input)) return input as Policy;
  // Checked and compiled from one plain copy, so what is checked is what is used. Another copy's
  // policy is compiled again from its input (below): nothing of that copy's internals is trusted.
  const problems: Problem[] = [];
  // Another copy's policy is read from its input (`~input`: with its rules' `when`), or, from a
  // copy before `when` existed, from its JSON.
  const given = plainData(
    () => (isPolicy(input) ? ((input as { '~input'?: () => unknown })['~input']?.() ?? input.toJSON()) : input),
    '',
    problems,
  );
  if (problems.length > 0) throw new InvalidPolicyError(problems);
  // Most clients use the default policy: compile it once and share it (it is frozen).
  const empty = isRecord(given) && Object.keys(given).length === 0;
  const policy = (empty && defaultPolicy) || compile(given);
  if (Array.isArray(policy)) throw new InvalidPolicyError(policy);
  if (empty) defaultPolicy = policy;
  return policy;
}

let defaultPolicy: Policy | undefined;

function compile(input: unknown): Policy | Problem[] {
  const problems: Problem[] = [];
  if (!policyInput(input, '', problems)) return problems;
  const given = input as PolicyInput;

  let backoff = defaultBackoff;
  if (given.backoff !== undefined) {
    const result = resolveBackoff(given.backoff, 'backoff');
    if (result.ok) backoff = result.backoff;
    else problems.push(...result.problems);
  }

  const preset = given.preset ?? 'default';
  const rules = given.rules ?? [];
  const userRules = rules.map((rule, i) =>
    compileRule(rule, { id: rule.name ?? `rules[${i}]`, path: `rules[${i}]`, source: 'user' }, problems),
  );
  // A rule's id keys its "in a row" streak, so every id must be its own: a name may not repeat,
  // nor take the id of an unnamed rule (`rules[2]`), of a preset row (`default:auth`) or one of
  // decide()'s own (`fallback`, `client-close`).
  const taken = new Set([CLIENT_CLOSE_ID, FALLBACK_ID, ...presetRules(preset).map((row) => row.id)]);
  rules.forEach((rule, i) => {
    if (rule.name === undefined) taken.add(`rules[${i}]`);
  });
  rules.forEach((rule, i) => {
    if (rule.name === undefined) return;
    if (taken.has(rule.name))
      problems.push({
        path: `rules[${i}].name`,
        message: `duplicate rule name ${JSON.stringify(rule.name)}`,
      });
    taken.add(rule.name);
  });
  if (problems.length > 0) return problems;

  // Snapshot now: `backoff` fields are kept by reference, so later edits to the caller's
  // object must not reach the policy's JSON.
  const json = JSON.stringify(given, (_key, value: unknown) => (typeof value === 'function' ? '[function]' : value));
  // The marks are not enumerable: a spread copy (`{ ...policy, maxAttempts: 3 }`) is input, not a
  // policy. The symbol is what isPolicy reads (older copies set only it); `~policy` is the type's.
  const draft = {
    preset,
    rules: Object.freeze([...(userRules as PolicyRule[]), ...presetRules(preset)]),
    backoff,
    maxAttempts: given.maxAttempts,
    maxElapsedMs: given.maxElapsedMs,
    reasonHints: given.reasonHints !== false,
    toJSON: () => JSON.parse(json) as PolicyInput,
  };
  Object.defineProperty(draft, policyMark, { value: true });
  Object.defineProperty(draft, '~policy', { value: true });
  Object.defineProperty(draft, '~input', { value: () => given });
  const policy = Object.freeze(draft) as unknown as Policy;
  defined.add(policy);
  return policy;
}

const compiledPresets = new Map<PresetName, readonly PolicyRule[]>();

function presetRules(name: PresetName): readonly PolicyRule[] {
  let rules = compiledPresets.get(name);
  if (!rules) {
    const problems: Problem[] = [];
    rules = presets[name].map((row, i) =>
      compileRule(row, { id: `${name}:${row.name ?? i}`, path: `presets.${name}[${i}]`, source: 'preset' }, problems),
    ) as PolicyRule[];
    // The presets are ours: a bad row is a bug caught by the tests, never the user's fault.
    if (problems.length > 0) throw new InvalidPolicyError(problems);
    compiledPresets.set(name, Object.freeze(rules));
  }
  return rules;
}

interface RuleOrigin {
  id: string;
  path: string;
  source: 'user' | 'preset';
}

function compileRule(rule: RuleInput, origin: RuleOrigin, problems: Problem[]): PolicyRule | undefined {
  const { path } = origin;
  const before = problems.length;
  if (
    rule.codes === undefined &&
    rule.status === undefined &&
    rule.initiator === undefined &&
    rule.phase === undefined &&
    rule.errors === undefined &&
    rule.when === undefined
  ) {
    problems.push({
      path,
      message: 'a rule needs "codes", "status", "initiator", "phase", "errors" or "when" to match on',
    });
  }
  const codes = ranges(rule.codes, 0, 65535, `${path}.codes`, problems);
  const status = ranges(rule.status, 100, 599, `${path}.status`, problems);

  if (rule.action === 'stop') {
    for (const key of ['backoff', 'firstDelayMs', 'minDelayMs', 'maxConsecutive', 'refreshAfter'] as const) {
      if (rule[key] !== undefined) problems.push({ path: `${path}.${key}`, message: 'has no effect on a "stop" rule' });
    }
  } else if (rule.action === 'refresh' && rule.refreshAfter !== undefined) {
    problems.push({ path: `${path}.refreshAfter`, message: 'has no effect on a "refresh" rule (it always refreshes)' });
  }
  let backoff: Backoff | undefined;
  if (rule.backoff !== undefined) {
    const result = resolveBackoff(rule.backoff, `${path}.backoff`);
    if (result.ok) backoff = result.backoff;
    else problems.push(...result.problems);
  }
  let firstDelayMs: readonly [number, number] | undefined;
  if (typeof rule.firstDelayMs === 'number') firstDelayMs = [rule.firstDelayMs, rule.firstDelayMs];
  else if (rule.firstDelayMs) {
    const [min, max] = rule.firstDelayMs;
    if (min > max)
      problems.push({
        path: `${path}.firstDelayMs`,
        message: 'expected [min, max] with min ≤ max',
      });
    firstDelayMs = [min, max];
  } else if (rule.action === 'refresh') {
    firstDelayMs = [0, 0]; // refresh the credentials, then retry at once
  }
  if (problems.length > before) return undefined;

  return ruleOf(origin, rule, codes, status, backoff, firstDelayMs);
}

/** A compiled rule, frozen; also decide()'s fallback, so the two keep one shape. */
export function ruleOf(
  origin: Pick<RuleOrigin, 'id' | 'source'>,
  rule: RuleInput,
  codes?: readonly CodeRange[],
  status?: readonly CodeRange[],
  backoff?: Backoff,
  firstDelayMs?: readonly [number, number],
): PolicyRule {
  return Object.freeze({
    id: origin.id,
    source: origin.source,
    description: rule.description,
    action: rule.action,
    codes,
    status,
    initiator: rule.initiator ? Object.freeze([...rule.initiator]) : undefined,
    phase: rule.phase ? Object.freeze([...rule.phase]) : undefined,
    errors: rule.errors ? Object.freeze([...rule.errors]) : undefined,
    retryAfter: rule.retryAfter,
    when: rule.when,
    refreshAfter: rule.refreshAfter,
    backoff,
    firstDelayMs: firstDelayMs ? Object.freeze(firstDelayMs) : undefined,
    minDelayMs: rule.minDelayMs ?? 0,
    maxConsecutive: rule.maxConsecutive,
    counts: rule.counts ?? true,
  });
}

function ranges(
  specs: readonly CodeSpec[] | undefined,
  min: number,
  max: number,
  path: string,
  problems: Problem[],
): readonly CodeRange[] | undefined {
  if (specs === undefined) return undefined;
  const out: CodeRange[] = [];
  specs.forEach((spec, i) => {
    const range = toCodeRange(spec, min, max);
    if (range) out.push(range);
    else
      problems.push({
        path: `${path}[${i}]`,
        message: `expected a range "a-b" with ${min} ≤ a ≤ b ≤ ${max}`,
      });
  });
  return Object.freeze(out);
}
