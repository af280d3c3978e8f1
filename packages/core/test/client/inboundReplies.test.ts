// Arrival order of inbound messages when a transport calls back from inside send() (README:
// "It may call its handlers from inside connect() or send() … the client acts on them once the
// call is done, in order"): around the offline probe's answer, and across a reconnect.
import type { Transport, TransportHandlers } from '@resock/core';
import { createFakeEnvironment, createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** The fake transport (no automatic pong), except that every write is answered from inside send(). */
function loopback() {
  const fake = createFakeTransport({ autoPong: false });
  const transport: Transport = {
    connect(request, handlers) {
      const platform = fake.connect(request, handlers);
      const conn = fake.last();
      return {
        send: (data) => {
          platform.send(data);
          conn.deliver(`reply to ${String(data)}`);
        },
        close: (code, reason) => platform.close(code, reason),
        terminate: () => platform.terminate?.(),
        ping: () => platform.ping?.(),
      };
    },
  };
  return { fake, transport };
}

describe('a server message that answers the offline probe', () => {
  // The device went offline: the probe is out and sends wait. The server's next message proves
  // the link alive, so what waited is flushed — from inside received(), before that message is
  // handed to the pipeline. The loopback's reply to the flushed write is replayed when the
  // flush's sending section ends: still before the message that caused the flush.
  it('is heard before the reply to a send it released (the reply arrived after it)', () => {
    const environment = createFakeEnvironment();
    const { fake, transport } = loopback();
    const h = harness({ environment, transport, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } });
    fake.last().accept();
    environment.emit('offline');
    expect(fake.last().pings).toBe(1); // the probe is out
    expect(h.client.send('a')).toBe('queued'); // held for the probe's answer
    fake.last().deliver('server news'); // arrives first; its arrival lets 'a' out
    expect(fake.last().sent).toEqual(['a']);

    expect(h.of('message')).toEqual(['server news', 'reply to a']);
  });

  it('same with an isReady pipeline (no schema)', () => {
    const environment = createFakeEnvironment();
    const { fake, transport } = loopback();
    const h = harness({
      environment,
      transport,
      isReady: () => false,
      heartbeat: { intervalMs: 30_000, timeoutMs: 2000 },
    });
    fake.last().accept();
    environment.emit('offline');
    h.client.send('a');
    fake.last().deliver('server news');
    expect(h.of('message')).toEqual(['server news', 'reply to a']);
  });
});

/**
 * Connection 1: the fake, answering every write from inside send(), refusing writes after
 * `refuseAfter(n)`. Every later connection: an in-memory server that opens and says "welcome"
 * from inside connect().
 */
function replyThenGreeting() {
  const fake = createFakeTransport();
  let attempts = 0;
  let writesLeft = Number.POSITIVE_INFINITY;
  const transport: Transport = {
    connect(request, handlers: TransportHandlers) {
      if (++attempts === 1) {
        const platform = fake.connect(request, handlers);
        const conn = fake.last();
        return {
          send: (data) => {
            if (writesLeft-- <= 0) throw new Error('the socket is closing');
            platform.send(data);
            conn.deliver(`reply to ${String(data)}`);
          },
          close: (code, reason) => platform.close(code, reason),
          terminate: () => platform.terminate?.(),
        };
      }
      handlers.onOpen({ protocol: '', extensions: '' });
      handlers.onMessage('welcome');
      return { send() {}, close() {} };
    },
  };
  return { fake, transport, refuseAfter: (n: number) => (writesLeft = n) };
}

describe('a message held during a write, when a listener in that write reconnects to a server that greets at once', () => {
  // The set-up of reentrantTransport.test.ts ("a reply that arrived before a dropped-listener's
  // reconnect() still reaches the app"), with a second server that opens and greets from inside
  // connect(). "reply to a" arrived on connection 1 before reconnect() was even called, so before
  // "welcome": it is heard before connection 2's `open` and "welcome", and is no ready message of
  // connection 2.
  function run(isReady?: (m: string | ArrayBuffer | Uint8Array, opens: number) => boolean) {
    const t = replyThenGreeting();
    let opens = 0;
    const h = harness({
      transport: t.transport,
      ...(isReady ? { isReady: (m: string | ArrayBuffer | Uint8Array) => isReady(m, opens) } : {}),
      queue: { maxMessages: 100, maxBytes: 10, overflow: 'drop-newest' },
    });
    h.client.on('open', () => {
      opens += 1;
    });
    t.fake.last().accept();
    t.fake.last().refuseSends();
    h.client.send('a');
    h.client.send('x');
    t.fake.last().refuseSends(false);
    t.refuseAfter(1); // a goes (answered inside its write), then x is refused
    h.client.once('dropped', () => h.client.reconnect());
    expect(h.client.send('b'.repeat(20))).toBe('dropped');
    expect(h.client.state).toBe('open');
    return h;
  }

  const trace = (h: ReturnType<typeof harness>) =>
    h.events
      .filter((e) => e.name === 'open' || e.name === 'message')
      .map((e) => `${e.name}:${e.name === 'open' ? '' : String(e.payload)}`);

  it('the old connection’s reply is heard before the new connection’s open and its welcome', () => {
    const h = run();

    expect(trace(h)).toEqual(['open:', 'message:reply to a', 'open:', 'message:welcome']);
  });

  it('…and is not offered to isReady as a candidate for the new connection', () => {
    const seen: string[] = [];
    run((m, opens) => {
      seen.push(`${opens}:${String(m)}`);
      return false;
    });
    // The reply belongs to connection 1 (offered, if at all, while 1 open was heard);

    expect(seen).toEqual(['1:reply to a', '2:welcome']);
  });
});
