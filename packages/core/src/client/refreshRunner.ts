import type { CloseRecord } from '../close/closeRecord';
import { ClientRuntimeError } from '../errors';
import type { ClientOptions, Protocols, UrlInput } from '../options';
import { protocolList, urlProblem, urlText } from '../resolveOptions';

export type RefreshOutcome =
  | { readonly ok: true; readonly url?: UrlInput; readonly protocols?: Protocols }
  | { readonly ok: false; readonly error: unknown };

/**
 * Runs the app's refresh hook once. The outcome is reported asynchronously and never after
 * `abort()` (the app closed or reconnected meanwhile), so a late token cannot revive an
 * abandoned attempt. A URL or protocols no WebSocket can use is a failed refresh: kept, it would
 * fail every later attempt before the hook could be asked again.
 */
export function runRefresh(
  hook: NonNullable<ClientOptions['refresh']>,
  record: CloseRecord,
  attempt: number,
  check: { readonly requireTls: boolean; readonly redact: (url: string) => string },
  settled: (outcome: RefreshOutcome) => void,
): AbortController {
  const controller = new AbortController();
  const report = (outcome: RefreshOutcome) => {
    if (!controller.signal.aborted) settled(outcome);
  };
  let result: unknown;
  try {
    result = hook({ record, attempt, signal: controller.signal });
  } catch (error) {
    result = Promise.reject(error);
  }
  Promise.resolve(result)
    .then((value) => report(readResult(value, check)))
    // Also a result that throws when read (a getter): a failed refresh at once, never an
    // unhandled rejection nor a hook "not settled" at its deadline.
    .then(undefined, (error: unknown) => report({ ok: false, error }));
  return controller;
}

/** What a settled hook gave: its `url` and `protocols`, checked as the options' are. */
function readResult(
  value: unknown,
  check: { readonly requireTls: boolean; readonly redact: (url: string) => string },
): RefreshOutcome {
  const next = typeof value === 'object' && value !== null ? (value as { url?: UrlInput; protocols?: Protocols }) : {};
  const outcome: { ok: true; url?: UrlInput; protocols?: Protocols } = { ok: true };
  if (next.url !== undefined) {
    const text = urlText(next.url);
    const problem = urlProblem(text, check.requireTls);
    if (problem) return { ok: false, error: unusable(`url ${text ? check.redact(text) : ''}`, problem) };
    outcome.url = next.url;
  }
  if (next.protocols !== undefined) {
    if (!protocolList(next.protocols)) return { ok: false, error: unusable('protocols', 'invalid list') };
    outcome.protocols = next.protocols;
  }
  return outcome;
}

const unusable = (what: string, problem: string) =>
  new ClientRuntimeError('refresh', `The refresh hook returned an unusable ${what}: ${problem}`);
