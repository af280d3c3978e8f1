/**
 * WebSocket close codes: RFC 6455 §7.4.1 and the IANA registry (1012–1014 added later via
 * hybi; 3000/3003/3008 are the registered library codes that mirror HTTP 401/403/408).
 */
export const CloseCode = {
  NormalClosure: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  /** Reserved; no meaning. Receivers reject it on the wire. */
  Reserved: 1004,
  /** Local only: a close frame arrived without a code. Never sent. */
  NoStatusReceived: 1005,
  /** Local only: the connection ended without a close frame (or never opened). Never sent. */
  AbnormalClosure: 1006,
  InvalidFramePayloadData: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  /** Local only: the TLS handshake failed. Browsers report 1006 instead. */
  TlsHandshake: 1015,
  Unauthorized: 3000,
  Forbidden: 3003,
  Timeout: 3008,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** Registry names by code; 1000–1015 are consecutive, so they are written as one list. */
const names: ReadonlyMap<number, string> = /* @__PURE__ */ (() =>
  new Map([
    ...(
      'Normal Closure|Going Away|Protocol Error|Unsupported Data|Reserved|No Status Received|' +
      'Abnormal Closure|Invalid Frame Payload Data|Policy Violation|Message Too Big|' +
      'Mandatory Extension|Internal Error|Service Restart|Try Again Later|Bad Gateway|TLS Handshake'
    )
      .split('|')
      .map((name, i) => [1000 + i, name] as const),
    [3000, 'Unauthorized'],
    [3003, 'Forbidden'],
    [3008, 'Timeout'],
  ]))();

/** The registry name of a code (`1012` → `"Service Restart"`), or undefined. */
export function closeCodeName(code: number): string | undefined {
  return names.get(code);
}

/**
 * Where a code sits in the RFC 6455 §7.4.2 ranges:
 * `standard` 1000–1015 (defined by the RFC and IANA, including the local-only 1005/1006/1015
 * and reserved 1004), `registered` 3000–3999 (libraries and frameworks, first come first
 * served), `private` 4000–4999 (agreed between the two ends), `invalid` everything else.
 */
export type CloseCodeRange = 'standard' | 'registered' | 'private' | 'invalid';

export function closeCodeRange(code: number): CloseCodeRange {
  if (!Number.isInteger(code)) return 'invalid';
  if (code >= 1000 && code <= 1015) return 'standard';
  if (code >= 3000 && code <= 3999) return 'registered';
  if (code >= 4000 && code <= 4999) return 'private';
  return 'invalid';
}

export const isStandardCloseCode = (code: number): boolean => closeCodeRange(code) === 'standard';
export const isRegisteredCloseCode = (code: number): boolean => closeCodeRange(code) === 'registered';
export const isPrivateCloseCode = (code: number): boolean => closeCodeRange(code) === 'private';
export const isInvalidCloseCode = (code: number): boolean => closeCodeRange(code) === 'invalid';

/** 1005, 1006 and 1015 are made up locally by a stack and never travel in a close frame. */
export function isLocalOnlyCloseCode(code: number): boolean {
  return code === 1005 || code === 1006 || code === 1015;
}

/**
 * May this code appear in a close frame? 1000–1003, 1007–1014 and 3000–4999. A peer that sends
 * anything else is broken: `ws` and undici fail the connection (and report 1006 locally).
 */
export function isWireCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/**
 * May a client pass this code to `close()`? Only 1000 and 3000–4999: that is all the WHATWG
 * `close()` accepts (browsers throw `InvalidAccessError` for 1001–1014, which `ws` allows), so
 * resock enforces the narrower rule everywhere and behaves the same on every platform.
 */
export function isSendableCloseCode(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && (code === 1000 || (code >= 3000 && code <= 4999));
}

/** `"1012 Service Restart"`, `"4001 (private)"`, `"2999 (invalid)"`: for logs and the demo. */
export function describeCloseCode(code: number): string {
  const name = closeCodeName(code);
  if (name) return `${code} ${name}`;
  const range = closeCodeRange(code);
  return range === 'standard' ? `${code}` : `${code} (${range})`;
}
