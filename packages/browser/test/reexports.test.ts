import * as browser from '@resock/browser';
import * as core from '@resock/core';
import { describe, expect, it } from 'vitest';

describe('@resock/browser', () => {
  it('re-exports every name of @resock/core, so users install one package', () => {
    expect(Object.keys(core).filter((name) => !(name in browser))).toEqual([]);
  });

  it('adds only the browser transport and the page and app (React Native) environments', () => {
    const added = Object.keys(browser).filter((name) => !(name in core));
    expect(added.sort()).toEqual(['appEnvironment', 'browserTransport', 'pageEnvironment']);
  });

  it('hands out core’s functions themselves, and pre-binds createClient and ReconnectingWebSocket', () => {
    expect(browser.definePolicy).toBe(core.definePolicy);
    expect(browser.createClient).not.toBe(core.createClient);
    expect(browser.ReconnectingWebSocket.prototype).toBeInstanceOf(core.ReconnectingWebSocket);
    // Named as what it stands in for: logs and `ws.constructor.name` say ReconnectingWebSocket.
    expect(browser.ReconnectingWebSocket.name).toBe('ReconnectingWebSocket');
  });

  it('has no page environment outside a page (Node, a Web Worker)', () => {
    expect(browser.pageEnvironment()).toBeUndefined();
  });
});
