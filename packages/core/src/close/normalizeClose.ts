import { isBinary } from '../binary';
import { systemClock } from '../clock';
import type { CloseRecord, CloseRecordDraft } from './closeRecord';
import { type CloseInitiator, type ClosePhase, closeInitiators, closePhases } from './closeVocabulary';
import { parseHttpDateValue, parseRetryAfter } from './retryAfter';
import { decodeUtf8 } from './utf8';

/** What the caller knows about a close that the platform event does not say. */
export interface CloseContext {
  /** Default: `connecting` when a handshake answer is given, else `open`. */
  phase?: ClosePhase;
  /** Default: `transport` for 1006 or a close before open, else `server`. */
  initiator?: CloseInitiator;
  /**
   * The WebSocket had opened, though the phase is `connecting` (the client's `greeting` awaited
   * the server's acceptance): a close frame is then the server's, and may be clean.
   */
  opened?: boolean;
  /** The HTTP answer to a failed handshake; `Retry-After` is read from `headers`. */
  handshake?: {
    status?: number;
    headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  };
  /** The transport's error, if it gave one; its name, message and code are kept. */
  error?: unknown;
  /** The caller made this close up (a deadline, a missing close event). */
  synthetic?: boolean;
  /** ms since the epoch; default: the system clock. */
  now?: number;
}

interface Fields {
  code: number;
  reason: string;
  wasClean: boolean | undefined;
}

/**
 * Turns any close into a `CloseRecord`: a browser or undici `CloseEvent` (read through its
 * prototype getters, never spread), `ws`'s `(code, reason: Buffer)` given as `{ code, reason }`,
 * or any object with `code` / `reason` / `wasClean`.
 *
 * Never throws. Input it cannot read (a non-number or out-of-range code, a reason that is not
 * text or bytes, `null`, a number, a throwing getter) becomes a schema-valid 1006 record with
 * `synthetic: true`. The record is a frozen plain object holding no reference to the input.
 */
export function normalizeClose(input: unknown, context: CloseContext = {}): CloseRecord {
  let fields: Fields | undefined;
  try {
    fields = readFields(input);
  } catch {
    // Unreadable input is only that: what the caller knows (a handshake's answer, the phase
    // that follows from it) still makes the record.
  }
  try {
    // Valid by construction (every field is checked or chosen from its allowed values); the
    // tests check each result against closeRecordSchema on fuzzed input.
    return freezeRecord(buildRecord(fields, context));
  } catch {
    return fallbackRecord(context);
  }
}

function readFields(input: unknown): Fields | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  // Plain property reads: CloseEvent keeps code/reason/wasClean in prototype getters.
  const source = input as { code?: unknown; reason?: unknown; wasClean?: unknown };
  const code = source.code;
  const rawReason = source.reason;
  const wasClean = source.wasClean;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 65535) {
    return undefined;
  }
  const reason = readReason(rawReason);
  if (reason === undefined) return undefined;
  return { code, reason, wasClean: typeof wasClean === 'boolean' ? wasClean : undefined };
}

function readReason(reason: unknown): string | undefined {
  if (reason === undefined) return '';
  if (typeof reason === 'string') return reason;
  // `ws` hands over a Buffer; views and ArrayBuffers from any realm are decoded as UTF-8.
  return isBinary(reason) ? decodeUtf8(reason) : undefined;
}

function buildRecord(fields: Fields | undefined, context: CloseContext): CloseRecord {
  const handshake = readHandshake(context);
  const phase = oneOf(closePhases, context.phase) ?? (handshake ? 'connecting' : 'open');
  const code = fields?.code ?? 1006;
  const beforeOpen = phase === 'connecting' && context.opened !== true;
  const initiator = oneOf(closeInitiators, context.initiator) ?? (code === 1006 || beforeOpen ? 'transport' : 'server');
  const record: CloseRecordDraft = {
    code,
    reason: fields?.reason ?? '',
    // RFC 6455 §7.1.4: clean only if the closing handshake completed, which cannot have
    // happened without a close frame (1006), with a failed TLS handshake (1015), or before open.
    wasClean: fields?.wasClean ?? (fields !== undefined && code !== 1006 && code !== 1015 && !beforeOpen),
    phase,
    initiator,
    synthetic: fields === undefined || context.synthetic === true,
    at: readNow(context),
  };
  if (handshake) record.handshake = handshake;
  const error = describeError(context.error);
  if (error) record.error = error;
  return record;
}

function readHandshake(context: CloseContext): CloseRecordDraft['handshake'] {
  const given = context.handshake;
  if (typeof given !== 'object' || given === null) return undefined;
  const result: NonNullable<CloseRecordDraft['handshake']> = {};
  const status = given.status;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) {
    result.status = status;
  }
  // An HTTP-date is read against the response's own Date (the server's clock) when it has one.
  const now = readNow(context);
  const served = parseHttpDateValue(headerValue(given.headers, 'date'), now);
  const retryAfterMs = parseRetryAfter(headerValue(given.headers, 'retry-after'), served ?? now);
  if (retryAfterMs !== undefined) result.retryAfterMs = retryAfterMs;
  return result.status === undefined && result.retryAfterMs === undefined ? undefined : result;
}

function headerValue(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  // Node lower-cases header names; a hand-written transport may not.
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === name) return (headers as Record<string, unknown>)[key];
  }
  return undefined;
}

function describeError(error: unknown): CloseRecordDraft['error'] {
  try {
    if (typeof error === 'string') return { name: 'Error', message: error };
    if (typeof error !== 'object' || error === null) return undefined;
    const e = error as { name?: unknown; message?: unknown; code?: unknown };
    const described: NonNullable<CloseRecordDraft['error']> = {
      name: typeof e.name === 'string' ? e.name : 'Error',
      message: typeof e.message === 'string' ? e.message : '',
    };
    if (typeof e.code === 'string') described.code = e.code;
    return described;
  } catch {
    return undefined;
  }
}

function readNow(context: CloseContext): number {
  const now = context.now;
  return typeof now === 'number' && Number.isFinite(now) ? now : systemClock.now();
}

function oneOf<T extends string>(allowed: readonly T[], value: unknown): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

function fallbackRecord(context: CloseContext): CloseRecord {
  let phase: ClosePhase = 'open';
  let initiator: CloseInitiator = 'transport';
  let at: number;
  try {
    phase = oneOf(closePhases, context.phase) ?? phase;
    initiator = oneOf(closeInitiators, context.initiator) ?? initiator;
    at = readNow(context);
  } catch {
    at = systemClock.now();
  }
  return freezeRecord({
    code: 1006,
    reason: '',
    wasClean: false,
    phase,
    initiator,
    synthetic: true,
    at,
  });
}

function freezeRecord(record: CloseRecord): CloseRecord {
  if (record.handshake) Object.freeze(record.handshake);
  if (record.error) Object.freeze(record.error);
  return Object.freeze(record);
}
