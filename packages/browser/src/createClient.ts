import {
  type Client,
  type ClientOptions,
  ReconnectingWebSocket as CoreReconnectingWebSocket,
  createClient as createCoreClient,
  type InboundMessage,
  type ReconnectingWebSocketOptions,
  type Transport,
} from '@resock/core';
import { browserTransport } from './browserTransport';
import { pageEnvironment } from './pageEnvironment';

/** The client's options with `transport` optional (default: the native WebSocket). */
export type BrowserClientOptions<TMessage = InboundMessage> = Omit<ClientOptions<TMessage>, 'transport'> & {
  transport?: Transport;
};

function withPage<T extends { transport?: Transport; environment?: ClientOptions['environment'] }>(options: T) {
  const environment = 'environment' in options ? options.environment : pageEnvironment();
  return {
    ...options,
    transport: options.transport ?? browserTransport(),
    ...(environment ? { environment } : {}),
  };
}

/**
 * `createClient` from `@resock/core` on the native WebSocket and, in a page, aware of it: no
 * attempts while offline (one at once when back online), open sockets probed when the device
 * goes offline, closed with 1000 on pagehide and reopened on a bfcache pageshow. Pass
 * `environment: undefined` to turn that off, or your own to replace it.
 */
export function createClient<TMessage = InboundMessage>(options: BrowserClientOptions<TMessage>): Client<TMessage> {
  return createCoreClient<TMessage>(withPage(options) as ClientOptions<TMessage>);
}

/** A drop-in for `new WebSocket(url, protocols)` that reconnects by the policy. */
export class ReconnectingWebSocket extends CoreReconnectingWebSocket {
  constructor(
    url: ClientOptions['url'],
    protocols?: ClientOptions['protocols'],
    options: Partial<ReconnectingWebSocketOptions> = {},
  ) {
    super(url, protocols, withPage(options) as ReconnectingWebSocketOptions);
  }
}
