import type { BackoffInput } from '../backoff/backoffSpec';
import type { RuleInput } from './policyInput';

/**
 * The `default` preset's rows, which the other presets build on: as data in the same shape
 * users write. Each row's reason is in presetNotes.ts; docs/close-codes.md is their table.
 * Change a row only with a written reason there.
 */

/** 1013 and 429: at least 30 s, doubling to 5 min, ±20 % (RFC 6455 registration of 1013). */
export const throttleBackoff: BackoffInput = {
  type: 'exponential',
  initialDelayMs: 30_000,
  maxDelayMs: 300_000,
  factor: 2,
  jitter: 0.2,
};

export const heartbeat: RuleInput = {
  name: 'heartbeat-dead-peer',
  initiator: ['heartbeat'],
  action: 'retry',
  // Quick, not at once: clients whose heartbeats run in step (a fleet started together) find
  // the same dead link in the same tick, and 0–1 s keeps them off the server's first instant.
  firstDelayMs: [0, 1000],
};

/** Handshake answers (HTTP status of a rejected upgrade; only Node's `ws` sees them). */
export const handshakeRows: RuleInput[] = [
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

export const defaultCodeRows: RuleInput[] = [
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

export const defaultRows: RuleInput[] = [heartbeat, ...handshakeRows, ...defaultCodeRows];
