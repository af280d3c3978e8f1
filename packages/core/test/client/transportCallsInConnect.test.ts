// A transport may call back from inside connect(): an in-memory or loopback transport opens at
// once and a server may greet at once; a hand-written one may know at once that the port is
// blocked. The first connect() runs inside createClient, so what it reports then is heard a
// microtask later, by listeners the app attaches right after; and a message that arrives with
// the open is heard after it, as from any WebSocket.
import type { ReconnectingEvent, Transport, TransportHandlers } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('during createClient: every layer of the client exists by the first connect()', () => {
  // It once hit a field not yet set, reported as "transport.connect threw".
  it('opens, and what is sent goes out', async () => {
    const sent: unknown[] = [];
    const transport: Transport = {
      connect(_request, handlers) {
        handlers.onOpen({ protocol: '', extensions: '' });
        return { send: (data) => void sent.push(data), close() {} };
      },
    };
    const h = harness({ transport });
    await Promise.resolve();
    expect(h.of('error')).toEqual([]);
    expect(h.client.state).toBe('open');
    expect(h.client.send('hi')).toBe('sent');
    expect(sent).toEqual(['hi']);
  });
});

describe('during createClient: listeners attached right after it hear what happened', () => {
  it('a listener attached right after createClient hears the open of a transport that opens inside connect()', async () => {
    const transport: Transport = {
      connect(_request, handlers) {
        handlers.onOpen({ protocol: '', extensions: '' }); // a loopback / in-memory transport
        return { send() {}, close() {} };
      },
    };
    const h = harness({ transport }); // attaches its listeners right after createClient
    await Promise.resolve();
    expect(h.client.state).toBe('open');
    // An `on('open', subscribe)` runs, and so does the facade's onopen (its listeners come after too).
    expect(h.names()).toContain('open');
  });

  it('a listener attached right after createClient hears the close and reconnecting of a first attempt refused inside connect()', async () => {
    const transport: Transport = {
      connect(_request, handlers) {
        // A hand-written transport that knows at once the port is blocked.
        handlers.onError(new Error('blocked'));
        handlers.onClose({ code: 1006, reason: '', wasClean: false });
        return { send() {}, close() {} };
      },
    };
    const h = harness({ transport });
    // Heard a microtask after createClient: awaited as an event, not a timer.
    if (!h.names().includes('reconnecting')) await new Promise((resolve) => h.client.once('reconnecting', resolve));
    expect(h.client.state).toBe('waiting');
    expect(h.names()).toEqual(expect.arrayContaining(['close', 'reconnecting']));
  });
});

describe('a transport that opens and delivers from inside connect()', () => {
  it('emits the message after open, not before', () => {
    let attempts = 0;
    const fake = createFakeTransport();
    const transport: Transport = {
      connect(request, handlers) {
        if (++attempts === 1) return fake.connect(request, handlers);
        handlers.onOpen({ protocol: '', extensions: '' });
        handlers.onMessage('welcome'); // a server that greets at once
        return { send() {}, close() {} };
      },
    };
    const h = harness({ transport });
    fake.last().fail();
    let stateAtMessage: string | undefined;
    h.client.on('message', () => {
      stateAtMessage = h.client.state;
    });
    h.clock.runNext(); // the retry: connect() opens and delivers inside the call
    const names = h.names().filter((name) => name === 'open' || name === 'message');
    expect(names).toEqual(['open', 'message']);
    expect(stateAtMessage).toBe('open');
  });

  it('lets isReady see a welcome message delivered that way (the connection is stable by it)', () => {
    // The same message also comes before inbound.connectionOpened(): isReady never sees it.
    let attempts = 0;
    let greeting: TransportHandlers | undefined;
    const fake = createFakeTransport();
    const transport: Transport = {
      connect(request, handlers) {
        if (++attempts <= 3) return fake.connect(request, handlers);
        greeting = handlers;
        handlers.onOpen({ protocol: '', extensions: '' });
        handlers.onMessage('welcome');
        return { send() {}, close() {} };
      },
    };
    const h = harness({ transport, random: () => 0.999, stableAfterMs: 60_000, isReady: (m) => m === 'welcome' });
    for (let i = 0; i < 3; i++) {
      fake.last().fail();
      h.clock.runNext();
    }
    expect(h.client.state).toBe('open');
    h.clock.advance(1000);
    greeting?.onClose({ code: 1006, reason: '', wasClean: false });
    // isReady accepted 'welcome': the outage was over, so this drop is attempt 1 again.
    expect(h.of<ReconnectingEvent>('reconnecting').at(-1)).toMatchObject({ attempt: 1 });
  });
});
