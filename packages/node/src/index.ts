// @resock/node: all of @resock/core (`export *`, so the surfaces cannot drift; a test checks
// they match), with createClient and ReconnectingWebSocket pre-bound to the ws transport.
export * from '@resock/core';
export { createClient, type NodeClientOptions, ReconnectingWebSocket } from './createClient';
export { type NativeTransportOptions, nativeTransport } from './nativeTransport';
export { type NodeTransportOptions, nodeTransport } from './nodeTransport';
