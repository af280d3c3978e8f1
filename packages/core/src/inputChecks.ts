import type { Problem } from './errors';

/**
 * Checks for JSON-shaped input (policies, back-offs) that report every problem with its path,
 * like a schema library would. Hand-rolled because this code reaches browser bundles: zod's
 * engine alone is ~5 KB gzipped, more than half of resock's 9 KB budget.
 *
 * A check returns true when the value passes, and pushes a problem for each thing wrong.
 */
export type Check = (value: unknown, path: string, problems: Problem[]) => boolean;

/** `rules[1].codes` + `0` → `rules[1].codes[0]`; the root is `(root)`. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

export const fail = (problems: Problem[], path: string, message: string): false => {
  problems.push({ path: path === '' ? '(root)' : path, message });
  return false;
};

/** A promise from any realm or library, as `await` takes it (instanceof Promise misses both). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  try {
    return typeof (value as { then?: unknown } | null)?.then === 'function';
  } catch {
    return false; // a `then` that cannot be read: no promise (and no throw)
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A finite number in [min, max]; `integer` rejects fractions. `message` replaces the default. */
export function number(
  min: number,
  max: number,
  options: { integer?: boolean; message?: string; tooBig?: string } = {},
): Check {
  return (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
      return fail(problems, path, options.message ?? `expected ${options.integer ? 'an integer' : 'a number'}`);
    }
    if (value < min) return fail(problems, path, options.message ?? `expected a value ≥ ${min}`);
    if (value > max) return fail(problems, path, options.tooBig ?? options.message ?? `expected a value ≤ ${max}`);
    return true;
  };
}

/** Passes when `test` accepts the value; otherwise one problem, `message`. */
export const check =
  (message: string, test: (value: unknown) => unknown): Check =>
  (value, path, problems) =>
    !!test(value) || fail(problems, path, message);

export const fn = check('expected a function', (v) => typeof v === 'function');

/** Duck-typed, so an AbortSignal from any realm or polyfill passes. */
export const abortSignal = check(
  'expected an AbortSignal',
  (v) =>
    isRecord(v) &&
    typeof v.aborted === 'boolean' &&
    typeof v.addEventListener === 'function' &&
    typeof v.removeEventListener === 'function',
);

export function string(maxLength: number, minLength = 0): Check {
  return (value, path, problems) =>
    (typeof value === 'string' && value.length >= minLength && value.length <= maxLength) ||
    fail(problems, path, `expected a string of ${minLength}–${maxLength} characters`);
}

export const boolean: Check = (value, path, problems) =>
  typeof value === 'boolean' || fail(problems, path, 'expected a boolean');

export function oneOf(values: readonly unknown[], message?: string): Check {
  return (value, path, problems) =>
    values.includes(value) ||
    fail(problems, path, message ?? `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}`);
}

/** Passes when any of `checks` passes; otherwise one problem, `message`. */
export function either(message: string, ...checks: Check[]): Check {
  return (value, path, problems) => checks.some((check) => check(value, path, [])) || fail(problems, path, message);
}

export function list(item: Check, options: { nonEmpty?: boolean; length?: number } = {}): Check {
  return (value, path, problems) => {
    if (!Array.isArray(value)) return fail(problems, path, 'expected array');
    if (options.length !== undefined && value.length !== options.length)
      return fail(problems, path, `expected ${options.length} entries`);
    if (options.nonEmpty && value.length === 0) return fail(problems, path, 'expected at least one entry');
    let ok = true;
    value.forEach((entry, i) => {
      if (!item(entry, at(path, i), problems)) ok = false;
    });
    return ok;
  };
}

/**
 * An object with these optional keys (and `required` ones); any other key is a problem at its own
 * path, so a typo like `maxAttempt` is caught instead of ignored.
 */
export function shape(fields: Record<string, Check>, required: readonly string[] = []): Check {
  return (value, path, problems) => {
    if (!isRecord(value)) return fail(problems, path, 'expected object');
    let ok = true;
    for (const [key, check] of Object.entries(fields)) {
      const field = value[key];
      if (field === undefined) {
        if (required.includes(key)) ok = fail(problems, at(path, key), 'required');
      } else if (!check(field, at(path, key), problems)) ok = false;
    }
    // Own keys only: `constructor` or `__proto__` must not pass as known fields.
    for (const key of Object.keys(value))
      if (!Object.hasOwn(fields, key)) ok = fail(problems, at(path, key), 'unknown key');
    return ok;
  };
}

/** Deeper than any input the checks read: left as it is (the checks then refuse it). */
const MAX_DEPTH = 8;
/**
 * More values than any policy holds: input past it is refused, not copied (shared references
 * would make the copy grow exponentially with depth).
 */
const MAX_VALUES = 10_000;

export const errorText = (error: unknown): string => {
  try {
    return String(error);
  } catch {
    return 'an error that cannot be shown';
  }
};

/** The walk of one `plainData` call: the values left to copy, the objects on the current path. */
interface Walk {
  left: number;
  readonly within: Set<object>;
}

/**
 * JSON-shaped input (what `read` returns) as plain data, read once: own enumerable fields (so
 * what is checked is what is used, and what `JSON.stringify` keeps), each getter run once,
 * arrays without holes, objects on a null prototype (a `__proto__` key stays a key). What cannot
 * be read (a throwing getter, a revoked proxy), an object inside itself, or input too large is a
 * problem at its own path.
 */
export function plainData(
  read: () => unknown,
  path: string,
  problems: Problem[],
  walk: Walk = { left: MAX_VALUES, within: new Set() },
): unknown {
  try {
    const value = read() as Record<string | number, unknown>;
    if (walk.within.size >= MAX_DEPTH || typeof value !== 'object' || value === null) return value;
    if (walk.within.has(value)) return fail(problems, path, 'contains itself');
    if (walk.left-- <= 0) {
      if (walk.left === -1) fail(problems, '', `more than ${MAX_VALUES} values`);
      return undefined;
    }
    const array = Array.isArray(value);
    const copy: Record<string | number, unknown> = array ? [] : Object.create(null);
    // An array's keys() are all its indexes, holes too.
    const keys = array ? [...value.keys()] : Object.keys(value);
    walk.within.add(value);
    for (const key of keys) copy[key] = plainData(() => value[key], at(path, key), problems, walk);
    walk.within.delete(value);
    return copy;
  } catch (error) {
    return fail(problems, path, `could not be read (${errorText(error)})`);
  }
}
