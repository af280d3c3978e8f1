import type { OutboundMessage } from '../client/queue';
import type { ClientStatus } from '../client/state';
import type { CloseRecord } from '../close/closeRecord';
import type { ResockError } from '../errors';
import type { Decision, StopReason } from '../policy/decide';

/** Raw inbound data: text as string, binary as ArrayBuffer or Uint8Array (per transport). */
export type InboundMessage = string | ArrayBuffer | Uint8Array;

export interface OpenEvent {
  /** The URL connected to (query values and userinfo redacted unless `redactUrls: false`). */
  readonly url: string;
  readonly protocol: string;
  readonly extensions: string;
  /**
   * 1 for the first connection (or the first after a stable one, or after an idle close); in an
   * outage, 1 + the retries made: the first reconnect after a close opens as 2.
   */
  readonly attempt: number;
}

export interface ReconnectingEvent {
  /** The retry about to be made (1 = first retry of this outage). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly action: 'retry' | 'refresh' | 'throttle';
  /** The policy rule that decided. */
  readonly rule: string;
  readonly record: CloseRecord;
  readonly decision: Decision;
}

export interface FailedEvent {
  /** Which limit or rule stopped the client. */
  readonly reason: StopReason;
  readonly record: CloseRecord;
  readonly decision: Decision;
  /** The refresh hook's own error, when the stop came after it failed (a token service down). */
  readonly refreshError?: unknown;
}

export interface StateEvent {
  readonly from: ClientStatus;
  readonly to: ClientStatus;
}

/**
 * Why a message will not go out (again): `overflow`, the queue (or outbox) was full; `closed`,
 * the app closed the client with it waiting; `expired`, its `ttlMs` (or `queue.ttlMs`) passed while it waited;
 * `aborted`, its `signal` was aborted; `volatile`, it could not be written at once.
 */
export type DropReason = 'overflow' | 'closed' | 'expired' | 'aborted' | 'volatile';

export interface DroppedEvent {
  readonly data: OutboundMessage;
  readonly reason: DropReason;
}

/** Reliable delivery: the peer acknowledged a message still in the outbox. */
export interface AckedEvent {
  /** The id `reliable.ackOf` recognized (as `reliable.id` gave it). */
  readonly id: string | number;
  /** The message acknowledged. */
  readonly data: OutboundMessage;
}

export interface MessageIssue {
  readonly message: string;
  readonly path?: readonly PropertyKey[];
}

export interface InvalidMessageEvent {
  readonly data: InboundMessage;
  readonly issues: readonly MessageIssue[];
}

/**
 * Every event of a client and its listener. Order after a connection ends:
 * `close` → `state` → `reconnecting` or `failed` (a connection the client lets go itself —
 * `reconnect()`, pagehide, an idle close — gives `close` → `state` only).
 */
export interface ClientEvents<TMessage = InboundMessage> {
  open: (event: OpenEvent) => void;
  message: (data: TMessage) => void;
  close: (record: CloseRecord) => void;
  reconnecting: (event: ReconnectingEvent) => void;
  failed: (event: FailedEvent) => void;
  state: (event: StateEvent) => void;
  error: (error: ResockError) => void;
  dropped: (event: DroppedEvent) => void;
  invalidMessage: (event: InvalidMessageEvent) => void;
  /** Reliable delivery only: a message was acknowledged (once per message; repeated acks are ignored). */
  acked: (event: AckedEvent) => void;
}
