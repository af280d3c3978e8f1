// A policy that retries "now" (delayMs 0): after an open connection ends, the next attempt
// starts in the step after the decision; after a failed attempt, it waits for a 0 ms timer, so
// attempts that fail within a microtask cannot retry in a loop that never lets the event loop
// turn (a page hung, a worker's I/O starved).
import { createClient, type Transport } from '@resock/core';
import { createVirtualClock, flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const atOnce = { preset: 'none', backoff: { type: 'constant', delayMs: 0 } } as const;

describe('a retry "now"', () => {
  it('after an open connection ends: the next attempt is dialled at once, no timer', () => {
    const h = harness({ policy: atOnce });
    h.transport.last().accept();
    h.transport.last().serverClose(1012);
    expect(h.transport.connections).toHaveLength(2);
    expect(h.client.state).toBe('connecting');
  });

  it('after a failed attempt: one attempt per turn of the event loop (a 0 ms timer)', () => {
    const h = harness({ policy: atOnce });
    h.transport.last().reject(503);
    expect(h.client.state).toBe('waiting');
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(0);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('after a url function whose token fetch rejects at once: no microtask loop', async () => {
    let calls = 0;
    const clock = createVirtualClock(0);
    const holder: { client?: { close(): unknown } } = {};
    const client = createClient({
      url: async () => {
        // Were it a loop, end it: the test fails on the count, not by running out of memory.
        if (++calls > 100) void holder.client?.close();
        throw new Error('no token');
      },
      clock,
      policy: atOnce,
      transport: { connect: () => ({ send() {}, close() {} }) },
    });
    holder.client = client;
    client.on('error', () => undefined);
    // A real macrotask: every microtask the failures queue runs before it.
    await flushPromises();
    expect(calls).toBe(1);
    for (let i = 1; i <= 3; i++) {
      clock.advance(0);
      await flushPromises();
      expect(calls).toBe(i + 1);
    }
    await client.close();
  });

  it('after a transport that fails inside connect(): no microtask loop', async () => {
    let dialled = 0;
    const holder: { client?: { close(): unknown } } = {};
    const transport: Transport = {
      connect(_request, handlers) {
        if (++dialled > 100) void holder.client?.close(); // as above
        handlers.onClose({ code: 1006, reason: '', wasClean: false });
        return { send() {}, close() {} };
      },
    };
    const clock = createVirtualClock(0);
    const client = createClient({ url: 'wss://api.example.test/', clock, policy: atOnce, transport });
    holder.client = client;
    await flushPromises();
    expect(dialled).toBe(1);
    // Each retry is a timer of its own (advance(0) would fire the ones set while it runs too).
    for (let i = 1; i <= 3; i++) {
      expect(clock.nextDueAt()).toBe(clock.now());
      expect(clock.runNext()).toBe(true);
      expect(dialled).toBe(i + 1);
    }
    await client.close();
    expect(clock.pending()).toBe(0);
  });
  it('after a refresh hook that rejects at once (refresh "now" after an open connection): no microtask loop', async () => {
    let calls = 0;
    const holder: { client?: { close(): unknown } } = {};
    const h = harness({
      policy: {
        preset: 'none',
        rules: [{ codes: [4001], action: 'refresh', backoff: { type: 'constant', delayMs: 0 } }],
      },
      refresh: async () => {
        if (++calls > 100) void holder.client?.close(); // as above
        throw new Error('token service down');
      },
    });
    holder.client = h.client;
    h.transport.last().accept();
    h.transport.last().serverClose(4001, 'token expired');
    await flushPromises();
    // The hook ran once; deciding again on its failure waits for a 0 ms timer, as a failed attempt does.
    expect(calls).toBe(1);
    h.clock.advance(0);
    await flushPromises();
    expect(calls).toBe(2);
    await h.client.close();
  });
});
