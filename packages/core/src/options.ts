import type { Random } from './backoff/jitter';
import type { OutboundMessage, QueueLimits } from './client/queue';
import type { Clock } from './clock';
import type { CloseRecord } from './close/closeRecord';
import type { ClientEnvironment } from './environment';
import type { InboundMessage } from './events/clientEvents';
import type { DefinedPolicy, Policy } from './policy/definePolicy';
import type { PolicyInput } from './policy/policyInput';
import type { StandardSchemaV1 } from './standardSchema';
import type { Transport } from './transport';

/** A URL as a string or a `URL` object. */
export type UrlInput = string | { readonly href: string };
export type Protocols = string | readonly string[];

/** What a `url` or `protocols` function is told about the attempt it is for. */
export interface AttemptContext {
  /**
   * The attempt in this outage, as the `open` it leads to counts it: 1 after a stable connection
   * (or a `reconnect()`), 2 for the first retry (`reconnecting` announced it as its attempt 1).
   */
  readonly attempt: number;
  /** The close that led to it (why the last connection or attempt ended); none for the first. */
  readonly record: CloseRecord | undefined;
  /**
   * Aborted when the attempt is given up before it dials (its connect deadline, `close()`,
   * `reconnect()`, the network going): a token fetch for it can stop.
   */
  readonly signal: AbortSignal;
}

export interface RefreshContext {
  /** The close that asked for fresh credentials. */
  readonly record: CloseRecord;
  readonly attempt: number;
  /**
   * Aborted when the app closes the client while the hook runs (a `reconnect()` lets it finish:
   * the attempt follows it), or when the hook has not settled within `connectTimeoutMs` (the
   * refresh then counts as failed).
   */
  readonly signal: AbortSignal;
}

/**
 * What a refresh hook may return: new values for every later attempt. A `url` (or `protocols`)
 * returned replaces the option for good, a function option too: with a `url` function (rotating
 * endpoints), update what the function reads and return nothing.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: lets `async () => {}` hooks type-check
export type RefreshResult = void | undefined | { url?: UrlInput; protocols?: Protocols };

export interface HeartbeatOptions<TMessage = InboundMessage> {
  /** Quiet time before a ping. @default 30000 */
  intervalMs?: number | undefined;
  /**
   * How long a ping may go unanswered before the peer is dropped. `0`: keep-alive only — the
   * pings keep the link busy (a proxy's idle timeout) and no answer is awaited, so a dead peer
   * is not found (and an open socket is not probed when the device goes offline or the page is
   * shown again). @default 10000
   */
  timeoutMs?: number | undefined;
  /**
   * An app-level ping to send instead of a protocol ping (browsers have none), on every platform:
   * the server's application answers it, not a proxy in front of it.
   */
  message?: OutboundMessage | (() => OutboundMessage) | undefined;
  /** Recognizes the reply to `message`; replies are not delivered as `message` events. */
  isPong?: ((data: InboundMessage | NoInfer<TMessage>) => boolean) | undefined;
}

export interface QueueOptions {
  /** @default 1000 */
  maxMessages?: number | undefined;
  /** UTF-8 bytes for text. @default 1048576 (1 MiB) */
  maxBytes?: number | undefined;
  /** @default 'drop-newest' (send returns 'dropped' and a `dropped` event fires) */
  overflow?: 'drop-oldest' | 'drop-newest' | 'reject' | undefined;
  /**
   * The `ttlMs` of every message sent without its own: how long it may wait (queued while the
   * client is not open, or unacknowledged with `reliable`: make it longer than the server takes
   * to ack) before it is dropped as `expired` — what was queued during a long outage is not
   * sent minutes late. A send's `ttlMs: Infinity` opts out. @default none (no limit)
   */
  ttlMs?: number | undefined;
}

export interface ClientOptions<TMessage = InboundMessage> {
  /**
   * Where to connect. A function is called before every attempt (tokens, rotating endpoints),
   * with the attempt's number and the close that led to it (fail over on an overloaded server's 1013).
   */
  url: UrlInput | ((context: AttemptContext) => UrlInput | Promise<UrlInput>);
  /** Subprotocols; a function is called before every attempt, as `url`'s is. @default [] */
  protocols?: Protocols | ((context: AttemptContext) => Protocols | Promise<Protocols>) | undefined;
  /** How to reach the network. `@resock/node` and `@resock/browser` pass theirs. */
  transport: Transport;
  /** The retry policy. @default the `default` preset */
  policy?: PolicyInput | DefinedPolicy | undefined;
  /** Called before retrying when the policy says `refresh`; without it such closes stop. */
  refresh?: ((context: RefreshContext) => RefreshResult | Promise<RefreshResult>) | undefined;
  /** An attempt not open by then fails (`initiator: 'timeout'`). @default 10000 */
  connectTimeoutMs?: number | undefined;
  /**
   * After resock sends a close, the longest it waits for the transport's close; also how long
   * a socket that refuses sends (its close has begun) may take to report it. @default 3000
   */
  closeTimeoutMs?: number | undefined;
  /** A connection counts as stable (resetting back-off) after this long open. @default 5000 */
  stableAfterMs?: number | undefined;
  /** Or as soon as this accepts an inbound message (an auth ack, a hello). */
  isReady?: ((message: NoInfer<TMessage>) => boolean) | undefined;
  /**
   * What every connection says first, before anything queued or unacknowledged goes out: an
   * auth frame, a protocol's init (graphql-ws `connection_init`). With `isAccepted`, the
   * connection stays `connecting` until the server accepts it (within `connectTimeoutMs`).
   */
  greeting?: GreetingOptions | undefined;
  /** Liveness checks; `true` for the defaults. @default false (`@resock/node`: true, protocol pings) */
  heartbeat?: boolean | HeartbeatOptions<TMessage> | undefined;
  queue?: QueueOptions | undefined;
  /**
   * A schema (zod, valibot, … — any Standard Schema) for inbound messages; text is JSON-parsed
   * first. Async validation keeps arrival order, and past 1000 messages waiting for it the
   * connection stops being read where the transport can pause (`@resock/node`).
   */
  messages?: StandardSchemaV1<unknown, TMessage> | undefined;
  /** Closes the client when aborted. */
  signal?: AbortSignal | undefined;
  /** Connect on the first `send()`, `deliver()`, `open()` or `opened()` instead of at once. @default false */
  lazy?: boolean | undefined;
  /**
   * Close an open connection nothing crossed for this long (no message either way, heartbeat
   * traffic aside; no bytes still leaving, nor — where the transport counts them, as
   * `@resock/node`'s does — arriving), with nothing waiting (queued, unacknowledged, being
   * validated), with 1000 `idle`, and go back to `idle`: the next `send()`, `deliver()`,
   * `open()` or `opened()` connects again. Unlike graphql-ws's `lazyCloseTimeout` it knows no
   * subscriptions: one whose server pushes rarely is closed too (say it again in `greeting`).
   * Looked at four times per idleTimeoutMs: the close comes within a quarter of it past it. An
   * app-level heartbeat needs `isPong`. At least 1000 (each idle close dials anew with the next
   * send). `0`: never. @default 0
   */
  idleTimeoutMs?: number | undefined;
  /**
   * Move an open connection to a new one before it has been open this long: it is let go with
   * `reconnectCloseCode` (reason `max-age`) and the client connects again at once, as
   * `reconnect()` does (no failure, no decision). For servers that cut connections at an age of
   * their own (AWS API Gateway at 2 h): the client moves when it chooses rather than when a
   * message is under way. It moves at a random point in the last tenth of the age, so clients
   * connected together do not all move together; offline it keeps the socket and moves once back
   * online. Timed from the open the app is told (after a greeting's acceptance): set it below the
   * server's limit by more than that and a background tab's late timer (a minute). At least
   * 1000; with `idleTimeoutMs`, above 1.39 × it, so a quiet connection closes as idle instead.
   * Each move counts in `stats.reconnects`. `0`: never. @default 0
   */
  maxConnectionAgeMs?: number | undefined;
  /** @default the system clock */
  clock?: Clock | undefined;
  /** @default Math.random */
  random?: Random | undefined;
  /** Hide query values and userinfo of URLs in events, records and errors. @default true */
  redactUrls?: boolean | undefined;
  /**
   * The close code resock sends when it lets an open connection go meaning to come back:
   * `reconnect()` (reason `reconnect`) and the page put away (reason `pagehide`, back on
   * pageshow). It goes after what the socket still has to write, without waiting for the
   * server's answer (on `ws`, the socket ends on that answer or at closeTimeoutMs): the server
   * can tell a client moving on from a lost link, and one that will be back from one that is done
   * (1000: some servers, Discord's, end the session a client closes with 1000 or 1001). A
   * handshake in progress, or a connection resock gives up on (a dead peer, a deadline), is cut
   * without a close frame where the transport can (ws's terminate); a browser's WebSocket
   * cannot, so it sends this code with the reason why (`heartbeat timeout`, `connect timeout`).
   * @default 4000
   */
  reconnectCloseCode?: number | undefined;
  /**
   * The page around the client: attempts wait while offline, an open socket is probed when the
   * device goes offline (and when the page is shown with a heartbeat check owed), the page's
   * pagehide/pageshow suspend and resume it. `@resock/browser`
   * passes the page's. @default none (always online and visible)
   */
  environment?: ClientEnvironment | undefined;
  /** Hold retries while the page is hidden; a retry that fell due meanwhile runs when it is shown. @default false */
  pauseWhenHidden?: boolean | undefined;
  /**
   * Reliable delivery (opt-in): messages for which `id` returns an id stay in an outbox until
   * `ackOf` recognizes the peer's acknowledgement, and are sent again, in order, after every
   * reconnect — at-least-once; the receiver dedupes by id. Acknowledgements are consumed, not
   * delivered as messages. The outbox is bounded by `queue`'s limits and overflow policy.
   */
  reliable?: ReliableOptions | undefined;
  /**
   * Refuse plain-text `ws:` / `http:` URLs unless the host is the local machine (localhost,
   * 127.0.0.0/8, [::1]): tokens in a URL or in messages never cross a network unencrypted.
   * @default false
   */
  requireTls?: boolean | undefined;
}

/**
 * Options whose messages are what their `messages` schema outputs (`createClient`'s first
 * overload): the message type is inferred from the schema alone.
 */
export type WithSchema<TOptions, TMessage> = TOptions & { messages: StandardSchemaV1<unknown, TMessage> };
/** Options without a `messages` schema: their messages are raw (`InboundMessage`). */
export type WithoutSchema<TOptions> = TOptions & { messages?: undefined };

export interface GreetingOptions {
  /**
   * Sent first on every connection. A function is called for each one (a fresh token), and may
   * return several messages, sent in order; one that throws fails that attempt. Without it, the
   * client waits for a server that speaks first (`isAccepted`).
   */
  message?: OutboundMessage | (() => OutboundMessage | readonly OutboundMessage[]) | undefined;
  /**
   * Recognizes the server's acceptance in a raw incoming message (text not yet parsed). Until it
   * comes the connection is still connecting: `open` is not told, sends wait, `connectTimeoutMs`
   * bounds the wait, and a close counts as a failed attempt. The messages that came meanwhile,
   * the acceptance too, are heard after `open`. Without it the rest follows the greeting at once.
   */
  isAccepted?: ((data: InboundMessage) => boolean) | undefined;
}

export interface ReliableOptions {
  /** The id of an outgoing message, or undefined to send it untracked. */
  id: (message: OutboundMessage) => string | number | undefined;
  /** The id an incoming message acknowledges, or undefined when it is no acknowledgement. */
  ackOf: (incoming: InboundMessage) => string | number | undefined;
}

export interface ResolvedHeartbeat<TMessage> {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly message: OutboundMessage | (() => OutboundMessage) | undefined;
  readonly isPong: ((data: InboundMessage | TMessage) => boolean) | undefined;
}

/** Every option with its default filled in. Frozen. */
export interface ResolvedOptions<TMessage> {
  readonly url: ClientOptions<TMessage>['url'];
  readonly protocols: NonNullable<ClientOptions<TMessage>['protocols']>;
  readonly transport: Transport;
  readonly policy: Policy;
  readonly refresh: ClientOptions<TMessage>['refresh'];
  readonly connectTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly stableAfterMs: number;
  readonly isReady: ((message: TMessage) => boolean) | undefined;
  readonly greeting: GreetingOptions | undefined;
  readonly heartbeat: ResolvedHeartbeat<TMessage> | undefined;
  readonly queue: QueueLimits;
  readonly messages: StandardSchemaV1<unknown, TMessage> | undefined;
  readonly signal: AbortSignal | undefined;
  readonly lazy: boolean;
  readonly idleTimeoutMs: number;
  readonly maxConnectionAgeMs: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly redactUrls: boolean;
  readonly reconnectCloseCode: number;
  readonly environment: ClientEnvironment | undefined;
  readonly pauseWhenHidden: boolean;
  readonly reliable: ReliableOptions | undefined;
  readonly requireTls: boolean;
}

export const clientDefaults = {
  connectTimeoutMs: 10_000,
  closeTimeoutMs: 3000,
  stableAfterMs: 5000,
  heartbeatIntervalMs: 30_000,
  heartbeatTimeoutMs: 10_000,
  maxMessages: 1000,
  maxBytes: 1_048_576,
  overflow: 'drop-newest',
  reconnectCloseCode: 4000,
} as const;
