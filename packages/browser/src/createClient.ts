import {
  type Client,
  type ClientEnvironment,
  type ClientOptions,
  createClient as createCoreClient,
  type InboundMessage,
  type Transport,
  type WithoutSchema,
  type WithSchema,
} from '@resock/core';
import { browserTransport } from './browserTransport';
import { pageEnvironment } from './pageEnvironment';
import { pageRefresh, pageUrl } from './pageUrl';

/** What the page-bound constructors add to the options: both optional, with page defaults. */
export interface PageBound {
  /** Default: the native WebSocket. */
  transport?: Transport | undefined;
  /** Default: the page (`pageEnvironment()`); `undefined` turns page awareness off. */
  environment?: ClientEnvironment | undefined;
}

/** The client's options with `transport` and `environment` defaulting to the page's. */
export type BrowserClientOptions<TMessage = InboundMessage> = Omit<
  ClientOptions<TMessage>,
  'transport' | 'environment'
> &
  PageBound;

/** Options to read; anything else goes to core as it is, for the options check's typed error. */
const isObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function withPage<T extends PageBound & { refresh?: ClientOptions['refresh'] }>(options: T) {
  if (!isObject(options)) return options;
  const environment = 'environment' in options ? options.environment : pageEnvironment();
  const { refresh } = options;
  return {
    ...options,
    transport: options.transport ?? browserTransport(),
    ...(environment ? { environment } : {}),
    // Only a function is wrapped: anything else reaches core's check as it is (a typed error).
    ...(typeof refresh === 'function' ? { refresh: pageRefresh(refresh) } : {}),
  };
}

/**
 * `createClient` from `@resock/core` on the native WebSocket and, in a page, aware of it: no
 * attempts while offline (one at once when back online), open sockets probed when the device
 * goes offline (let go of when no heartbeat can probe them), closed with reconnectCloseCode on
 * pagehide and reopened on a bfcache pageshow. Pass `environment: undefined` to turn that off,
 * or your own to replace it. A relative URL is resolved against the page, as a WebSocket's is.
 */
export function createClient<TMessage = InboundMessage>(
  options: WithSchema<BrowserClientOptions<TMessage>, TMessage>,
): Client<TMessage>;
export function createClient(options: WithoutSchema<BrowserClientOptions>): Client;
export function createClient<TMessage = InboundMessage>(
  options: BrowserClientOptions<TMessage>,
): Client<NoInfer<TMessage>>;
export function createClient<TMessage>(options: BrowserClientOptions<TMessage>): Client<TMessage> {
  const given = isObject(options) ? withPage({ ...options, url: pageUrl(options.url) }) : options;
  return createCoreClient<TMessage>(given as ClientOptions<TMessage>);
}
