import type { RawClose } from '@resock/core';

/**
 * The RFC 6455 code of a failure ws reports as 1006, where its error says for sure what it was:
 * the default policy goes by codes, so without it a bad certificate is a lost link (a rule's
 * `errors` tells error codes apart only where the app writes one).
 */
export function failureCode(raw: RawClose, error: unknown, opened: boolean, secure: boolean): void {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code !== 'string') return;
  // 1015: the TLS handshake failed (a certificate not trusted, expired or for another host; a
  // plain-text port behind a wss: URL). The same attempt gets the same answer.
  if (!opened && secure && tlsFailure.test(code)) raw.code = 1015;
  // 1009: a message over maxPayload. ws closed with 1009 itself, and the server will send the
  // same message again after a reconnect.
  else if (opened && code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
    raw.code = 1009;
    raw.initiator = 'transport';
  }
}

/** Error codes of a TLS handshake that failed (Node's and OpenSSL's). */
export const tlsFailure =
  /^(?:ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|HOSTNAME_MISMATCH$|EPROTO$)/;

/**
 * A 101 that ws refused (a wrong Sec-WebSocket-Accept, a subprotocol not offered or missing, a
 * bad extension answer): its error has no code of its own; this one names the kind.
 */
export function invalidUpgrade(error: unknown): unknown {
  const e = error as { name?: unknown; message?: unknown; code?: unknown } | undefined;
  if (!e || typeof e.message !== 'string' || e.code !== undefined) return error;
  return { name: e.name, message: e.message, code: 'RESOCK_INVALID_UPGRADE' };
}

/**
 * A proxy's answer to CONNECT other than 200, as hpagent reports it: a plain Error `Bad response:
 * 407` (no code, no response). Read as the handshake's status, as https-proxy-agent gives it (it
 * hands the proxy's answer to the request): a 407 then stops under the default policy instead
 * of being retried for ever as a lost link.
 */
export function proxyRefusal(error: unknown, opened: boolean): RawClose['handshake'] {
  if (opened || !(error instanceof Error) || (error as { code?: unknown }).code !== undefined) return undefined;
  const status = /^Bad response: ([1-5]\d\d)$/.exec(error.message)?.[1];
  return status ? { status: Number(status) } : undefined;
}
