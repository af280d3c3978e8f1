import { ClientRuntimeError } from '../errors';
import { isThenable } from '../inputChecks';
import type { AttemptContext, ClientOptions } from '../options';
import { protocolList, urlProblem, urlText } from '../resolveOptions';

/** Where one attempt connects. */
export interface Target {
  readonly url: string;
  readonly protocols: string[];
}

/**
 * The URL and protocols of the next attempt, calling the options' functions (rotating
 * endpoints, a token in the query) anew each time, with what led to the attempt. Synchronous when both are plain values or
 * synchronous functions, so a retry at delay 0 costs no promise hop. Throws (or rejects with)
 * `ClientRuntimeError` when a function produced something a WebSocket cannot use.
 */
export function resolveTarget(
  url: ClientOptions['url'],
  protocols: NonNullable<ClientOptions['protocols']>,
  redact: (url: string) => string,
  requireTls: boolean,
  context: () => AttemptContext,
): Target | Promise<Target> {
  const u = typeof url === 'function' ? url(context()) : url;
  let p: unknown;
  try {
    p = typeof protocols === 'function' ? protocols(context()) : protocols;
  } catch (error) {
    // The attempt fails on this throw: a URL promise's own failure is then nobody's to hear,
    // and must not surface as an unhandled rejection.
    if (isThenable(u)) Promise.resolve(u).then(undefined, () => {});
    throw error;
  }
  if (isThenable(u) || isThenable(p)) {
    return Promise.all([u, p]).then(([uu, pp]) => checkTarget(uu, pp, redact, requireTls));
  }
  return checkTarget(u, p, redact, requireTls);
}

function checkTarget(url: unknown, protocols: unknown, redact: (url: string) => string, requireTls: boolean): Target {
  const text = urlText(url);
  const problem = urlProblem(text, requireTls);
  if (problem !== undefined || text === undefined) {
    throw new ClientRuntimeError(
      'url',
      `The url option produced ${text === undefined ? 'no URL' : redact(text)}: ${problem}`,
    );
  }
  const list = protocolList(protocols);
  if (!list) throw new ClientRuntimeError('url', 'The protocols option produced an invalid subprotocol list');
  return { url: text, protocols: list };
}
