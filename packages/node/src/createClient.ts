import {
  type Client,
  type ClientOptions,
  ReconnectingWebSocket as CoreReconnectingWebSocket,
  createClient as createCoreClient,
  type InboundMessage,
  type ReconnectingWebSocketOptions,
  type Transport,
} from '@resock/core';
import { nodeTransport } from './nodeTransport';

/** The client's options, with `transport` optional (default: `nodeTransport()`). */
export type NodeClientOptions<TMessage = InboundMessage> = Omit<ClientOptions<TMessage>, 'transport'> & {
  transport?: Transport;
};

/**
 * `createClient` from `@resock/core` with the `ws` transport, and the heartbeat on by default:
 * protocol pings every 30 s (10 s to answer), which any standard server answers, so a worker
 * notices a dead peer in under a minute instead of TCP's many.
 */
export function createClient<TMessage = InboundMessage>(options: NodeClientOptions<TMessage>): Client<TMessage> {
  return createCoreClient<TMessage>({ heartbeat: true, ...options, transport: options.transport ?? nodeTransport() });
}

/** `new ReconnectingWebSocket(url)` on `ws`: the WebSocket API, reconnecting by the policy. */
export class ReconnectingWebSocket extends CoreReconnectingWebSocket {
  constructor(
    url: ClientOptions['url'],
    protocols?: ClientOptions['protocols'],
    options: Partial<ReconnectingWebSocketOptions> = {},
  ) {
    super(url, protocols, { heartbeat: true, ...options, transport: options.transport ?? nodeTransport() });
  }
}
