// A transport that opens and greets from inside connect() (an in-memory server): the greeting is
// heard after the open and before anything sent in reply to the app's own sends, on the first
// connection (during createClient) as on a retry, and even when an open listener lets that
// connection go at once — as a WebSocket delivers what its server sent, in order.
import type { Transport, TransportHandlers } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/**
 * An in-memory loopback: opens and greets from inside connect() (from attempt `from` on; the
 * earlier attempts go to a fake transport the test fails), and answers every write from inside
 * send(), as an in-memory server does.
 */
function greetingLoopback(from = 1) {
  const fake = createFakeTransport();
  let attempts = 0;
  const transport: Transport = {
    connect(request, handlers: TransportHandlers) {
      if (++attempts < from) return fake.connect(request, handlers);
      handlers.onOpen({ protocol: '', extensions: '' });
      handlers.onMessage('welcome');
      return {
        send: (data) => handlers.onMessage(`reply to ${String(data)}`),
        close() {},
      };
    },
  };
  return { fake, transport };
}

describe('a message that came with the open is not overtaken by a later reply', () => {
  it('first connect (during createClient): a reply to the open listener’s send does not overtake "welcome"', async () => {
    const { transport } = greetingLoopback();
    const h = harness({ transport });
    h.client.on('open', () => void h.client.send('hi'));
    await Promise.resolve();
    await Promise.resolve();
    // The server said "welcome" before it ever saw "hi".
    expect(h.of('message')).toEqual(['welcome', 'reply to hi']);
  });

  it('a retry (beforeOpen): a reply to the open listener’s send does not overtake "welcome"', () => {
    const { fake, transport } = greetingLoopback(2);
    const h = harness({ transport });
    h.client.on('open', () => void h.client.send('hi'));
    fake.last().fail();
    h.clock.runNext(); // the retry: connect() opens and greets inside the call
    expect(h.client.state).toBe('open');
    expect(h.of('message')).toEqual(['welcome', 'reply to hi']);
  });

  it('a retry (beforeOpen): the reply to a queued message flushed at open does not overtake "welcome"', () => {
    const { fake, transport } = greetingLoopback(2);
    const h = harness({ transport });
    fake.last().fail();
    expect(h.client.send('queued')).toBe('queued');
    h.clock.runNext();
    expect(h.client.state).toBe('open');
    // Before 9123a5d these two came in this order (though "welcome" came before the open).
    expect(h.of('message')).toEqual(['welcome', 'reply to queued']);
  });

  it('first connect: a message sent right after createClient is flushed at open, its reply after "welcome"', async () => {
    const { transport } = greetingLoopback();
    const h = harness({ transport });
    h.client.send('early'); // still 'connecting' until the replay
    await Promise.resolve();
    await Promise.resolve();
    expect(h.of('message')).toEqual(['welcome', 'reply to early']);
  });
});

function greeting(from = 1) {
  const fake = createFakeTransport();
  let attempts = 0;
  const transport: Transport = {
    connect(request, handlers) {
      const n = ++attempts;
      if (n < from) return fake.connect(request, handlers);
      handlers.onOpen({ protocol: '', extensions: '' });
      handlers.onMessage(`welcome ${n}`);
      return { send() {}, close() {} };
    },
  };
  return { fake, transport };
}

describe('an open listener that calls reconnect() still hears the message that came with that open', () => {
  it('a retry (beforeOpen): heard (the reference behaviour)', () => {
    const { fake, transport } = greeting(2);
    const h = harness({ transport });
    let first = true;
    h.client.on('open', () => {
      if (first) h.client.reconnect();
      first = false;
    });
    fake.last().fail();
    h.clock.runNext();
    expect(h.of('message')).toEqual(['welcome 2', 'welcome 3']);
  });

  it('the first connection (early replay during createClient): heard too', async () => {
    const { transport } = greeting();
    const h = harness({ transport });
    let first = true;
    h.client.on('open', () => {
      if (first) h.client.reconnect();
      first = false;
    });
    await Promise.resolve();
    await Promise.resolve();
    expect(h.of('open')).toHaveLength(2);
    // Fails: ['welcome 2'] — "welcome 1" came while connection 1 was current and its open was
    // heard, but the replay reaches it only after the reconnect() has let connection 1 go.
    expect(h.of('message')).toEqual(['welcome 1', 'welcome 2']);
  });
});
