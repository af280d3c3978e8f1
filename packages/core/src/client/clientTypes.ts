import type { CloseRecord } from '../close/closeRecord';
import type { ClientEvents, InboundMessage, OpenEvent } from '../events/clientEvents';
import type { ListenerOptions } from './listenerOptions';
import type { OutboundMessage } from './queue';
import type { SendOptions } from './sendOptions';
import type { ClientStatus } from './state';

/** What a waiting client's next attempt waits for besides its delay (`Client.waitingFor`). */
export type WaitingFor = 'online' | 'visible' | 'pageshow';

/** What one `opened()` asks. */
export interface OpenedOptions {
  /** Aborting it gives the wait up (rejects with its reason); the client goes on. */
  readonly signal?: AbortSignal | undefined;
}

export type SendResult = 'sent' | 'queued' | 'dropped';
/**
 * What `deliver()` resolves with: written to a socket (`sent`), acknowledged (`acked`, a message
 * tracked by `reliable`), or `replaced` by a later message under its id before its ack came —
 * that message's own `deliver()` tells the rest.
 */
export type Delivered = 'sent' | 'acked' | 'replaced';

export interface ClientStats {
  /** Connection attempts started. */
  readonly attempts: number;
  /** Opens after the first (but for the fresh start after an idle close: `idleTimeoutMs`); moves (`maxConnectionAgeMs`) count. */
  readonly reconnects: number;
  /** Time spent open, all connections together, ms. */
  readonly uptimeMs: number;
  /** Messages written to a socket, reliable delivery's resends included (heartbeat pings not). */
  readonly messagesSent: number;
  /**
   * Messages the transport delivered, all connections together (not from one resock had let go
   * of), acknowledgements and heartbeat replies included: counted as they arrive, also one still
   * waiting to be heard when close() ends the client (close is final: it is not heard after it).
   */
  readonly messagesReceived: number;
  /** Waiting in the queue now (untracked messages; tracked ones are in messagesUnacked). */
  readonly messagesQueued: number;
  readonly messagesDropped: number;
  /** Reliable delivery: sent (or waiting) and not yet acknowledged. */
  readonly messagesUnacked: number;
}

/** A reconnecting WebSocket client. Create one with `createClient`. */
export interface Client<out TMessage = InboundMessage> {
  readonly state: ClientStatus;
  /** The URL of the current or last connection, redacted unless `redactUrls: false`. */
  readonly url: string | undefined;
  readonly protocol: string;
  readonly extensions: string;
  /** Bytes the transport has not sent yet plus bytes waiting to be written (queued, or tracked and unsent). */
  readonly bufferedAmount: number;
  readonly stats: ClientStats;
  /** The record of the last close, if any. */
  readonly lastClose: CloseRecord | undefined;
  /**
   * While `waiting`, what the next attempt waits for besides its delay: `'online'` (the device
   * is offline: it comes at once when back), `'visible'` (the page is hidden, with
   * `pauseWhenHidden`), `'pageshow'` (the page was put away). Otherwise undefined: the
   * `reconnecting` event's `delayMs` (or the refresh hook) is all it waits for. For a countdown
   * ("reconnecting in 5 s" / "waiting for the network"); no event of the client's tells its
   * changes, the page's own `online`, `visibilitychange` and `pageshow` do.
   */
  readonly waitingFor: WaitingFor | undefined;
  /**
   * Sends now when open, else queues (`options`: `volatile`, `ttlMs`, `signal`). Throws
   * `ClientClosedError` after `close()`, `InvalidMessageError` or `InvalidOptionsError` for bad input.
   */
  send(data: OutboundMessage, options?: SendOptions): SendResult;
  /**
   * As `send`, with a promise of what becomes of the message: `'sent'` once it is handed to a
   * socket, or, tracked by `reliable`, `'acked'` once the peer acknowledges it (or `'replaced'`
   * by a later message under its id first). Rejects with `MessageDroppedError` (`reason`,
   * `written`) if it will not go out (again): dropped (as the `dropped` event tells; also a
   * closed client, a full queue under `'reject'`), or handed back by `takeQueued()`. It waits
   * while the client is `failed` (`ttlMs` bounds that). Bad input throws at the call, as from `send`.
   */
  deliver(data: OutboundMessage, options?: SendOptions): Promise<Delivered>;
  /**
   * Closes for good (1000 and 3000–4999 only; reason ≤ 123 UTF-8 bytes). Resolves with the
   * client's own close record, also told as a last `close` event (and then `lastClose`): with no
   * socket open (waiting, failed) a synthetic one, `initiator: 'client'` — the connection's own
   * last record is the `close` event (or `failed`'s) before it.
   */
  close(code?: number, reason?: string): Promise<CloseRecord>;
  /**
   * Drops the current connection and starts a fresh attempt now; also revives a `failed` client.
   * While the attempt a `reconnect()` (or a `maxConnectionAgeMs` move) started is under way, it
   * does nothing: that is the fresh attempt (so a `close` listener that calls it cannot loop).
   * The attempts the app asks for (this, `open()`) dial a second apart at the most often: one
   * within a second of the one before waits out that second, `connecting`.
   */
  reconnect(): void;
  /**
   * Starts a `lazy` client, one back to `idle` after an idle close (`idleTimeoutMs`), or a
   * `disconnected` one (a second after the attempt the app asked for before, at the soonest).
   */
  open(): void;
  /**
   * Lets the connection go for now (1000, reason `disconnect`), or gives up the wait for the next
   * attempt: the client is `disconnected` — listeners, the queue and unacknowledged messages kept —
   * until `open()` or `reconnect()` (a send or an `opened()` wait does not connect it); a
   * `failed` client is disconnected so too. `close()`, unlike it, is for good.
   */
  disconnect(): void;
  /**
   * The current connection's open if open now, else the next open (a `lazy` client not started
   * yet starts); rejects when the client fails or is closed first, or with `signal.reason` when
   * `signal` aborts first (the wait is given up, not the client): `opened({ signal:
   * AbortSignal.timeout(5000) })` waits at most 5 s.
   */
  opened(options?: OpenedOptions): Promise<OpenEvent>;
  /**
   * Takes every queued message out of the queue, oldest first (the `deliver()` promise of each
   * rejects with `taken`). Messages `reliable` tracks wait in its outbox, not the queue (also
   * before their first write), and stay there: `close()` drops them (reason `closed`, `written`
   * false for one never written), so the `dropped` events or the rejections' `data` have them.
   */
  takeQueued(): OutboundMessage[];
  /**
   * Adds a listener; returns its unsubscribe. `options.signal` takes it back when aborted. An
   * unknown event, a listener that is not a function or bad options throw `InvalidOptionsError`.
   */
  on<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
    options?: ListenerOptions,
  ): () => void;
  /** As `on`, for the next time the event fires only. */
  once<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
    options?: ListenerOptions,
  ): () => void;
  /**
   * Takes back a listener `on` added (the unsubscribe `on` returns does the same). An unknown
   * event or a listener that is not a function throw `InvalidOptionsError`.
   */
  off<E extends keyof ClientEvents<TMessage>>(event: E, listener: ClientEvents<TMessage>[E]): void;
  [Symbol.asyncDispose](): Promise<void>;
}
