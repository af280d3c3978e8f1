import {
  type Client,
  type ClientOptions,
  ReconnectingWebSocket as CoreReconnectingWebSocket,
  createClient as createCoreClient,
  type InboundMessage,
  InvalidOptionsError,
  type ReconnectingWebSocketOptions,
  type Transport,
  type WithoutSchema,
  type WithSchema,
} from '@resock/core';
import { nodeTransport } from './nodeTransport';

/** The client's options, with `transport` optional (default: `nodeTransport()`). */
export type NodeClientOptions<TMessage = InboundMessage> = Omit<ClientOptions<TMessage>, 'transport'> & {
  transport?: Transport | undefined;
};

/**
 * `createClient` from `@resock/core` with the `ws` transport, and the heartbeat on by default
 * with it: protocol pings every 30 s (10 s to answer), which any standard server answers, so a
 * worker notices a dead peer in under a minute instead of TCP's many. Another transport (one
 * that cannot ping, like `nativeTransport()`) keeps core's default: off unless asked for.
 */
export function createClient<TMessage = InboundMessage>(
  options: WithSchema<NodeClientOptions<TMessage>, TMessage>,
): Client<TMessage>;
export function createClient(options: WithoutSchema<NodeClientOptions>): Client;
export function createClient<TMessage = InboundMessage>(
  options: NodeClientOptions<TMessage>,
): Client<NoInfer<TMessage>>;
export function createClient<TMessage>(options: NodeClientOptions<TMessage>): Client<TMessage> {
  return createCoreClient<TMessage>(withNodeDefaults(options));
}

let sharedTransport: Transport | undefined;

/** One shared default: it holds no state of its own, and a worker may hold thousands of clients. */
function defaultTransport(): Transport {
  if (!sharedTransport) sharedTransport = nodeTransport();
  return sharedTransport;
}

/**
 * `undefined` is "not given", as everywhere in resock: it keeps the default. Anything but an
 * options object goes to core as it is, for the options check's typed error.
 */
function withNodeDefaults<T extends { transport?: Transport | undefined; heartbeat?: unknown }>(options: T) {
  if (typeof options !== 'object' || options === null) return options;
  if (Array.isArray(options as unknown)) return options as never;
  transportOptionsMisplaced(options);
  const transport = options.transport ?? defaultTransport();
  return { ...options, transport, heartbeat: options.heartbeat ?? transport.pings === true };
}

/** `new ReconnectingWebSocket(url)` on `ws`: the WebSocket API, reconnecting by the policy. */
export class ReconnectingWebSocket<TMessage = InboundMessage> extends CoreReconnectingWebSocket<TMessage> {
  constructor(
    url: ClientOptions['url'],
    protocols?: ClientOptions['protocols'] | null,
    options: Partial<ReconnectingWebSocketOptions<TMessage>> = {},
  ) {
    super(url, protocols ?? undefined, withNodeDefaults(options) as ReconnectingWebSocketOptions<TMessage>);
  }
}

/**
 * The ws options a worker most often reaches for, given to the client instead of its transport:
 * said where they go (core's check would only call each an unknown key).
 */
const wsOptions = [
  'headers',
  'origin',
  'agent',
  'followRedirects',
  'maxRedirects',
  'perMessageDeflate',
  'maxPayload',
  'rejectUnauthorized',
  'ca',
  'cert',
  'key',
  'servername',
  'handshakeTimeout',
  'binaryType',
];

function transportOptionsMisplaced(options: object): void {
  const misplaced = wsOptions.filter((name) => Object.hasOwn(options, name));
  if (misplaced.length === 0) return;
  throw new InvalidOptionsError(
    misplaced.map((name) => ({
      path: name,
      message: `an option of the ws transport: pass it as transport: nodeTransport({ ${name} })`,
    })),
  );
}
