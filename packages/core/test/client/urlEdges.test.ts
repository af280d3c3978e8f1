// What the url and protocols functions and the refresh hook give at the edges: failures
// together, a result that cannot be read, URLs no WebSocket can use (redacted), a close from inside.
import type { ClientRuntimeError, RefreshContext } from '@resock/core';
import { flushPromises } from '@resock/core/testing';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/client/redactUrl';
import { harness } from './clientHarness';

// Rejections nobody handled, as Node (default --unhandled-rejections=throw) would crash on.
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});
beforeEach(() => {
  unhandled.length = 0;
});

const messages = (h: ReturnType<typeof harness>) => h.of<Error>('error').map((e) => e.message);

describe('a url and a protocols function that both fail', () => {
  it('leave no unhandled rejection when the url promise rejects and protocols() throws', async () => {
    const h = harness({
      url: () => Promise.reject(new Error('signing service down')),
      protocols: () => {
        throw new Error('no protocol configured');
      },
    });
    await h.clock.advanceAsync(0);
    await flushPromises(); // one macrotask: Node reports unhandled rejections by then
    expect(h.client.state).toBe('waiting'); // a failed attempt, as either failure alone
    expect(unhandled).toEqual([]);
  });
});

describe('a refresh result that cannot be read', () => {
  it('is a failed refresh at once: no unhandled rejection, no "did not settle" 10 s later', async () => {
    const signals: AbortSignal[] = [];
    const h = harness({
      connectTimeoutMs: 10_000,
      refresh: ({ signal }: RefreshContext) => {
        signals.push(signal);
        return {
          get url(): string {
            throw new Error('token store locked');
          },
        };
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired'); // default: refresh
    await h.clock.advanceAsync(0);
    await flushPromises();
    expect(unhandled).toEqual([]);
    await h.clock.advanceAsync(10_000);
    // The hook settled at once: its signal is not "aborted for not settling", nor is the error.
    expect(signals[0]?.aborted).toBe(false);
    expect(h.of<ClientRuntimeError>('error').map((e) => (e.cause as Error | undefined)?.message)[0]).not.toMatch(
      /did not settle/,
    );
  });
});

describe('redactUrls on a URL the url function produced that no WebSocket can use', () => {
  it.each([
    ['a base64 password with "/"', 'wss://user:ab/cd+SECRET@api.example.test/socket'],
    ['a password with "#"', 'wss://user:p#SECRET@api.example.test/socket'],
  ])('%s is not quoted in the error event', async (_, url) => {
    const h = harness({ url: () => url });
    await h.clock.advanceAsync(0);
    expect(messages(h)).toHaveLength(1);
    expect(messages(h)[0]).not.toContain('SECRET');
  });

  it('a token in the fragment (OAuth implicit flow) is not quoted in the error event', async () => {
    const h = harness({ url: () => 'wss://api.example.test/socket#access_token=SECRET' });
    await h.clock.advanceAsync(0);
    expect(messages(h)).toHaveLength(1);
    expect(messages(h)[0]).not.toContain('SECRET');
  });

  it('nor is text that is no URL at all (a bare token, its base URL missing)', async () => {
    const h = harness({ url: () => 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.SECRET' });
    await h.clock.advanceAsync(0);
    expect(messages(h)).toHaveLength(1);
    expect(messages(h)[0]).not.toContain('SECRET');
  });

  it('nor in the error of a refresh hook that returned it', async () => {
    const h = harness({ refresh: () => ({ url: 'wss://user:ab/cd+SECRET@api.example.test/socket' }) });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    await h.clock.advanceAsync(0);
    const causes = h.of<ClientRuntimeError>('error').map((e) => String((e.cause as Error | undefined)?.message));
    expect(causes).toHaveLength(1);
    expect(causes[0]).not.toContain('SECRET');
  });
});

describe('the client closed from inside the url function', () => {
  it('dials nothing once its signal was aborted there (as a listener’s close() dials nothing)', async () => {
    const controller = new AbortController();
    let calls = 0;
    const h = harness({
      signal: controller.signal,
      url: () => {
        // The token getter finds the session over: the app aborts the client's signal.
        if (++calls === 2) controller.abort();
        return 'wss://api.example.test/socket?token=stale';
      },
    });
    h.transport.last().fail();
    await h.clock.advanceAsync(60_000); // the retry
    expect(calls).toBe(2);
    expect(h.client.state).toBe('closed');
    expect(h.transport.connections).toHaveLength(1); // no socket opened with the stale token
  });
});

describe('redactUrl and a credential holding "/" (base64)', () => {
  it('hides a password holding "/" also when what precedes the "/" reads as a port', () => {
    // The platform parses this one (host "user", port 8443): the `@` after a `/` still hides it.
    const out = redactUrl('wss://user:8443/c2VjcmV0@api.example.test/socket');
    expect(out).not.toContain('c2VjcmV0');
  });

  it('hides a username-only token holding "/"', () => {
    const out = redactUrl('wss://dG9rZW4/c2VjcmV0@api.example.test/socket');
    expect(out).not.toContain('c2VjcmV0');
  });
});

describe('redactUrl and a bare credential in the query', () => {
  it('hides a base64 one whole, its "=" padding being no key/value split', () => {
    expect(redactUrl('wss://api.example.test/live?dG9rZW4tczNjcjN0==')).toBe('wss://api.example.test/live?***');
    expect(redactUrl('wss://api.example.test/live?room=1&czNjcjN0=')).toBe('wss://api.example.test/live?room=***&***');
  });
});
