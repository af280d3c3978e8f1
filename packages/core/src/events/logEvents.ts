import { readCallOptions } from '../client/callOptions';
import type { Client } from '../client/clientTypes';
import { describeCloseCode } from '../close/closeCode';
import type { CloseRecord } from '../close/closeRecord';
import { InvalidOptionsError } from '../errors';
import { abortSignal, boolean, check, shape } from '../inputChecks';
import type { ClientEvents } from './clientEvents';

export interface LogEventsOptions {
  /**
   * Where each line goes, with the event it tells of. By default `console.warn` for `error`,
   * `failed`, `invalidMessage` and `dropped`, `console.log` for the rest.
   */
  log?: ((line: string, event: keyof ClientEvents) => void) | undefined;
  /** Also each message received and each acknowledgement (text cut to 100 characters). @default false */
  messages?: boolean | undefined;
  /** Stops logging when aborted (as the returned function does). */
  signal?: AbortSignal | undefined;
}

/** A close record in one line: `1006 Abnormal Closure reason="" wasClean=false phase=open initiator=transport`. */
export function describeRecord(record: CloseRecord): string {
  const status = record.handshake?.status ? ` HTTP ${record.handshake.status}` : '';
  const error = record.error
    ? ` error=${JSON.stringify(record.error.code ? `${record.error.code}: ${record.error.message}` : record.error.message)}`
    : '';
  return `${describeCloseCode(record.code)}${status} reason=${JSON.stringify(record.reason)} wasClean=${record.wasClean} phase=${record.phase} initiator=${record.initiator}${error}`;
}

const optionsCheck = shape({
  log: check('expected a function', (value) => typeof value === 'function'),
  messages: boolean,
  signal: abortSignal,
});

const warnings: ReadonlySet<keyof ClientEvents> = new Set(['error', 'failed', 'invalidMessage', 'dropped']);

const consoleLog = (line: string, event: keyof ClientEvents): void => {
  if (warnings.has(event)) console.warn(line);
  else console.log(line);
};

/**
 * A line for each thing the client does and why (debugging, or an app's own log): state
 * changes, each open and close, the policy's decision after a close, and what went wrong. Since
 * it listens to `error`, an error is logged rather than thrown as an unhandled one (so `log`
 * must not throw: it runs as an `error` listener too). Returns a
 * function that stops it. Not part of `createClient`: an app that never imports it carries none
 * of it.
 */
export function logEvents<TMessage>(
  of: Client<TMessage> | { readonly client: Client<TMessage> },
  options?: LogEventsOptions,
): () => void {
  // A ReconnectingWebSocket is logged through the client underneath.
  const client = isClient(of) ? of : (of as { client?: unknown } | null)?.client;
  if (!isClient(client))
    throw new InvalidOptionsError([
      { path: 'logEvents.client', message: 'expected a client (createClient) or a ReconnectingWebSocket' },
    ]);
  const read =
    readCallOptions<LogEventsOptions>(options, 'logEvents', ['log', 'messages', 'signal'], optionsCheck) ?? {};
  const log = read.log ?? consoleLog;
  const { signal } = read;
  const say = (event: keyof ClientEvents, text: string) => log(`[resock] ${event}: ${text}`, event);
  const offs = [
    client.on(
      'state',
      // Back to idle from open: the idle close (idleTimeoutMs), which no decision follows.
      ({ from, to }) => say('state', `${from} → ${to}${to === 'idle' ? ' (quiet: the next send connects again)' : ''}`),
      { signal },
    ),
    client.on(
      'open',
      ({ url, protocol, attempt }) =>
        say('open', `${url} (attempt ${attempt}${protocol ? `, protocol ${protocol}` : ''})`),
      { signal },
    ),
    client.on('close', (record) => say('close', describeRecord(record)), { signal }),
    client.on(
      'reconnecting',
      ({ action, delayMs, attempt, rule }) =>
        say('reconnecting', `${action} in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt}, rule ${rule})`),
      { signal },
    ),
    client.on(
      'failed',
      ({ reason, decision }) => say('failed', `gave up (${reason}, rule ${decision.rule}): ${decision.explanation}`),
      { signal },
    ),
    client.on('error', (error) => say('error', `${error.name}: ${error.message}`), { signal }),
    client.on('dropped', ({ data, reason }) => say('dropped', `${reason}: ${shown(data)}`), { signal }),
    client.on(
      'invalidMessage',
      ({ data, issues }) => say('invalidMessage', `${issues.map((issue) => issue.message).join('; ')}: ${shown(data)}`),
      { signal },
    ),
  ];
  if (read.messages) {
    offs.push(
      client.on('message', (data) => say('message', shown(data)), { signal }),
      client.on('acked', ({ id }) => say('acked', JSON.stringify(id)), { signal }),
    );
  }
  return () => {
    for (const off of offs) off();
  };
}

function isClient<TMessage>(value: unknown): value is Client<TMessage> {
  return typeof (value as { on?: unknown } | null)?.on === 'function';
}

/** A message as a log shows it: text (JSON-quoted, cut to 100 characters), else its kind and size. */
function shown(data: unknown): string {
  if (typeof data === 'string') return JSON.stringify(data.length > 100 ? `${data.slice(0, 100)}…` : data);
  const size =
    (data as { byteLength?: unknown; size?: unknown } | null | undefined)?.byteLength ??
    (data as { size?: unknown } | null | undefined)?.size;
  if (typeof size === 'number') return `<binary, ${size} bytes>`;
  let text: string;
  try {
    text = JSON.stringify(data) ?? String(data);
  } catch {
    text = String(data);
  }
  return text.length > 100 ? `${text.slice(0, 100)}…` : text;
}
