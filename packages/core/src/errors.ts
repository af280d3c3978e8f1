/**
 * resock's error hierarchy. Programmer mistakes (a bad policy, `close(1001)`, a reason over
 * 123 bytes) throw one of these synchronously at the call that made them; runtime failures of a
 * connection never throw, they arrive as events and close records.
 *
 * Every class has a literal `name`, and each `isX` guard accepts either `instanceof` or the
 * name, so errors still match when two copies of the package meet (bundled twice, realms).
 */

import type { Fate, OutboundMessage } from './client/queue';
import type { CloseRecord } from './close/closeRecord';

/** One problem with an input: where it is (`rules[1].codes[0]`) and what was expected. */
export interface Problem {
  readonly path: string;
  readonly message: string;
}

export class ResockError extends Error {
  override readonly name: string = 'ResockError';
}

/** Input with problems: each kept with its path, and one line each in the message. */
abstract class InvalidInputError extends ResockError {
  readonly problems: readonly Problem[];
  constructor(title: string, problems: readonly Problem[]) {
    super(formatProblems(title, problems));
    this.problems = Object.freeze([...problems]);
  }
}

/** `definePolicy` (or a backoff constructor) was given something it cannot use. */
export class InvalidPolicyError extends InvalidInputError {
  override readonly name = 'InvalidPolicyError' as const;
  constructor(problems: readonly Problem[]) {
    super('Invalid policy', problems);
  }
}

/** A close code that may not be sent: only 1000 and 3000–4999 are (WHATWG `close()`). */
export class InvalidCloseCodeError extends ResockError {
  override readonly name = 'InvalidCloseCodeError' as const;
  readonly code: unknown;
  constructor(code: unknown) {
    super(
      `Close code ${describeValue(code)} cannot be sent: use ${typeof code === 'number' ? '' : 'a number, '}1000 or a code in 3000–4999 ` +
        '(1001–2999 are reserved for the protocol and browsers reject them).',
    );
    this.code = code;
  }
}

/** A close reason that is not a string, or cannot be sent for another reason. */
export class InvalidCloseReasonError extends ResockError {
  override readonly name: string = 'InvalidCloseReasonError';
  readonly reason: unknown;
  constructor(reason: unknown, message = `Close reason must be a string, got ${describeValue(reason)}.`) {
    super(message);
    this.reason = reason;
  }
}

/** RFC 6455 §5.5: a close frame's payload is ≤ 125 bytes, 2 of them the code. */
export class CloseReasonTooLongError extends InvalidCloseReasonError {
  override readonly name = 'CloseReasonTooLongError' as const;
  readonly byteLength: number;
  readonly maxByteLength = 123;
  constructor(reason: string, byteLength: number) {
    super(
      reason,
      `Close reason is ${byteLength} bytes of UTF-8; at most 123 fit in a close frame ` +
        '(bytes, not characters: "é" is 2 bytes).',
    );
    this.byteLength = byteLength;
  }
}

/** `createClient` (or `new ReconnectingWebSocket`) was given options it cannot use. */
export class InvalidOptionsError extends InvalidInputError {
  override readonly name = 'InvalidOptionsError' as const;
  constructor(problems: readonly Problem[]) {
    super('Invalid options', problems);
  }
}

/** `send`, `reconnect` or `open` on a client the app has closed. */
export class ClientClosedError extends ResockError {
  override readonly name = 'ClientClosedError' as const;
  constructor(what: string) {
    super(`Cannot ${what}: the client was closed. Create a new client to connect again.`);
  }
}

/** `send` with `queue.overflow: 'reject'` when the queue is full; nothing queued was lost. */
export class QueueFullError extends ResockError {
  override readonly name = 'QueueFullError' as const;
  readonly limit: 'maxMessages' | 'maxBytes';
  /** `bytes`: a message larger than `maxBytes` on its own (no room made could take it). */
  constructor(limit: 'maxMessages' | 'maxBytes', value: number, bytes?: number) {
    super(
      `Cannot queue the message: ${bytes === undefined ? `the queue is at ${limit}` : `it alone is ${bytes} bytes, over maxBytes`} (${value}); nothing queued was dropped.`,
    );
    this.limit = limit;
  }
}

/** `send` was given something a WebSocket cannot carry. */
export class InvalidMessageError extends ResockError {
  override readonly name = 'InvalidMessageError' as const;
  constructor(data: unknown, why: boolean | 'foreign' = false) {
    super(
      why === 'foreign'
        ? "Cannot send a library's Blob here: the WebSocket would send it as text. Send its bytes."
        : why
          ? 'Cannot send a detached ArrayBuffer: it was transferred away (postMessage, structuredClone).'
          : `Cannot send ${data === null ? 'null' : typeof data}: expected a string, an ArrayBuffer, a typed array / DataView or a Blob.`,
    );
  }
}

/**
 * Why `deliver()`'s message will not go out (again): a `DropReason` (as the `dropped` event's),
 * or `taken` (`takeQueued()` handed it back).
 */
export type NotDelivered = Exclude<Fate, 'sent' | 'acked' | 'replaced'>;

const notDelivered: Record<NotDelivered, string> = {
  overflow: 'the queue was full',
  closed: 'the client was closed',
  expired: 'its ttlMs (or queue.ttlMs) passed while it waited',
  aborted: 'its signal was aborted',
  volatile: 'it could not be written at once',
  taken: 'takeQueued() handed it back',
};

/**
 * `deliver()`'s message will not go out (again): `reason` says why, `data` is the message.
 * `written`: a tracked message that reached a socket before, unacknowledged — the peer may have
 * it (resending it may deliver it twice).
 */
export class MessageDroppedError extends ResockError {
  override readonly name = 'MessageDroppedError' as const;
  readonly reason: NotDelivered;
  readonly data: OutboundMessage;
  readonly written: boolean;
  constructor(reason: NotDelivered, data: OutboundMessage, written = false, cause?: unknown) {
    super(
      `The message was ${written ? 'written but not acknowledged' : 'not delivered'}: ${notDelivered[reason]} (${reason}).`,
      cause === undefined ? undefined : { cause },
    );
    this.reason = reason;
    this.data = data;
    this.written = written;
  }
}

/** `opened()` when the policy stopped the client: carries the close that stopped it. */
export class ClientFailedError extends ResockError {
  override readonly name = 'ClientFailedError' as const;
  readonly record: CloseRecord;
  readonly reason: string;
  constructor(reason: string, record: CloseRecord) {
    super(`The client stopped reconnecting (${reason}).`);
    this.reason = reason;
    this.record = record;
  }
}

/** Something went wrong at run time that the app should hear about (a hook or listener threw). */
export class ClientRuntimeError extends ResockError {
  override readonly name = 'ClientRuntimeError' as const;
  readonly kind: 'refresh' | 'url' | 'listener' | 'heartbeat' | 'greeting' | 'transport' | 'messages' | 'policy';
  constructor(kind: ClientRuntimeError['kind'], message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
  }
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

const resockErrorNames = new Set([
  'ResockError',
  'InvalidPolicyError',
  'InvalidCloseCodeError',
  'InvalidCloseReasonError',
  'CloseReasonTooLongError',
  'InvalidOptionsError',
  'ClientClosedError',
  'QueueFullError',
  'ClientRuntimeError',
  'InvalidMessageError',
  'ClientFailedError',
  'MessageDroppedError',
]);

export function isResockError(error: unknown): error is ResockError {
  return (
    error instanceof ResockError ||
    (typeof error === 'object' && error !== null && resockErrorNames.has(String((error as { name?: unknown }).name)))
  );
}
export const isInvalidPolicyError = (error: unknown): error is InvalidPolicyError =>
  error instanceof InvalidPolicyError || isNamed(error, 'InvalidPolicyError');
export const isInvalidCloseCodeError = (error: unknown): error is InvalidCloseCodeError =>
  error instanceof InvalidCloseCodeError || isNamed(error, 'InvalidCloseCodeError');
export const isCloseReasonTooLongError = (error: unknown): error is CloseReasonTooLongError =>
  error instanceof CloseReasonTooLongError || isNamed(error, 'CloseReasonTooLongError');

export const isInvalidOptionsError = (error: unknown): error is InvalidOptionsError =>
  error instanceof InvalidOptionsError || isNamed(error, 'InvalidOptionsError');
export const isClientClosedError = (error: unknown): error is ClientClosedError =>
  error instanceof ClientClosedError || isNamed(error, 'ClientClosedError');
export const isQueueFullError = (error: unknown): error is QueueFullError =>
  error instanceof QueueFullError || isNamed(error, 'QueueFullError');
export const isMessageDroppedError = (error: unknown): error is MessageDroppedError =>
  error instanceof MessageDroppedError || isNamed(error, 'MessageDroppedError');
/** Also a `CloseReasonTooLongError`, as `instanceof` says. */
export const isInvalidCloseReasonError = (error: unknown): error is InvalidCloseReasonError =>
  error instanceof InvalidCloseReasonError ||
  isNamed(error, 'InvalidCloseReasonError') ||
  isNamed(error, 'CloseReasonTooLongError');
export const isInvalidMessageError = (error: unknown): error is InvalidMessageError =>
  error instanceof InvalidMessageError || isNamed(error, 'InvalidMessageError');
export const isClientFailedError = (error: unknown): error is ClientFailedError =>
  error instanceof ClientFailedError || isNamed(error, 'ClientFailedError');
export const isClientRuntimeError = (error: unknown): error is ClientRuntimeError =>
  error instanceof ClientRuntimeError || isNamed(error, 'ClientRuntimeError');

/** `Invalid policy:\n  rules[1].codes[0]: expected …` — one line per problem. */
export function formatProblems(title: string, problems: readonly Problem[]): string {
  return [`${title}:`, ...problems.map((p) => `  ${p.path}: ${p.message}`)].join('\n');
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  return typeof value;
}
