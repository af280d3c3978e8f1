import { createClient, InvalidOptionsError } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness } from './clientHarness';

const create = (url: string, requireTls = false) =>
  createClient({ url, transport: createFakeTransport(), lazy: true, requireTls });

describe('URLs are read as the WHATWG URL parser (ws, browsers) reads them', () => {
  it.each([
    'ws://evil.example\\@localhost/', // "\" is a path separator for ws: and http:
    'ws://a@localhost:1@evil.example/', // the last "@" ends the userinfo
  ])('requireTls refuses %s: it connects in plain text to evil.example', (url) => {
    expect(new URL(url).hostname).toBe('evil.example');
    expect(() => create(url, true)).toThrow(/requireTls/);
    expect(() => create(url)).not.toThrow();
  });

  it.each(['wss://example.com:99999/', 'wss://exa%zzmple.com/', 'ws://[::1/', 'ws://host:port/'])(
    '%s, which no WebSocket can open, is a typed error at the call',
    (url) => {
      expect(() => new URL(url)).toThrow();
      expect(() => create(url)).toThrow(InvalidOptionsError);
    },
  );

  it('takes spaces in a path or query, which the parser encodes (as new WebSocket(url) does)', () => {
    const url = 'wss://x.test/rooms/my room?name=a b';
    expect(new URL(url).href).toBe('wss://x.test/rooms/my%20room?name=a%20b');
    expect(() => create(url)).not.toThrow();
    expect(() => create('wss://x .test/')).toThrow(InvalidOptionsError); // not in a host
  });

  it('still allows this machine in plain text under requireTls, however it is spelled', () => {
    for (const url of ['ws://localhost:8080/', 'ws://LOCALHOST/', 'ws://127.0.0.1/', 'ws://[::1]:9/'])
      expect(() => create(url, true)).not.toThrow();
  });
});

describe('redaction', () => {
  it('hides a token passed as the whole query (no "=")', () => {
    const h = harness({ url: 'wss://api.example.test/socket?s3cretT0ken' });
    h.transport.last().accept();
    expect(h.client.url).toBe('wss://api.example.test/socket?***');
    expect(JSON.stringify(h.of('open'))).not.toContain('s3cretT0ken');
  });
});

describe('a transport whose connect() throws at once', () => {
  it('is an error the app hears (redacted), and a failed attempt whose record keeps the cause', async () => {
    const transport = {
      connect(request: { url: string }): never {
        throw new TypeError(`Invalid header for ${request.url}`);
      },
    };
    const h = harness({ transport: transport as never });
    await Promise.resolve();
    expect(h.of<Error>('error').map((e) => e.message)).toEqual([
      'transport.connect threw: Invalid header for wss://api.example.test/socket?token=***&room=***',
    ]);
    expect(h.of<{ error?: { name: string } }>('close')[0]?.error?.name).toBe('TypeError');
  });
});

describe('a URL function', () => {
  it('may return any thenable (another realm’s promise, a library’s), not only a Promise', async () => {
    // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
    const thenable = { then: (resolve: (url: string) => void) => resolve('wss://api.example.test/live') };
    const h = harness({ url: () => thenable as never });
    await h.clock.advanceAsync(0); // settles the promise chain, no time passes
    expect(h.transport.connections.map((c) => c.request.url)).toEqual(['wss://api.example.test/live']);
  });
});

describe('URL checks in a runtime without a global URL', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('still accept a plain wss: URL (the regex fallback)', () => {
    vi.stubGlobal('URL', undefined);
    expect(() => create('wss://api.example.test/socket')).not.toThrow();
    expect(() => create('ws://evil.example\\@localhost/', true)).toThrow(/requireTls/);
  });
});

describe('a reconnect parses its URL once', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** The global URL, counting what it is asked to parse (the checks and the redaction use it). */
  function countingUrl() {
    const parsed: string[] = [];
    vi.stubGlobal(
      'URL',
      class extends URL {
        constructor(text: string | URL, base?: string | URL) {
          super(text, base);
          parsed.push(String(text));
        }
      },
    );
    return parsed;
  }

  it('the same URL, attempt after attempt, is parsed at the first one only', () => {
    const url = 'wss://api.example.test/live?room=7';
    const parsed = countingUrl();
    const h = harness({ url, policy: { preset: 'none', backoff: { type: 'constant', delayMs: 0 } } });
    for (let i = 0; i < 5; i++) {
      h.transport.connections.at(-1)?.accept();
      h.transport.connections.at(-1)?.serverClose(1012);
    }
    expect(h.transport.connections).toHaveLength(6);
    expect(parsed.filter((text) => text === url)).toHaveLength(1);
  });

  it('a URL function’s new URL is parsed', () => {
    const urls = ['wss://a.example.test/', 'wss://b.example.test/'];
    let next = 0;
    const parsed = countingUrl();
    const h = harness({
      url: () => urls[next++ % 2] as string,
      policy: { preset: 'none', backoff: { type: 'constant', delayMs: 0 } },
    });
    h.transport.connections.at(-1)?.serverClose(1012);
    h.clock.advance(0); // a retry "now" after a failed attempt is a 0 ms timer
    expect(h.transport.connections.map((c) => c.request.url)).toEqual(urls);
    expect(parsed).toEqual(expect.arrayContaining(urls));
  });

  it('a runtime that replaced its URL is asked anew, not answered from the one before', () => {
    const url = 'wss://example.com:99999/'; // the WHATWG parser refuses the port, the fallback cannot tell
    expect(() => create(url)).toThrow(InvalidOptionsError);
    vi.stubGlobal('URL', undefined);
    expect(() => create(url)).not.toThrow();
  });
});
