// @resock/browser: all of @resock/core (`export *`, so the surfaces cannot drift; a test checks
// they match), with createClient and ReconnectingWebSocket pre-bound to the native WebSocket
// and the page.
export * from '@resock/core';
export {
  type AppEnvironmentModules,
  type AppStateLike,
  appEnvironment,
  type NetInfoLike,
  type NetInfoStateLike,
} from './appEnvironment';
export { type BrowserTransportOptions, browserTransport } from './browserTransport';
export { type BrowserClientOptions, createClient } from './createClient';
export { pageEnvironment } from './pageEnvironment';
export {
  type BrowserReconnectingWebSocketOptions,
  ReconnectingWebSocket,
  type ReconnectingWebSocketConstructor,
  type ReconnectingWebSocketEventMap,
} from './ReconnectingWebSocket';
