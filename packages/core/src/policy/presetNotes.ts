import type { PresetName } from './policyInput';
import { presets } from './presets';

/**
 * Why each preset row exists, by row name: shown by `resock policy explain`, the demo and
 * `ruleNote`. Apart from the rows themselves so that a client bundle, which only needs the
 * rows, does not carry this prose.
 */
export const presetNotes: Readonly<Record<string, string>> = Object.freeze({
  'heartbeat-dead-peer':
    'The heartbeat found the peer dead: the link, not the server, failed. Retry within 0–1 s (a fleet whose heartbeats run in step finds the same dead link at once), then back off.',
  'http-401': 'HTTP 401: credentials are missing or expired. Refresh them and retry (at most 2 in a row), else stop.',
  'http-client-error':
    'HTTP 400/403/404/405/426: the request is wrong or forbidden; the same request gets the same answer.',
  'http-retry-after':
    'HTTP 429, or 503 with Retry-After: wait what the server asked (clamped 1 s – 10 min, +0–10 % jitter).',
  'http-429': 'HTTP 429 without Retry-After: too many requests. Wait at least 30 s, doubling to 5 min.',
  'http-transient': 'HTTP 408/500/502/503/504: a timeout or a server or gateway fault, usually transient. Back off.',
  'http-invalid-upgrade':
    'A 101 the client refused (wrong accept key, a subprotocol not offered or missing, a bad extension answer): retry at most 3 in a row, then stop.',
  'http-not-websocket':
    'HTTP 1xx–3xx instead of 101: the URL is not a WebSocket endpoint (or, with followRedirects, a redirect ws stopped following).',
  'http-other-4xx': 'Any other HTTP 4xx: a client error that a retry repeats.',
  'http-other-5xx': 'Any other HTTP 5xx: a server fault. Back off.',
  'handshake-unknown':
    'A handshake that failed with nothing known (a browser hides the status): a refused token looks like a lost link, so fresh credentials come after the 2nd, 4th, 8th, … failure in a row, before the retry (with a refresh hook). Back off.',
  'normal-closure': '1000 from the server: the purpose of the connection is done.',
  'going-away':
    '1001 Going Away: a planned drain or deploy; the next attempt usually succeeds. Retry within 0–1 s, then back off.',
  'fatal-protocol':
    '1002/1003/1007/1009/1010: what we sent the server cannot accept, or (1009, Node) what it sends is over our maxPayload; a retry repeats it.',
  auth: '1008 Policy Violation / 3000 Unauthorized: usually auth. Refresh credentials and retry (at most 2 in a row), else stop.',
  'service-restart':
    '1012 Service Restart: its registration asks for a random 5–30 s so the fleet spreads out. Then back off.',
  'try-again-later': '1013 Try Again Later: the server is shedding load. Wait at least 30 s, doubling to 5 min, ±20 %.',
  forbidden: '3003 Forbidden: authorized but not permitted; permissions do not fix themselves.',
  'tls-handshake':
    '1015 (Node: a certificate not trusted, expired or for another host; a plain-text port on wss:): the same attempt fails the same way until it is fixed, so ≥ 30 s, doubling to 5 min.',
  transient:
    '1005/1006/1011/1014, 3008 and other 3000–4999: lost link, server fault or app code without a known meaning. Back off.',
  'invalid-code': 'A code that is not valid on the wire: the peer is broken. Retry at most 3 in a row, then stop.',
  'http-401-retry':
    'persistent: HTTP 401 is retried for ever; with a refresh hook, fresh credentials first after the 1st, 2nd, 4th, 8th, … in a row.',
  'auth-retry':
    'persistent: 1008 Policy Violation / 3000 Unauthorized are retried for ever; with a refresh hook, fresh credentials first after the 1st, 2nd, 4th, 8th, … in a row.',
  'reconnect-always': 'persistent: every close the app did not ask for is followed by a reconnect.',
  'mirror-4401':
    '4401/4403 (HTTP 401/403): refresh credentials, then retry (Hocuspocus sends 4403 for a refused token and retries); stop after 2 in a row.',
  'mirror-4408': '4408/4500/4502/4504 (HTTP 408/500/502/504): transient; back off.',
  'mirror-4429': '4429/4503 (HTTP 429/503): overloaded; wait at least 30 s, doubling to 5 min.',
  'mirror-4xx': '44xx (HTTP 4xx: 400, 403, 404, 406, 409, …): a client error a retry repeats.',
  'mirror-5xx': '45xx (HTTP 5xx): a server fault; back off.',
  'graphql-unauthorized':
    '4401 Unauthorized: refresh credentials and retry; graphql-ws itself gives up, which is what happens without a refresh hook.',
  'graphql-forbidden': '4403 Forbidden (onConnect refused): graphql-ws retries it up to 5 times; so does this row.',
  'graphql-retryable': '4408 init timeout, 4499 terminated, 4504 ack timeout: graphql-ws retries these.',
  'graphql-normal-closure':
    '1000 from the server: graphql-ws reconnects while operations hold the socket; here with the back-off.',
  'graphql-fatal': '4004/4005/4400/4406/4409/4429/4500: graphql-ws treats these as fatal.',
  'graphql-fatal-1xxx':
    'graphql-ws: every 1xxx except 1000/1001/1005/1006/1012/1013/1014 is fatal; 1015 (a TLS handshake Node saw fail) is throttled, as graphql-ws on ws retries it as a 1006.',
  'centrifugo-told-stop':
    'A legacy Centrifugo close reason {"reason":…,"reconnect":false}: the server says not to come back, whatever the code.',
  'centrifugo-told-reconnect':
    'A legacy Centrifugo close reason {"reason":…,"reconnect":true}: the server says to come back, whatever the code. Back off.',
  'centrifugo-terminal': "3500–3999 and 4500–4999: Centrifugo's terminal bands.",
  'centrifugo-message-size': '1009: message size limit; centrifuge-js does not reconnect.',
  'centrifugo-reconnect':
    'Everything else: Centrifugo reconnects (its 3000 means "connection closed", not Unauthorized).',
});

/**
 * The reason for a rule id such as `default:service-restart`, if it is a row of that preset: not
 * for a user rule that shares a row's name (`auth`, `mine:transient`), nor a row another preset has.
 */
export function ruleNote(ruleId: string): string | undefined {
  const at = ruleId.indexOf(':');
  const preset = ruleId.slice(0, at);
  const name = ruleId.slice(at + 1);
  const rows = at > 0 && Object.hasOwn(presets, preset) ? presets[preset as PresetName] : [];
  return rows.some((row) => row.name === name) && Object.hasOwn(presetNotes, name) ? presetNotes[name] : undefined;
}
