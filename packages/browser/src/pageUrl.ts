import type { ClientOptions, RefreshResult } from '@resock/core';

/** An absolute URL (it has a scheme) is left as it is; anything else is resolved against the page. */
const hasScheme = /^[a-z][a-z\d+.-]*:/i;

/**
 * `new WebSocket('/live')` connects relative to the page (its base URL; a worker's location),
 * and so does resock. The base is read when the URL is, so a URL function follows the page.
 * Without a page, for an empty string (a missing setting, not "this page") or if it does not
 * resolve, the URL is passed on as given, for the options check to judge.
 */
export function resolveAgainstPage<U>(given: U): U | string {
  if (typeof given !== 'string' || given === '' || hasScheme.test(given)) return given;
  const scope = globalThis as { document?: { baseURI?: string }; location?: { href?: string } };
  const base = scope.document?.baseURI ?? scope.location?.href;
  if (!base) return given;
  try {
    const resolved = new URL(given, base);
    // The page's http(s) becomes ws(s), as a WebSocket's `url` shows it.
    if (resolved.protocol === 'http:' || resolved.protocol === 'https:')
      resolved.protocol = `ws${resolved.protocol.slice(4)}`;
    return resolved.href;
  } catch {
    return given;
  }
}

/**
 * `f` applied to a value that may come as a promise, keeping a sync value sync. Any thenable, as
 * core takes it: `instanceof Promise` misses an iframe's promises and a library's.
 */
const then = <T, R>(value: T | PromiseLike<T>, f: (value: T) => R): R | Promise<R> =>
  typeof (value as { then?: unknown } | null | undefined)?.then === 'function'
    ? Promise.resolve(value).then(f)
    : f(value as T);

/** The `url` option, text or function, resolved against the page. */
export function pageUrl(url: ClientOptions['url']): ClientOptions['url'] {
  return typeof url === 'function' ? (context) => then(url(context), resolveAgainstPage) : resolveAgainstPage(url);
}

/** The `refresh` hook, with the URL it may return resolved against the page like `url`. */
export function pageRefresh(refresh: NonNullable<ClientOptions['refresh']>): NonNullable<ClientOptions['refresh']> {
  return (context) =>
    then(refresh(context), (result: RefreshResult) =>
      result?.url === undefined ? result : { ...result, url: resolveAgainstPage(result.url) },
    );
}
