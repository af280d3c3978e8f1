import { type Transport, type WebSocketConstructorLike, whatwgTransport } from '@resock/core';

export interface BrowserTransportOptions {
  /** @default globalThis.WebSocket */
  WebSocket?: WebSocketConstructorLike | undefined;
}

/**
 * The transport on the native `WebSocket`, binary as `ArrayBuffer`. A browser hides why a
 * handshake failed (every failure is 1006 in phase `connecting`, no HTTP status) and has no
 * ping or terminate: core's deadlines close politely and detach, and heartbeats need an
 * app-level `heartbeat.message`.
 */
export function browserTransport(options: BrowserTransportOptions = {}): Transport {
  return whatwgTransport(options);
}
