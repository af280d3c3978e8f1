import type * as Core from '@resock/core';
import { afterEach, expect, it, vi } from 'vitest';

// `window.WebSocket = ReconnectingWebSocket` (so that other code reconnects too): the transport
// must connect through the runtime's own WebSocket, not the facade — also in a second copy of
// resock loaded after the facade was installed (a widget's bundle, a hot reload).
const scope = globalThis as { WebSocket?: unknown } & Record<symbol, unknown>;
const saved = scope.WebSocket;
afterEach(() => {
  scope.WebSocket = saved;
  delete scope[Symbol.for('resock.platformWebSocket')];
  vi.resetModules();
});

class PlatformLike {
  static made = 0;
  binaryType = 'blob';
  readyState = 0;
  protocol = '';
  extensions = '';
  bufferedAmount = 0;
  constructor() {
    PlatformLike.made++;
  }
  send() {}
  close() {}
  addEventListener() {}
  removeEventListener() {}
}

const fresh = async () => {
  vi.resetModules();
  return (await import('@resock/core')) as typeof Core;
};
const handlers = { onOpen() {}, onMessage() {}, onClose() {}, onError() {} };

it('a copy of resock loaded after the facade became the global still connects through the platform’s', async () => {
  scope.WebSocket = PlatformLike;
  const first = await fresh();
  scope.WebSocket = first.ReconnectingWebSocket;
  const second = await fresh();
  expect(second).not.toBe(first);
  PlatformLike.made = 0;
  second.whatwgTransport().connect({ url: 'wss://x.test/', protocols: [] }, handlers);
  first.whatwgTransport().connect({ url: 'wss://x.test/', protocols: [] }, handlers);
  expect(PlatformLike.made).toBe(2);
});
