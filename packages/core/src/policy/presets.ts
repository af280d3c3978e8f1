import type { BackoffInput } from '../backoff/backoffSpec';
import type { PresetName, RuleInput } from './policyInput';

/**
 * The presets, as data in the same shape users write. Each row's `description` is its reason;
 * docs/close-codes.md is the table of the `default` preset. Change a row only with a written
 * reason there.
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
  firstDelayMs: 0,
  description: 'The heartbeat found the peer dead: the link, not the server, failed. Retry at once, then back off.',
};

/** Handshake answers (HTTP status of a rejected upgrade; only Node's `ws` sees them). */
const handshakeRows: RuleInput[] = [
  {
    name: 'http-401',
    status: [401],
    action: 'refresh',
    maxConsecutive: 2,
    description:
      'HTTP 401: credentials are missing or expired. Refresh them and retry (at most 2 in a row), else stop.',
  },
  {
    name: 'http-client-error',
    status: [400, 403, 404, 405, 426],
    action: 'stop',
    description: 'HTTP 400/403/404/405/426: the request is wrong or forbidden; the same request gets the same answer.',
  },
  {
    name: 'http-retry-after',
    status: [429, 503],
    retryAfter: true,
    action: 'throttle',
    description:
      'HTTP 429, or 503 with Retry-After: wait what the server asked (clamped 1 s – 10 min, +0–10 % jitter).',
  },
  {
    name: 'http-429',
    status: [429],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
    description: 'HTTP 429 without Retry-After: too many requests. Wait at least 30 s, doubling to 5 min.',
  },
  {
    name: 'http-transient',
    status: [408, 500, 502, 503, 504],
    action: 'retry',
    description: 'HTTP 408/500/502/503/504: a timeout or a server or gateway fault, usually transient. Back off.',
  },
  {
    name: 'http-not-websocket',
    status: ['100-399'],
    action: 'stop',
    description: 'HTTP 1xx–3xx instead of 101: the URL is not a WebSocket endpoint (redirects are not followed).',
  },
  {
    name: 'http-other-4xx',
    status: ['400-499'],
    action: 'stop',
    description: 'Any other HTTP 4xx: a client error that a retry repeats.',
  },
  {
    name: 'http-other-5xx',
    status: ['500-599'],
    action: 'retry',
    description: 'Any other HTTP 5xx: a server fault. Back off.',
  },
];

const defaultCodeRows: RuleInput[] = [
  {
    name: 'normal-closure',
    codes: [1000],
    action: 'stop',
    description: '1000 from the server: the purpose of the connection is done.',
  },
  {
    name: 'going-away',
    codes: [1001],
    action: 'retry',
    firstDelayMs: [0, 1000],
    description:
      '1001 Going Away: a planned drain or deploy; the next attempt usually succeeds. Retry within 0–1 s, then back off.',
  },
  {
    name: 'fatal-protocol',
    codes: [1002, 1003, 1007, 1009, 1010],
    action: 'stop',
    description: '1002/1003/1007/1009/1010: we sent something the server cannot accept; retrying sends it again.',
  },
  {
    name: 'auth',
    codes: [1008, 3000],
    action: 'refresh',
    maxConsecutive: 2,
    description:
      '1008 Policy Violation / 3000 Unauthorized: usually auth. Refresh credentials and retry (at most 2 in a row), else stop.',
  },
  {
    name: 'service-restart',
    codes: [1012],
    action: 'retry',
    firstDelayMs: [5000, 30_000],
    description:
      '1012 Service Restart: its registration asks for a random 5–30 s so the fleet spreads out. Then back off.',
  },
  {
    name: 'try-again-later',
    codes: [1013],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
    description: '1013 Try Again Later: the server is shedding load. Wait at least 30 s, doubling to 5 min, ±20 %.',
  },
  {
    name: 'forbidden',
    codes: [3003],
    action: 'stop',
    description: '3003 Forbidden: authorized but not permitted; permissions do not fix themselves.',
  },
  {
    name: 'transient',
    codes: [1005, 1006, 1011, 1014, 1015, '3000-4999'],
    action: 'retry',
    description:
      '1005/1006/1011/1014/1015, 3008 and other 3000–4999: lost link, server fault or app code without a known meaning. Back off.',
  },
  {
    name: 'invalid-code',
    codes: ['0-999', 1004, '1016-2999', '5000-65535'],
    action: 'retry',
    maxConsecutive: 3,
    description: 'A code that is not valid on the wire: the peer is broken. Retry at most 3 in a row, then stop.',
  },
];

const defaultRows: RuleInput[] = [heartbeat, ...handshakeRows, ...defaultCodeRows];

/** Every non-stopping row of the default, then "everything else: retry". */
const reconnectAlways: RuleInput = {
  name: 'reconnect-always',
  codes: ['0-65535'],
  action: 'retry',
  description: 'persistent: every close the app did not ask for is followed by a reconnect.',
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
    codes: [4401],
    action: 'refresh',
    maxConsecutive: 2,
    description: '4401 (HTTP 401): refresh credentials, then retry; stop after 2 in a row.',
  },
  {
    name: 'mirror-4408',
    codes: [4408, 4500, 4502, 4504],
    action: 'retry',
    description: '4408/4500/4502/4504 (HTTP 408/500/502/504): transient; back off.',
  },
  {
    name: 'mirror-4429',
    codes: [4429, 4503],
    action: 'throttle',
    minDelayMs: 30_000,
    backoff: throttleBackoff,
    description: '4429/4503 (HTTP 429/503): overloaded; wait at least 30 s, doubling to 5 min.',
  },
  {
    name: 'mirror-4xx',
    codes: ['4400-4499'],
    action: 'stop',
    description: '44xx (HTTP 4xx: 400, 403, 404, 406, 409, …): a client error a retry repeats.',
  },
  {
    name: 'mirror-5xx',
    codes: ['4500-4599'],
    action: 'retry',
    description: '45xx (HTTP 5xx): a server fault; back off.',
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
    description:
      '4401 Unauthorized: refresh credentials and retry; graphql-ws itself gives up, which is what happens without a refresh hook.',
  },
  {
    name: 'graphql-retryable',
    codes: [4403, 4408, 4499, 4504],
    action: 'retry',
    description: '4403 Forbidden, 4408 init timeout, 4499 terminated, 4504 ack timeout: graphql-ws retries these.',
  },
  {
    name: 'graphql-fatal',
    codes: [4004, 4005, 4400, 4406, 4409, 4429, 4500],
    action: 'stop',
    description: '4004/4005/4400/4406/4409/4429/4500: graphql-ws treats these as fatal.',
  },
  {
    name: 'graphql-fatal-1xxx',
    codes: ['1002-1004', '1007-1011', '1015-1999'],
    action: 'stop',
    description: 'graphql-ws: every 1xxx except 1000/1001/1005/1006/1012/1013/1014 is fatal.',
  },
  ...defaultRows,
];

// Centrifugo's bands (centrifuge-js src/codes.ts): 3500–3999 and 4500–4999 are terminal.
const centrifugoRows: RuleInput[] = [
  heartbeat,
  {
    name: 'centrifugo-state-invalidated',
    codes: [3014],
    action: 'refresh',
    maxConsecutive: 2,
    description: '3014: the server invalidated the connection state; refresh the token and reconnect.',
  },
  {
    name: 'centrifugo-terminal',
    codes: ['3500-3999', '4500-4999'],
    action: 'stop',
    description: "3500–3999 and 4500–4999: Centrifugo's terminal bands.",
  },
  {
    name: 'centrifugo-message-size',
    codes: [1009],
    action: 'stop',
    description: '1009: message size limit; centrifuge-js does not reconnect.',
  },
  ...handshakeRows,
  {
    name: 'centrifugo-reconnect',
    codes: ['0-2999', '3000-3499', '4000-4499', '5000-65535'],
    action: 'retry',
    description: 'Everything else: Centrifugo reconnects (its 3000 means "connection closed", not Unauthorized).',
  },
];

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
