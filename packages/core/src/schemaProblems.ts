import type { Problem } from './errors';

/** The parts of a zod issue we read; zod/mini ships no message locale, so we write our own. */
interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly expected?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly keys?: readonly string[];
  readonly values?: readonly unknown[];
  readonly options?: readonly unknown[];
}

/** zod/mini's message when the schema gave none. */
const DEFAULT_MESSAGE = 'Invalid input';

/** `['rules', 1, 'codes', 0]` → `rules[1].codes[0]`, under `base` when given. */
export function formatPath(path: readonly PropertyKey[], base = ''): string {
  let out = base;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

export function toProblems(issues: readonly Issue[], base = ''): Problem[] {
  return issues.map((issue) => ({ path: formatPath(issue.path, base), message: describe(issue) }));
}

function describe(issue: Issue): string {
  if (issue.message !== DEFAULT_MESSAGE) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${String(issue.expected)}`;
    case 'too_small':
      return `expected a value ≥ ${String(issue.minimum)}`;
    case 'too_big':
      return `expected a value ≤ ${String(issue.maximum)}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys?.length === 1 ? '' : 's'} ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return issue.options
        ? `expected one of ${issue.options.map((v) => JSON.stringify(v)).join(', ')}`
        : 'matches none of the allowed shapes';
    default:
      return 'invalid value';
  }
}
