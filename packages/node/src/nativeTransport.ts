import { type Transport, type WebSocketConstructorLike, whatwgTransport } from '@resock/core';

export interface NativeTransportOptions {
  /** Default: Node's global `WebSocket` (Node ≥ 22; Node 20 with `--experimental-websocket`). */
  WebSocket?: WebSocketConstructorLike | undefined;
}

/**
 * A transport on Node's global `WebSocket` (undici) for apps that cannot add `ws`. It cannot
 * see a rejected handshake's HTTP status, send pings or terminate; Node 22's (undici 6) never
 * fires `close` after a failed handshake, so the attempt's record is made from its `error`.
 */
export function nativeTransport(options: NativeTransportOptions = {}): Transport {
  const transport = whatwgTransport(options);
  return {
    ...transport,
    // Asked by createClient, whose InvalidOptionsError then says why, as for any transport that
    // cannot run here: a TypeError thrown from this call escaped isInvalidOptionsError.
    unavailable: () => (transport.unavailable?.() === undefined ? undefined : noGlobalWebSocket),
  };
}

const noGlobalWebSocket =
  "this Node has no global WebSocket (it arrived in Node 22; Node 20 needs --experimental-websocket): use nodeTransport() from '@resock/node', or pass `WebSocket`";
