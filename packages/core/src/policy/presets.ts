import type { BackoffInput } from '../backoff/backoffSpec';
import { reasonObject } from '../close/retryAfter';
import type { PresetName, RuleInput } from './policyInput';

/**
 * The presets, as data in the same shape users write. Each row's reason is in presetNotes.ts
 * (kept out of this module so browser bundles do not carry the prose); docs/close-codes.md is
 * the table of the `default` preset. Change a row only with a written reason there.
 */

/** 1013 and 429: at least 30 s, doubling to 5 min, ±20 % (RFC 6455 registration of 1013). */
const throttleBackoff: BackoffInput = {
  type: 'exponential',
  initialDelayMs: 30_000,
  maxDelayMs: 300_000,
  factor: 2,
  jitter: 0.2,
};

const heartbeat: RuleInput = {
  name: 'heartbeat-dead-peer',
  initiator: ['heartbeat'],
  action: 'retry',
  // Quick, not at once: clients whose heartbeats run in step (a fleet started together) find
  // the same dead link in the same tick, and 0–1 s keeps them off the server's first instant.
  firstDelayMs: [0, 1000],
};

/** Handshake answers (HTTP status of a rejected upgrade; only Node's `ws` sees them). */
const handshakeRows: RuleInput[] = [
  {
    name: 'http-401',
    status: [401],
    action: 'refresh',
    maxConsecutive: 2,
  },
  {
    name: 'http-client-error',
    status: [400, 403, 404, 405, 426],
    action: 'stop',
  },
  {
    name: 'http-retry-after',
    status: [429, 503],
    retryAfter: true,
    action: 'throttle',
  },
  {
    name: 'http-429',
    status: [429],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
  },
  {
    name: 'http-transient',
    status: [408, 500, 502, 503, 504],
    action: 'retry',
  },
  {
    // A 101 the client refused (a wrong accept key, a subprotocol not offered or missing): the
    // deployment and the client disagree; a glitch is retried, a mismatch is not for ever.
    name: 'http-invalid-upgrade',
    status: [101],
    action: 'retry',
    maxConsecutive: 3,
  },
  {
    name: 'http-not-websocket',
    // Not 101: a 101 that is no upgrade (no `Connection: Upgrade`) is a broken handshake, retried.
    status: [100, '102-399'],
    action: 'stop',
  },
  {
    name: 'http-other-4xx',
    status: ['400-499'],
    action: 'stop',
  },
  {
    name: 'http-other-5xx',
    status: ['500-599'],
    action: 'retry',
  },
  {
    // All a browser (or undici) shows of a failed handshake: 1006, no status, no error. A token
    // that expired is refused with a 401 it cannot see, and retrying with it fails for ever: fresh
    // credentials come after the 2nd, 4th, 8th, … failure in a row, before the retry (few, so an
    // outage does not hammer the token service). Node's ws sees the status (the rows above) or an error code.
    name: 'handshake-unknown',
    codes: [1006],
    phase: ['connecting'],
    initiator: ['transport'],
    when: (record) => record.handshake === undefined && record.error?.code === undefined && record.reason === '',
    action: 'retry',
    refreshAfter: 2,
  },
];

const defaultCodeRows: RuleInput[] = [
  {
    name: 'normal-closure',
    codes: [1000],
    action: 'stop',
  },
  {
    name: 'going-away',
    codes: [1001],
    action: 'retry',
    firstDelayMs: [0, 1000],
  },
  {
    name: 'fatal-protocol',
    codes: [1002, 1003, 1007, 1009, 1010],
    action: 'stop',
  },
  {
    name: 'auth',
    codes: [1008, 3000],
    action: 'refresh',
    maxConsecutive: 2,
  },
  {
    name: 'service-restart',
    codes: [1012],
    action: 'retry',
    firstDelayMs: [5000, 30_000],
  },
  {
    name: 'try-again-later',
    codes: [1013],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
  },
  {
    name: 'forbidden',
    codes: [3003],
    action: 'stop',
  },
  {
    // A TLS handshake that failed (Node: a certificate not trusted, expired or for another host):
    // the same attempt gets the same answer until someone fixes it, so slowly, but not never.
    name: 'tls-handshake',
    codes: [1015],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
  },
  {
    name: 'transient',
    codes: [1005, 1006, 1011, 1014, '3000-4999'],
    action: 'retry',
  },
  {
    name: 'invalid-code',
    codes: ['0-999', 1004, '1016-2999', '5000-65535'],
    action: 'retry',
    maxConsecutive: 3,
  },
];

const defaultRows: RuleInput[] = [heartbeat, ...handshakeRows, ...defaultCodeRows];

/** Every non-stopping row of the default, then "everything else: retry". */
const reconnectAlways: RuleInput = {
  name: 'reconnect-always',
  codes: ['0-65535'],
  action: 'retry',
};
const persistentRows: RuleInput[] = [
  heartbeat,
  ...[...handshakeRows, ...defaultCodeRows]
    .filter((row) => row.action === 'retry' || row.action === 'throttle')
    .map(withoutMaxConsecutive),
  reconnectAlways,
];

function withoutMaxConsecutive({ maxConsecutive: _unused, ...row }: RuleInput): RuleInput {
  return row;
}

const httpMirrorRows: RuleInput[] = [
  {
    name: 'mirror-4401',
    codes: [4401, 4403],
    action: 'refresh',
    maxConsecutive: 2,
  },
  {
    name: 'mirror-4408',
    codes: [4408, 4500, 4502, 4504],
    action: 'retry',
  },
  {
    name: 'mirror-4429',
    codes: [4429, 4503],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
  },
  {
    name: 'mirror-4xx',
    codes: ['4400-4499'],
    action: 'stop',
  },
  {
    name: 'mirror-5xx',
    codes: ['4500-4599'],
    action: 'retry',
  },
  ...defaultRows,
];

// graphql-ws's CloseCode table (src/common.ts) and its retryable/fatal split.
const graphqlWsRows: RuleInput[] = [
  {
    name: 'graphql-unauthorized',
    codes: [4401],
    action: 'refresh',
    maxConsecutive: 2,
  },
  {
    // What a server's onConnect refusing sends: graphql-ws retries it up to retryAttempts (5).
    name: 'graphql-forbidden',
    codes: [4403],
    action: 'retry',
    maxConsecutive: 5,
  },
  {
    name: 'graphql-retryable',
    codes: [4408, 4499, 4504],
    action: 'retry',
  },
  {
    // graphql-ws reconnects after a server's 1000 while operations hold the socket, as a
    // resock client always does: with the back-off, so a server repeating it cannot spin it.
    name: 'graphql-normal-closure',
    codes: [1000],
    action: 'retry',
  },
  {
    name: 'graphql-fatal',
    codes: [4004, 4005, 4400, 4406, 4409, 4429, 4500],
    action: 'stop',
  },
  {
    // Not 1015: a TLS handshake that failed (Node) is what graphql-ws on ws sees as a 1006 and
    // retries; certificates get fixed without restarting clients (the default rows throttle it).
    name: 'graphql-fatal-1xxx',
    codes: ['1002-1004', '1007-1011', '1016-1999'],
    action: 'stop',
  },
  ...defaultRows,
];

// Centrifugo's bands (centrifuge-js src/codes.ts): 3500–3999 and 4500–4999 are terminal.
const centrifugoRows: RuleInput[] = [
  heartbeat,
  // Older Centrifugo servers close with a JSON reason, {"reason":"…","reconnect":false}:
  // centrifuge-js takes its word over the code's band.
  {
    name: 'centrifugo-told-stop',
    initiator: ['server'],
    when: (record) => reasonObject(record.reason)?.reconnect === false,
    action: 'stop',
  },
  {
    name: 'centrifugo-told-reconnect',
    initiator: ['server'],
    when: (record) => reasonObject(record.reason)?.reconnect === true,
    action: 'retry',
  },
  {
    name: 'centrifugo-terminal',
    codes: ['3500-3999', '4500-4999'],
    action: 'stop',
  },
  {
    name: 'centrifugo-message-size',
    codes: [1009],
    action: 'stop',
  },
  ...handshakeRows,
  {
    name: 'centrifugo-reconnect',
    codes: ['0-2999', '3000-3499', '4000-4499', '5000-65535'],
    action: 'retry',
  },
];

/**
 * Every preset's rows. Data, but for a few rows' `when` (handshake-unknown's, centrifugo's told
 * rows: code, which JSON drops, so a copy made through JSON would match more; name a preset).
 */
export const presets: Readonly<Record<PresetName, readonly RuleInput[]>> = deepFreeze({
  default: defaultRows,
  persistent: persistentRows,
  httpMirror: httpMirrorRows,
  graphqlWs: graphqlWsRows,
  centrifugo: centrifugoRows,
  none: [],
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
