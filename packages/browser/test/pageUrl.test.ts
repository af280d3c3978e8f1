import { runInNewContext } from 'node:vm';
import type { RefreshContext } from '@resock/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pageRefresh, pageUrl, resolveAgainstPage } from '../src/pageUrl';

// A page at https://app.example/chat/ (only what the resolver reads of it).
const scope = globalThis as { document?: unknown };
beforeEach(() => {
  scope.document = { baseURI: 'https://app.example/chat/' };
});
afterEach(() => {
  delete scope.document;
});

describe('URLs relative to the page, as new WebSocket(url) takes them', () => {
  it.each([
    ['/live?room=7', 'wss://app.example/live?room=7'],
    ['live', 'wss://app.example/chat/live'],
    ['//other.example/x', 'wss://other.example/x'],
    ['ws://127.0.0.1:8080/x', 'ws://127.0.0.1:8080/x'],
    ['https://api.example/ws', 'https://api.example/ws'], // absolute: left to the client (which takes https)
    ['', ''], // a missing setting, not "this page": the options check reports it
  ])('%j → %j', (given, expected) => {
    expect(resolveAgainstPage(given)).toBe(expected);
  });

  it('passes the attempt context on to a url function', () => {
    const url = pageUrl(({ attempt }) => `/live?attempt=${attempt}`);
    expect(
      typeof url === 'function' && url({ attempt: 3, record: undefined, signal: new AbortController().signal }),
    ).toBe('wss://app.example/live?attempt=3');
  });

  it('maps an http page to ws:', () => {
    scope.document = { baseURI: 'http://localhost:5173/' };
    expect(resolveAgainstPage('/ws')).toBe('ws://localhost:5173/ws');
  });

  it('leaves URLs alone outside a page', () => {
    delete scope.document;
    expect(resolveAgainstPage('/ws')).toBe('/ws');
  });

  it('resolves what a URL function returns, sync or async, against the page as it is then', async () => {
    const sync = pageUrl(() => '/a') as () => string;
    const async = pageUrl(async () => '/b') as () => Promise<string>;
    expect(sync()).toBe('wss://app.example/a');
    scope.document = { baseURI: 'https://moved.example/' };
    expect(await async()).toBe('wss://moved.example/b');
  });

  it('resolves the URL a refresh hook returns', async () => {
    const context = {} as RefreshContext;
    const refresh = pageRefresh(async () => ({ url: '/live?token=new', protocols: 'v2' }));
    expect(await refresh(context)).toEqual({ url: 'wss://app.example/live?token=new', protocols: 'v2' });
    expect(pageRefresh(() => undefined)(context)).toBeUndefined();
  });

  it('resolves what comes in a promise of another realm (an iframe) or library, as core takes any thenable', async () => {
    const ForeignPromise = runInNewContext('Promise') as PromiseConstructor;
    const url = pageUrl(() => ForeignPromise.resolve('/live')) as () => Promise<string>;
    expect(await url()).toBe('wss://app.example/live');
    const refresh = pageRefresh(() => ForeignPromise.resolve({ url: '/live?token=new' }));
    expect(await refresh({} as RefreshContext)).toEqual({ url: 'wss://app.example/live?token=new' });
  });
});
