import { reasonObject } from '../close/retryAfter';
import { defaultCodeRows, defaultRows, handshakeRows, heartbeat, throttleBackoff } from './defaultRows';
import type { PresetName, RuleInput } from './policyInput';

/**
 * The presets, as data in the same shape users write: `default` (its rows in defaultRows.ts)
 * and those built on it. Each row's reason is in presetNotes.ts (kept out of this module so
 * browser bundles do not carry the prose). Change a row only with a written reason there.
 */

/** Every non-stopping row of the default, then "everything else: retry". */
const reconnectAlways: RuleInput = {
  name: 'reconnect-always',
  codes: ['0-65535'],
  action: 'retry',
};
const persistentRows: RuleInput[] = [
  heartbeat,
  ...[...handshakeRows, ...defaultCodeRows].flatMap((row) =>
    row.action === 'stop'
      ? []
      : // A refresh row (401, 1008/3000) is retried for ever too, but not with a token known to be
        // stale: with a refresh hook, fresh credentials first after the 1st, 2nd, 4th, … in a row.
        row.action === 'refresh'
        ? [
            {
              ...withoutMaxConsecutive(row),
              name: `${row.name}-retry`,
              action: 'retry' as const,
              refreshAfter: 1,
              // At once after the first, as the refresh row it stands for (refresh, then at once).
              firstDelayMs: 0,
            },
          ]
        : [withoutMaxConsecutive(row)],
  ),
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
