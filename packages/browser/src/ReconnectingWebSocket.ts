import {
  type Client,
  type ClientOptions,
  ReconnectingWebSocket as CoreReconnectingWebSocket,
  type InboundMessage,
  type ReconnectingWebSocketOptions,
  type ResockCloseEvent,
} from '@resock/core';
import { type PageBound, withPage } from './createClient';
import { pageUrl } from './pageUrl';

/** The facade's options in a page: the client's, each optional, the page's transport and environment by default. */
export type BrowserReconnectingWebSocketOptions<TMessage = InboundMessage> = Partial<
  Omit<ReconnectingWebSocketOptions<TMessage>, 'environment' | 'transport'>
> &
  PageBound;

/** lib.dom's `WebSocketEventMap`, with the close record on `close` events. */
export interface ReconnectingWebSocketEventMap extends WebSocketEventMap {
  close: ResockCloseEvent;
}

type Listener<K extends keyof ReconnectingWebSocketEventMap> = (
  this: WebSocket,
  event: ReconnectingWebSocketEventMap[K],
) => unknown;

/**
 * The facade as lib.dom sees it: a `WebSocket` (it goes wherever one is typed, and
 * `window.WebSocket = ReconnectingWebSocket` compiles), plus the typed client, and the close
 * record on `close` events (`onclose` is read as WebSocket's, and set with a handler that may
 * read the record).
 */
export interface ReconnectingWebSocket<TMessage = InboundMessage> extends WebSocket {
  /** The typed client underneath, for everything the WebSocket API cannot say. */
  readonly client: Client<TMessage>;
  get onclose(): ((this: WebSocket, event: CloseEvent) => unknown) | null;
  set onclose(handler: ((this: WebSocket, event: ResockCloseEvent) => unknown) | null);
  addEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: Listener<K>,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof ReconnectingWebSocketEventMap>(
    type: K,
    listener: Listener<K>,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

export interface ReconnectingWebSocketConstructor {
  new <TMessage = InboundMessage>(
    url: ClientOptions['url'],
    protocols?: ClientOptions['protocols'] | null,
    options?: BrowserReconnectingWebSocketOptions<TMessage>,
  ): ReconnectingWebSocket<TMessage>;
  readonly prototype: ReconnectingWebSocket<unknown>;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
}

/**
 * A drop-in for `new WebSocket(url, protocols)` that reconnects by the policy, on the native
 * WebSocket and aware of the page. Typed as lib.dom's WebSocket (see the interface above); at run
 * time a subclass of core's facade, named as it is (`ws.constructor.name`).
 */
export const ReconnectingWebSocket = class ReconnectingWebSocket<TMessage> extends CoreReconnectingWebSocket<TMessage> {
  constructor(
    url: ClientOptions['url'],
    protocols?: ClientOptions['protocols'] | null,
    options: BrowserReconnectingWebSocketOptions<TMessage> = {},
  ) {
    super(pageUrl(url), protocols ?? undefined, withPage(options) as ReconnectingWebSocketOptions<TMessage>);
  }
} as unknown as ReconnectingWebSocketConstructor;
// Said outright: the build's transform renamed the class expression (ReconnectingWebSocket2 in
// dist), as an app's minifier renames any class.
Object.defineProperty(ReconnectingWebSocket, 'name', { value: 'ReconnectingWebSocket' });
