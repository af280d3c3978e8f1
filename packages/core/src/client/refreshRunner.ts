import type { CloseRecord } from '../close/closeRecord';
import type { ClientOptions, Protocols, UrlInput } from '../options';

export type RefreshOutcome =
  | { readonly ok: true; readonly url?: UrlInput; readonly protocols?: Protocols }
  | { readonly ok: false; readonly error: unknown };

/**
 * Runs the app's refresh hook once. The outcome is reported asynchronously and never after
 * `abort()` (the app closed or reconnected meanwhile), so a late token cannot revive an
 * abandoned attempt.
 */
export function runRefresh(
  hook: NonNullable<ClientOptions['refresh']>,
  record: CloseRecord,
  attempt: number,
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
  Promise.resolve(result).then(
    (value) => {
      const next =
        typeof value === 'object' && value !== null ? (value as { url?: UrlInput; protocols?: Protocols }) : {};
      const outcome: { ok: true; url?: UrlInput; protocols?: Protocols } = { ok: true };
      if (next.url !== undefined) outcome.url = next.url;
      if (next.protocols !== undefined) outcome.protocols = next.protocols;
      report(outcome);
    },
    (error: unknown) => report({ ok: false, error }),
  );
  return controller;
}
