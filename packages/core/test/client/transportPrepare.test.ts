// A transport's prepare(): its own async step before each attempt's connect() (a token fetched
// for a header), inside the connect deadline, failing the attempt when it fails.
import type { AttemptContext, CloseRecord, ConnectRequest, Transport } from '@resock/core';
import { createFakeTransport, flushPromises } from '@resock/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { harness } from './clientHarness';

/** A fake transport whose prepare() the test settles: each call waits on its own promise. */
function preparingTransport() {
  const fake = createFakeTransport();
  const dialed: Array<ConnectRequest & { token?: string }> = [];
  const calls: Array<{
    request: ConnectRequest & { token?: string };
    context: AttemptContext;
    resolve: (token: string) => void;
    reject: (error: unknown) => void;
  }> = [];
  const transport: Transport = {
    prepare(request: ConnectRequest & { token?: string }, context) {
      return new Promise<void>((resolve, reject) => {
        calls.push({
          request,
          context,
          resolve: (token) => {
            request.token = token;
            resolve();
          },
          reject,
        });
      });
    },
    connect: (request, handlers) => {
      dialed.push(request);
      return fake.connect(request, handlers);
    },
  };
  return { fake, calls, transport, dialed };
}

describe('a transport’s prepare()', () => {
  it('runs before each attempt, with its context; connect() waits for it and gets what it added', async () => {
    const { fake, calls, transport, dialed } = preparingTransport();
    const h = harness({ transport });
    await flushPromises();
    expect(calls).toHaveLength(1);
    expect(calls[0]?.context).toMatchObject({ attempt: 1, record: undefined });
    expect(fake.connections).toHaveLength(0); // not dialed before it is ready
    calls[0]?.resolve('t1');
    await flushPromises();
    expect(dialed.map((request) => request.token)).toEqual(['t1']);
    fake.last().accept();
    fake.last().serverClose(4001, 'expired');
    h.clock.advance(60_000);
    await flushPromises();
    expect(calls[1]?.context).toMatchObject({ attempt: 2, record: { code: 4001 } });
  });

  it('a rejection fails the attempt, with an error event, and the policy retries', async () => {
    const { fake, calls, transport } = preparingTransport();
    const h = harness({ transport });
    await flushPromises();
    calls[0]?.reject(new Error('token service down'));
    await flushPromises();
    expect(fake.connections).toHaveLength(0);
    expect(h.of<Error>('error').map((e) => e.message)).toEqual(['transport.prepare failed: token service down']);
    expect(h.of<CloseRecord>('close')).toMatchObject([
      { code: 1006, phase: 'connecting', initiator: 'transport', error: { message: 'token service down' } },
    ]);
    expect(h.of('reconnecting')).toHaveLength(1);
  });

  it('one that throws fails the attempt alike', async () => {
    const fake = createFakeTransport();
    const transport: Transport = {
      prepare() {
        throw new Error('no credentials');
      },
      connect: (request, handlers) => fake.connect(request, handlers),
    };
    const h = harness({ transport });
    await flushPromises();
    expect(h.of<Error>('error').map((e) => e.message)).toEqual(['transport.prepare threw: no credentials']);
    expect(h.of<CloseRecord>('close')).toMatchObject([{ phase: 'connecting', initiator: 'transport' }]);
  });

  it('counts toward the connect deadline; an attempt given up is not dialed when it is ready', async () => {
    const { fake, calls, transport } = preparingTransport();
    const h = harness({ transport, connectTimeoutMs: 5000 });
    await flushPromises();
    h.clock.advance(5000);
    expect(h.of<CloseRecord>('close')).toMatchObject([{ phase: 'connecting', initiator: 'timeout' }]);
    calls[0]?.resolve('late');
    await flushPromises();
    expect(fake.connections).toHaveLength(0);
  });

  it('close() meanwhile: nothing is dialed', async () => {
    const { fake, calls, transport } = preparingTransport();
    const h = harness({ transport });
    await flushPromises();
    await h.client.close();
    calls[0]?.resolve('t1');
    await flushPromises();
    expect(fake.connections).toHaveLength(0);
    expect(h.clock.pending()).toBe(0);
  });

  it('a library’s thenable is taken as a Promise takes it: settled once, and a then() that throws is a failure', async () => {
    const fake = createFakeTransport();
    let dials = 0;
    const twice: Transport = {
      // A then() that calls back twice, then fails too.
      prepare: () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: a library's thenable, on purpose
          then(ok: () => void, bad: (error: unknown) => void) {
            ok();
            ok();
            bad(new Error('and then failed'));
          },
        }) as unknown as Promise<void>,
      connect: (request, handlers) => {
        dials++;
        return fake.connect(request, handlers);
      },
    };
    const h = harness({ transport: twice });
    await flushPromises();
    // Before: dialed twice (the first socket leaked), then failed the attempt it had dialed.
    expect(dials).toBe(1);
    expect(h.of('error')).toEqual([]);
    const throwing: Transport = {
      prepare: () =>
        ({
          // biome-ignore lint/suspicious/noThenProperty: a library's thenable, on purpose
          then() {
            throw new Error('then boom');
          },
        }) as unknown as Promise<void>,
      connect: (request, handlers) => fake.connect(request, handlers),
    };
    // Before: the throw escaped createClient.
    const h2 = harness({ transport: throwing });
    await flushPromises();
    expect(h2.of<Error>('error').map((e) => e.message)).toEqual(['transport.prepare failed: then boom']);
  });

  it('its signal is aborted when the attempt is given up before it dials, and not once it has', async () => {
    const { calls, transport } = preparingTransport();
    const h = harness({ transport, connectTimeoutMs: 5000 });
    await flushPromises();
    const first = calls[0]?.context.signal;
    expect(first?.aborted).toBe(false);
    h.clock.advance(5000); // the connect deadline, while the token is still being fetched
    // Before: no signal; a slow token service's fetches for attempts given up piled up.
    expect(first?.aborted).toBe(true);
    while (calls.length < 2) {
      h.clock.advance(100); // the back-off, to the next attempt's prepare()
      await flushPromises();
    }
    calls[1]?.resolve('t2');
    await flushPromises();
    expect(calls[1]?.context.signal.aborted).toBe(false);
    await h.client.close();
    expect(calls[1]?.context.signal.aborted).toBe(false); // it dialed: nothing of it was running
  });
});

describe('a url function’s signal', () => {
  it('is aborted by close() while the URL is being resolved', async () => {
    let signal: AbortSignal | undefined;
    const h = harness({
      url: ({ signal: given }) => {
        signal = given;
        return new Promise<string>(() => undefined); // a token service that hangs
      },
    });
    await flushPromises();
    expect(signal?.aborted).toBe(false);
    await h.client.close();
    expect(signal?.aborted).toBe(true);
  });
});

describe('an attempt’s signal, reviewed', () => {
  it('is aborted when the attempt fails on its own (a url function that rejects), not at the next one', async () => {
    let signal: AbortSignal | undefined;
    const h = harness({
      url: ({ signal: given }) => {
        signal ??= given;
        return Promise.reject(new Error('token service down'));
      },
    });
    await flushPromises();
    expect(h.client.state).toBe('waiting');
    // Before: still held, unaborted, through the back-off (and for ever once the client closed).
    expect(signal?.aborted).toBe(true);
  });

  it('a plain URL needs no AbortController (a runtime without one still connects)', () => {
    vi.stubGlobal('AbortController', undefined);
    try {
      const h = harness();
      h.transport.last().accept();
      // Before: createClient threw "AbortController is not a constructor".
      expect(h.client.state).toBe('open');
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
