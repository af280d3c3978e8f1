import { MAX_TIMER_DELAY_MS } from '../clock';
import type { Problem } from '../errors';
import { at, type Check, either, isRecord, number, oneOf, shape } from '../inputChecks';
import type { Jitter } from './jitter';

/**
 * A back-off is data, not a function, so a policy holding it stays JSON (a config file, the
 * CLI's `--policy`). `computeBackoff` turns it into a delay.
 */
export interface ExponentialBackoff {
  readonly type: 'exponential';
  /** @default 1000 */
  readonly initialDelayMs: number;
  /** @default 30000 */
  readonly maxDelayMs: number;
  /** @default 2 */
  readonly factor: number;
  /** @default 'full' */
  readonly jitter: Jitter;
}
export interface ConstantBackoff {
  readonly type: 'constant';
  /** @default 1000 */
  readonly delayMs: number;
  /** Adds uniform [0, jitterMs] on top of `delayMs`. @default 0 */
  readonly jitterMs: number;
}
export interface LinearBackoff {
  readonly type: 'linear';
  /** @default 1000 */
  readonly initialDelayMs: number;
  /** @default 1000 */
  readonly stepMs: number;
  /** @default 30000 */
  readonly maxDelayMs: number;
  /** @default 'none' */
  readonly jitter: Jitter;
}
export type Backoff = ExponentialBackoff | ConstantBackoff | LinearBackoff;

export type ExponentialBackoffOptions = Partial<Omit<ExponentialBackoff, 'type'>>;
export type ConstantBackoffOptions = Partial<Omit<ConstantBackoff, 'type'>>;
export type LinearBackoffOptions = Partial<Omit<LinearBackoff, 'type'>>;

/** How a back-off is written in a policy: `{ "type": …, …fields }`, every field optional. */
export type BackoffInput =
  | ({ type: 'exponential' } & ExponentialBackoffOptions)
  | ({ type: 'grpc' } & ExponentialBackoffOptions)
  | ({ type: 'constant' } & ConstantBackoffOptions)
  | ({ type: 'linear' } & LinearBackoffOptions);

/** gRPC connection back-off: 1 s, ×1.6, ±20 %, cap 120 s. */
export const grpcDefaults = {
  initialDelayMs: 1000,
  maxDelayMs: 120_000,
  factor: 1.6,
  jitter: 0.2,
} as const;
export const exponentialDefaults = {
  initialDelayMs: 1000,
  maxDelayMs: 30_000,
  factor: 2,
  jitter: 'full',
} as const;
export const constantDefaults = { delayMs: 1000, jitterMs: 0 } as const;
export const linearDefaults = {
  initialDelayMs: 1000,
  stepMs: 1000,
  maxDelayMs: 30_000,
  jitter: 'none',
} as const;

export const durationMs: Check = number(0, MAX_TIMER_DELAY_MS, {
  message: 'expected a duration in ms ≥ 0',
  tooBig: `expected a duration in ms ≤ ${MAX_TIMER_DELAY_MS} (timers overflow beyond)`,
});
const jitter = either(
  'expected "none", "full", "equal", "decorrelated", "windowed" or a ratio 0–1',
  oneOf(['none', 'full', 'equal', 'decorrelated', 'windowed']),
  number(0, 1),
);
/** Every field's check: the durations share one, so only the others are named. */
const checkOf: Record<string, Check> = {
  factor: number(1, 1000, { message: 'expected a factor ≥ 1' }),
  jitter,
};
/** Each type's defaults, in the order its fields are checked and its result is built. */
const defaultsOf: Record<BackoffInput['type'], Record<string, unknown>> = {
  exponential: exponentialDefaults,
  grpc: grpcDefaults,
  constant: constantDefaults,
  linear: linearDefaults,
};
// Generated from the defaults, so a type's fields, checks and defaults cannot drift apart.
const shapes: Record<string, Check> = {};
for (const [type, defaults] of Object.entries(defaultsOf)) {
  const fields: Record<string, Check> = { type: oneOf([type]) };
  for (const key in defaults) fields[key] = checkOf[key] ?? durationMs;
  shapes[type] = shape(fields);
}
const backoffMessage = 'expected a backoff { "type": "exponential" | "grpc" | "constant" | "linear", … }';

/** A back-off written as data: `{ "type": …, …the type's fields }`. */
export const backoffInput: Check = (value, path, problems) => {
  // Own keys only: a type of `constructor` or `toString` must not find Object.prototype's.
  const check =
    isRecord(value) && typeof value.type === 'string' && Object.hasOwn(shapes, value.type)
      ? shapes[value.type]
      : undefined;
  if (check) return check(value, path, problems);
  problems.push({ path: isRecord(value) ? at(path, 'type') : path || '(root)', message: backoffMessage });
  return false;
};

export type BackoffResult =
  | { readonly ok: true; readonly backoff: Backoff }
  | { readonly ok: false; readonly problems: Problem[] };

/** Validates a back-off written as data and fills its defaults. `base` prefixes problem paths. */
export function resolveBackoff(input: unknown, base = ''): BackoffResult {
  const shapeProblems: Problem[] = [];
  if (!backoffInput(input, base, shapeProblems)) return { ok: false, problems: shapeProblems };
  const given = input as BackoffInput;
  const at = (field: string) => (base ? `${base}.${field}` : field);
  const defaults = defaultsOf[given.type];
  // gRPC is an exponential back-off with its own defaults.
  const filled: Record<string, unknown> = { type: given.type === 'grpc' ? 'exponential' : given.type };
  for (const key in defaults) filled[key] = (given as Record<string, unknown>)[key] ?? defaults[key];
  const backoff = filled as unknown as Backoff;
  const problems: Problem[] = [];
  if ('maxDelayMs' in backoff && backoff.maxDelayMs < backoff.initialDelayMs) {
    problems.push({
      path: at('maxDelayMs'),
      message: `expected maxDelayMs ≥ initialDelayMs (${backoff.initialDelayMs})`,
    });
  }
  if ('jitter' in backoff && backoff.jitter === 'decorrelated' && backoff.initialDelayMs === 0) {
    problems.push({
      path: at('initialDelayMs'),
      message: 'decorrelated jitter grows from initialDelayMs, so it must be > 0',
    });
  }
  if (backoff.type === 'constant' && backoff.delayMs + backoff.jitterMs > MAX_TIMER_DELAY_MS) {
    problems.push({
      path: at('jitterMs'),
      message: `delayMs + jitterMs must be ≤ ${MAX_TIMER_DELAY_MS}`,
    });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, backoff: Object.freeze(backoff) };
}

/** The largest delay a back-off can produce. */
export function backoffCap(backoff: Backoff): number {
  return backoff.type === 'constant' ? backoff.delayMs + backoff.jitterMs : backoff.maxDelayMs;
}
