import type { AttemptContext, ConnectRequest } from '@resock/core';
import { checkedHeaders, isThenable } from './optionChecks';

export type Headers = { [name: string]: string };

/** `headers` as nodeTransport takes it: fixed, or read before every attempt (async allowed). */
export type HeadersOption = Headers | ((context: AttemptContext) => Headers | Promise<Headers>);

/** Where prepare() leaves an attempt's headers for its connect(): a key no one else holds. */
const prepared = Symbol('resock.headers');
type PreparedRequest = ConnectRequest & { [prepared]?: Headers | undefined };

/**
 * The transport's prepare(): the headers function's answer for this attempt (awaited when it is
 * a promise: a token service), checked, and kept on the request. A throw, a rejection or a bad
 * header fails the attempt (core's `error` event), inside its connect deadline.
 */
export function prepareHeaders(
  headers: (context: AttemptContext) => Headers | Promise<Headers>,
  request: ConnectRequest,
  context: AttemptContext,
): void | Promise<void> {
  const keep = (value: unknown) => {
    (request as PreparedRequest)[prepared] = checkedHeaders(value, 'headers()');
  };
  const given: unknown = headers(context);
  if (isThenable(given)) return Promise.resolve(given).then(keep);
  keep(given);
}

/** What connect() sends: the attempt's prepared headers, or the fixed ones. */
export function headersOf(headers: HeadersOption | undefined, request: ConnectRequest): Headers | undefined {
  if (typeof headers !== 'function') return headers;
  const ready = request as PreparedRequest;
  if (prepared in ready) return ready[prepared];
  // connect() called without prepare() (code driving the transport itself): read it now. An
  // async answer is refused (checkedHeaders), and its rejection, if any, handled here.
  const given: unknown = headers({ attempt: 1, record: undefined, signal: new AbortController().signal });
  if (isThenable(given)) Promise.resolve(given).then(undefined, () => undefined);
  return checkedHeaders(given, 'headers()');
}
