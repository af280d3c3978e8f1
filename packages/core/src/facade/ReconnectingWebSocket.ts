import { assertMessageFor, closeAsWebSocket, createClient, socketUrlOf } from '../client/client';
import type { Client } from '../client/clientTypes';
import { byteSize, type OutboundMessage } from '../client/queue';
import { redactUrl } from '../client/redactUrl';
import { assertCloseArguments } from '../close/closeArguments';
import type { InboundMessage } from '../events/clientEvents';
import type { ClientOptions, Protocols } from '../options';
import { assertOptionsObject, urlText } from '../resolveOptions';
import { facadeMark } from '../transports/whatwgTransport';
import { assertEvents, EventBase, EventTargetBase } from './domBase';
import { defineEventHandlers } from './eventHandlers';
import {
  asWebSocketUrl,
  blobConstructor,
  failed,
  type Listener,
  messageData,
  originOf,
  type ReconnectingWebSocketEventMap,
  ResockCloseEvent,
  ResockMessageEvent,
} from './facadeEvents';
import { readyStates } from './readyStates';
import { clampUnsignedShort, toProtocols, toUsvString } from './webIdl';

/** The client's options except what the constructor takes positionally (a `messages` schema too). */
export type ReconnectingWebSocketOptions<TMessage = InboundMessage> = Omit<
  ClientOptions<TMessage>,
  'url' | 'protocols'
>;

// biome-ignore lint/suspicious/noExplicitAny: `this` is any facade, whatever its message type
type Handler<E> = ((this: ReconnectingWebSocket<any>, event: E) => unknown) | null;

// Types only: listeners typed by event name, as a WebSocket's are; no code of its own.
// biome-ignore lint/correctness/noUnusedVariables: merged with the class, so its type parameter
export interface ReconnectingWebSocket<TMessage> {
  addEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: Listener<ReconnectingWebSocketEventMap[K]>,
    options?: unknown,
  ): void;
  addEventListener(type: string, listener: Listener<Event>, options?: unknown): void;
  removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: Listener<ReconnectingWebSocketEventMap[K]>,
    options?: unknown,
  ): void;
  removeEventListener(type: string, listener: Listener<Event>, options?: unknown): void;
}

/**
 * A drop-in for `new WebSocket(url, protocols)` that reconnects by the policy: the same
 * `readyState`, `onopen`/`onmessage`/`onclose`/`onerror`, `addEventListener`, `send` and `close`,
 * built on the typed client (`.client`). `close` events fire for every connection that ends,
 * each with its `CloseRecord`; `send` while connecting (or between connections) queues instead
 * of throwing. Once CLOSING or CLOSED it behaves as a WebSocket does: `send` discards,
 * `close` does nothing more.
 */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above
export class ReconnectingWebSocket<TMessage = InboundMessage> extends EventTargetBase {
  // WebIDL constants: on the constructor and the prototype, read-only (defined below).
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSING: 2;
  declare static readonly CLOSED: 3;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSING: 2;
  declare readonly CLOSED: 3;

  // Its own state in #private fields, the client behind a getter: a WebSocket has no own
  // enumerable property, so JSON.stringify(ws) is "{}" (the client's cycles made it throw), and a
  // spread, a for…in or a store that walks objects finds nothing of resock's inside.
  readonly #client: Client<TMessage>;
  /** The typed client underneath, for everything the WebSocket API cannot say. */
  get client(): Client<TMessage> {
    return this.#client;
  }
  #type: 'blob' | 'arraybuffer' = blobConstructor() ? 'blob' : 'arraybuffer';
  /** The URL as given (redacted like the client's), until an attempt has resolved one. */
  readonly #givenUrl: string;
  /** How the app's own close() is reported: a WebSocket closed before open fails (1006). */
  #closeCall: 'before-open' | 'after-end' | undefined;
  /** The app called close(): CLOSING at once, as a WebSocket is, even where the client queues it. */
  #closing = false;
  /** A connection's error and close are being dispatched: to their listeners it is CLOSED. */
  #ending = false;
  /** The last close event left the socket CLOSED (the policy stopped): nothing more to say. */
  #ended = false;
  /** Inside close(): a close the client reports now is told from a task, as natively. */
  #inClose = false;
  /** A close told from a task is due: CLOSING until then. */
  #endDue = false;
  /** The current connection's origin, for message events. */
  #origin = '';
  /** Bytes sent once CLOSING or CLOSED: discarded, and counted, as by a WebSocket. */
  #discarded = 0;

  constructor(
    url: ClientOptions['url'],
    protocols: ClientOptions['protocols'] | undefined,
    options: ReconnectingWebSocketOptions<TMessage>,
  ) {
    super();
    assertEvents();
    // What is not an options object gets the typed error before a client starts (the options
    // are read again below, once it has).
    if (options !== undefined) assertOptionsObject(options);
    const clientOptions: ClientOptions<TMessage> = { ...options, url };
    // Converted as a WebSocket converts them; null, as code written for `new WebSocket(url,
    // null)`-style APIs passes it, is no protocols.
    const asked = toProtocols(protocols);
    if (asked !== undefined) clientOptions.protocols = asked as Protocols;
    this.#client = createClient(clientOptions);
    const given = typeof url === 'function' ? '' : (urlText(url) ?? '');
    this.#givenUrl = options?.redactUrls === false ? given : redactUrl(given);
    const client = this.#client;
    client.on('open', () => {
      // From the URL itself, not `url`: redacted, one with an `@` in its path keeps no host.
      this.#origin = originOf(asWebSocketUrl(socketUrlOf(client) ?? ''));
      this.dispatchEvent(new EventBase('open'));
    });
    client.on('message', (data) => {
      // WHATWG: a message that arrives once close() was called (CLOSING) is not delivered; one
      // that arrived before (heard late: a schema validating it, a write's replay) still is.
      if (!this.#closing) this.dispatchEvent(new ResockMessageEvent(messageData(data, this.#type), this.#origin));
    });
    client.on('close', (record) => {
      // The app's close() ends the client; a reconnect() record (also the client's) is not it.
      const final = record.initiator === 'client' && client.state === 'closed';
      const call = final ? this.#closeCall : undefined;
      // The socket had already closed (a close() on it, or the signal aborted after the policy
      // stopped): a WebSocket says nothing more.
      if (call === 'after-end' || (final && this.#ended)) return;
      // As a WebSocket does: CLOSED first, then `error` for a connection that failed, then
      // `close`; one closed by the app before it opened has failed (1006).
      const error = call === 'before-open' || failed(record);
      const event =
        call === 'before-open' ? new ResockCloseEvent(record, 1006, '', false) : new ResockCloseEvent(record);
      const told = () => {
        try {
          this.dispatchEvent(event);
        } finally {
          this.#ending = false;
        }
      };
      const end = () => {
        this.#endDue = false;
        this.#ending = true;
        if (!error) return told();
        try {
          this.dispatchEvent(new EventBase('error'));
        } finally {
          // Natively error and close are two steps: what an error listener queued (a microtask)
          // runs before close. Still CLOSED in between.
          void Promise.resolve().then(told);
        }
      };
      // WHATWG: these come from a task, never from inside close() (code right after it, such
      // as `ws.close(); stopped = true` or `ws.addEventListener('close', …)`, runs first).
      this.#endDue = this.#inClose;
      if (this.#inClose) void Promise.resolve().then(end);
      else end();
    });
    // CLOSED once the client has failed (also without a close event: refreshes that kept
    // failing); a failed client revived through `.client.reconnect()` is a live socket again.
    client.on('state', ({ to }) => {
      this.#ended = readyStates[to] === 3;
    });
  }

  /** Tells the WebSocket transport not to connect through a facade (see whatwgTransport). */
  static readonly [facadeMark] = true;

  // The four handler attributes, as accessors on the prototype (see defineEventHandlers).
  declare onopen: Handler<Event>;
  declare onmessage: Handler<ResockMessageEvent>;
  declare onclose: Handler<ResockCloseEvent>;
  declare onerror: Handler<Event>;
  static {
    ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, value) => {
      for (const target of [ReconnectingWebSocket, ReconnectingWebSocket.prototype])
        Object.defineProperty(target, name, { value, enumerable: true });
    });
    defineEventHandlers(ReconnectingWebSocket.prototype, ['open', 'message', 'close', 'error']);
  }

  /** How binary messages are handed over; `blob` (the WebSocket default) where `Blob` exists. */
  get binaryType(): 'blob' | 'arraybuffer' {
    return this.#type;
  }
  set binaryType(value: 'blob' | 'arraybuffer') {
    if (value === 'blob' || value === 'arraybuffer') this.#type = value; // others are ignored, as natively
  }

  /**
   * CLOSED inside error and close listeners, as on the socket that closed (even while
   * reconnecting); CLOSING from the app's close() until the client has closed.
   */
  get readyState(): 0 | 1 | 2 | 3 {
    const state = this.#ending ? 3 : readyStates[this.#client.state];
    return (this.#closing && state < 2) || this.#endDue ? 2 : state;
  }

  /** As a WebSocket reports it: parsed and serialized, http(s) as ws(s); redacted like the client's. */
  get url(): string {
    return asWebSocketUrl(this.#client.url ?? this.#givenUrl);
  }

  get protocol(): string {
    return this.#client.protocol;
  }

  get extensions(): string {
    return this.#client.extensions;
  }

  /** Bytes not yet sent, including messages queued while disconnected (and, as natively, discarded ones). */
  get bufferedAmount(): number {
    return this.#client.bufferedAmount + this.#discarded;
  }

  /**
   * Sends, or queues while connecting; discarded once CLOSING or CLOSED, as by a WebSocket. In
   * an error or close listener the client is already on its way back: a send there waits for it.
   */
  send(data: OutboundMessage): void {
    // The client's state, not readyState: inside a close listener (CLOSED) it is on its way back.
    if (!this.#closing && readyStates[this.#client.state] < 2) this.#client.send(data);
    else {
      // Not stringified as natively (42 as "42"), nor a detached buffer or a library's Blob let
      // by: the typed error send() gives in every other state.
      assertMessageFor(this.#client, data);
      this.#discarded += byteSize(data);
    }
  }

  /**
   * Closes for good. Converts and checks its arguments like a browser: `close(1000.4)` is 1000,
   * `close(null)` is 0 and refused; then 1000 or 3000–4999, and a reason of ≤ 123 bytes.
   */
  close(code?: number, reason?: string): void {
    // No code: a close frame without a status (the server and this close event say 1005), as a
    // WebSocket's close(); with a reason, 1000 (WHATWG: a reason needs a code).
    const closeCode = code === undefined ? (reason === undefined ? undefined : 1000) : clampUnsignedShort(code);
    const closeReason = reason === undefined ? '' : toUsvString(reason);
    if (closeCode !== undefined) assertCloseArguments(closeCode, closeReason);
    const state = this.readyState;
    if (state === this.CLOSING) return;
    this.#closing = true;
    // Called from an error or close listener, or once CLOSED: that close was the last word, as
    // natively. While CONNECTING — an attempt, the wait between two, before the first (lazy, or
    // held while offline) — error then close 1006, as a WebSocket closed while CONNECTING: what
    // the app sees follows from readyState alone, not from whether a socket is in flight. Open:
    // the record says what happened.
    this.#closeCall = state === this.CLOSED ? 'after-end' : state === this.CONNECTING ? 'before-open' : undefined;
    // Even after the policy stopped, close() lets go of what the client still holds (its queue).
    this.#inClose = true;
    try {
      void closeAsWebSocket(this.#client, closeCode, closeReason);
    } finally {
      this.#inClose = false;
    }
  }
}
