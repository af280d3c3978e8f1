import { type ClientOptions, createClient, type InvalidMessageEvent, InvalidOptionsError } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { systemClock } from '../../src/clock';
import { resolveOptions } from '../../src/resolveOptions';
import { harness } from './clientHarness';

const transport = createFakeTransport();
const problems = (options: Record<string, unknown>) => {
  try {
    createClient({ url: 'wss://x.test/', transport, lazy: true, ...options } as ClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    return (error as InvalidOptionsError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected InvalidOptionsError');
};

describe('options', () => {
  it.each([
    [{ url: 'not a url' }, 'url: expected an absolute ws:, wss:, http: or https: URL without a fragment'],
    [{ url: 'wss://x.test/#frag' }, 'url: expected an absolute ws:, wss:, http: or https: URL without a fragment'],
    [{ url: 42 }, 'url: expected a URL string, a URL object or a function returning one'],
    [{ protocols: ['a', 'a'] }, 'protocols: expected a subprotocol token or a list of distinct tokens'],
    [{ protocols: 'has space' }, 'protocols: expected a subprotocol token or a list of distinct tokens'],
    [{ transport: {} }, 'transport: expected a Transport: an object with connect(request, handlers)'],
    [
      { policy: { rules: [{ codes: [70000], action: 'stop' }] } },
      'policy.rules[0].codes[0]: expected a close code 0–65535 or a range "a-b"',
    ],
    [{ connectTimeoutMs: 0 }, 'connectTimeoutMs: expected a duration in ms, > 0 and ≤ 2147483647'],
    [{ closeTimeoutMs: -1 }, 'closeTimeoutMs: expected a duration in ms, > 0 and ≤ 2147483647'],
    [{ stableAfterMs: Number.NaN }, 'stableAfterMs: expected a duration in ms, ≥ 0 and ≤ 2147483647'],
    [{ heartbeat: { intervalMs: 0 } }, 'heartbeat.intervalMs: expected a duration in ms, > 0 and ≤ 2147483647'],
    [{ heartbeat: { every: 5 } }, 'heartbeat.every: unknown key'],
    [{ heartbeat: 'yes' }, 'heartbeat: expected true, false or { intervalMs, timeoutMs, message, isPong }'],
    [{ queue: { maxMessages: -1 } }, 'queue.maxMessages: expected an integer ≥ 0'],
    [{ queue: { overflow: 'explode' } }, 'queue.overflow: expected "drop-oldest", "drop-newest" or "reject"'],
    [{ messages: {} }, 'messages: expected a Standard Schema (zod, valibot, arktype, …)'],
    [{ signal: {} }, 'signal: expected an AbortSignal'],
    [{ refresh: 'please' }, 'refresh: expected a function'],
    [{ lazy: 'no' }, 'lazy: expected a boolean'],
    [{ reconnectCloseCode: 1001 }, 'reconnectCloseCode: expected 1000 or a code in 3000–4999'],
    [{ reconectCloseCode: 4000 }, 'reconectCloseCode: unknown key'],
  ])('rejects %j, naming the path', (options, problem) => {
    expect(problems(options)).toContain(problem);
  });

  it('reports keys that only objects inherit (constructor, toString) as unknown', () => {
    expect(problems({ constructor: 1, queue: { toString: 2 } }).sort()).toEqual([
      'constructor: unknown key',
      'queue.toString: unknown key',
    ]);
  });

  it('accepts a callable Standard Schema (arktype types are functions)', () => {
    const schema = Object.assign((data: unknown) => data, {
      '~standard': { version: 1, vendor: 'callable', validate: (value: unknown) => ({ value }) },
    });
    const client = createClient({ url: 'wss://x.test/', transport, lazy: true, messages: schema as never });
    expect(client.state).toBe('idle');
  });

  it('shares one frozen queue-limits object among clients with the default limits (memory)', () => {
    const base = { url: 'wss://x.test/', transport };
    const shared = resolveOptions(base).queue;
    expect(resolveOptions({ ...base, queue: {} }).queue).toBe(shared);
    expect(resolveOptions({ ...base, queue: { maxMessages: 1000, maxBytes: undefined } as never }).queue).toBe(shared);
    expect(resolveOptions({ ...base, queue: { maxMessages: 5 } }).queue).toEqual({ ...shared, maxMessages: 5 });
  });

  it('shares one frozen heartbeat-settings object among clients with the default heartbeat (memory)', () => {
    const base = { url: 'wss://x.test/', transport };
    const shared = resolveOptions({ ...base, heartbeat: true }).heartbeat;
    expect(shared).toEqual({ intervalMs: 30_000, timeoutMs: 10_000, message: undefined, isPong: undefined });
    expect(Object.isFrozen(shared)).toBe(true);
    expect(resolveOptions({ ...base, heartbeat: {} }).heartbeat).toBe(shared);
    expect(resolveOptions({ ...base, heartbeat: { intervalMs: 30_000 } }).heartbeat).toBe(shared);
    const own = resolveOptions({ ...base, heartbeat: { timeoutMs: 5000 } }).heartbeat;
    expect(own).toEqual({ ...shared, timeoutMs: 5000 });
    expect(Object.isFrozen(own)).toBe(true);
    const message = () => 'ping';
    expect(resolveOptions({ ...base, heartbeat: { message } }).heartbeat?.message).toBe(message);
  });

  it("keeps only a client's own settings on its resolved options; the defaults are shared (memory)", () => {
    const base = { url: 'wss://x.test/', transport };
    const resolved = resolveOptions({ ...base, heartbeat: true, lazy: false, clock: systemClock });
    expect(Object.keys(resolved)).toEqual(['url', 'transport', 'heartbeat']);
    expect(Object.isFrozen(resolved)).toBe(true);
    // Every default still reads as before, through the shared object.
    expect(resolved).toMatchObject({ protocols: [], connectTimeoutMs: 10_000, queue: { maxMessages: 1000 } });
    expect([resolved.lazy, resolved.redactUrls, resolved.clock, resolved.refresh]).toEqual([
      false,
      true,
      systemClock,
      undefined,
    ]);
    expect(resolveOptions({ ...base, lazy: true, connectTimeoutMs: 500 })).toMatchObject({
      lazy: true,
      connectTimeoutMs: 500,
    });
  });

  it('rejects reliable delivery with no room to keep a message until its ack', () => {
    const reliable = { id: () => 1, ackOf: () => undefined };
    expect(problems({ reliable, queue: { maxMessages: 0 } })).toEqual([
      'queue.maxMessages: reliable delivery keeps each message until its ack: expected ≥ 1',
    ]);
    expect(problems({ reliable, queue: { maxBytes: 0 } })).toEqual([
      'queue.maxBytes: reliable delivery keeps each message until its ack: expected ≥ 1',
    ]);
    // No offline buffer without reliable delivery: fine.
    const client = createClient({
      url: 'wss://x.test/',
      transport,
      lazy: true,
      queue: { maxMessages: 0, maxBytes: 0 },
    });
    expect(client.state).toBe('idle');
  });

  it('lists every problem at once', () => {
    expect(problems({ url: 1, connectTimeoutMs: -5, queue: { overflow: 'x' } })).toHaveLength(3);
  });

  it('accepts a URL object', () => {
    const client = createClient({ url: new URL('wss://x.test/a?b=c'), transport, lazy: true });
    expect(client.state).toBe('idle');
  });
});

describe('validated messages', () => {
  const schema = z.object({ type: z.literal('chat'), text: z.string() });

  it('parses JSON text and delivers the typed value', () => {
    const h = harness({ messages: schema });
    h.transport.last().accept();
    h.transport.last().deliver('{"type":"chat","text":"hi"}');
    expect(h.of('message')).toEqual([{ type: 'chat', text: 'hi' }]);
  });

  it('reports what fails as invalidMessage and keeps running', () => {
    const h = harness({ messages: schema });
    h.transport.last().accept();
    h.transport.last().deliver('{"type":"chat","text":5}');
    h.transport.last().deliver('not json');
    h.transport.last().deliver('{"__proto__":{"polluted":true},"type":"chat","text":"x"}');
    const invalid = h.of<InvalidMessageEvent>('invalidMessage');
    expect(invalid[0]?.issues[0]).toMatchObject({ path: ['text'] });
    expect(invalid[1]?.issues[0]?.message).toMatch(/not JSON/);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    expect(h.client.state).toBe('open');
  });

  it('keeps arrival order with an async schema', async () => {
    const slowFirst = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) =>
          new Promise<{ value: unknown }>((resolve) => setTimeout(() => resolve({ value }), value === 1 ? 20 : 0)),
      },
    };
    const h = harness({ messages: slowFirst });
    h.transport.last().accept();
    const two = new Promise<void>((resolve) => h.client.on('message', () => h.of('message').length === 2 && resolve()));
    h.transport.last().deliver('1');
    h.transport.last().deliver('2');
    await two;
    expect(h.of('message')).toEqual([1, 2]);
  });
});

describe('requireTls', () => {
  it('refuses plain-text URLs to other hosts at creation, and allows localhost', () => {
    expect(problems({ url: 'ws://api.example.test/', requireTls: true })).toContain(
      'url: requireTls: expected wss: (or https:) for a host other than localhost',
    );
    for (const url of ['wss://api.example.test/', 'ws://localhost:8080/', 'ws://127.0.0.1:1/', 'ws://[::1]:1/']) {
      expect(() => createClient({ url, transport, lazy: true, requireTls: true })).not.toThrow();
    }
  });

  it('refuses a plain-text URL that a URL function produces, as a failed attempt the app hears of', async () => {
    const h = harness({ url: () => 'ws://user:pw@api.example.test/?token=s3cret', requireTls: true });
    await h.clock.advanceAsync(0);
    expect(h.transport.connections).toHaveLength(0);
    const [error] = h.of<Error>('error');
    expect(error?.message).toMatch(/: requireTls: expected wss: \(or https:\) for a host other than localhost$/);
    expect(error?.message).not.toContain('s3cret');
    expect(error?.message).not.toContain('pw');
  });
});
