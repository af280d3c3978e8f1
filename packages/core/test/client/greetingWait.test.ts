import type { Transport, TransportHandlers } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const isAck = (data: unknown) => data === 'ack';

/** An in-memory transport that opens inside connect() (as the README allows), every time. */
function loopback(answer: (data: unknown, h: TransportHandlers) => void = () => {}) {
  const sent: unknown[][] = [];
  const transport: Transport = {
    connect(_request, handlers) {
      const mine: unknown[] = [];
      sent.push(mine);
      handlers.onOpen({ protocol: '', extensions: '' });
      return {
        send(data) {
          mine.push(data);
          answer(data, handlers);
        },
        close(code, reason) {
          handlers.onClose({ code: code ?? 1005, reason: reason ?? '', wasClean: true });
        },
      };
    },
  };
  return { transport, sent };
}

describe('greeting with a transport that opens inside connect()', () => {
  it('a transport that opens inside connect() opens again after reconnect() (greeting without isAccepted)', async () => {
    const { transport, sent } = loopback();
    const h = harness({ transport, greeting: { message: 'auth' } });
    await Promise.resolve();
    expect(h.client.state).toBe('open');
    h.client.reconnect();
    await Promise.resolve();
    expect(sent[1]).toEqual(['auth']);
    expect(h.client.state).toBe('open');
  });
});

describe('greeting on an open socket', () => {
  it('a transport that opens inside connect(): the greeting and the open also on a retry (isAccepted)', async () => {
    const { transport, sent } = loopback((data, handlers) => {
      if (data === 'init') handlers.onMessage('ack');
    });
    const h = harness({
      transport,
      greeting: { message: 'init', isAccepted: isAck },
      policy: { backoff: { type: 'constant', delayMs: 10 } },
      connectTimeoutMs: 5000,
    });
    await Promise.resolve();
    expect(h.client.state).toBe('open');
    h.client.reconnect();
    await Promise.resolve();
    expect(sent[1]).toEqual(['init']);
    h.clock.advance(5000);
    // Only the reconnect()'s own record: no connect timeout on the second connection.
    expect(h.of('close')).toHaveLength(1);
    expect(h.client.state).toBe('open');
  });

  it("a server's close frame refusing the greeting is recorded as the server's (initiator 'server')", () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    h.transport.last().accept();
    h.transport.last().serverClose(4403, 'Forbidden');
    expect(h.of('close')).toMatchObject([{ code: 4403, phase: 'connecting', wasClean: true, initiator: 'server' }]);
  });

  it('a server\'s close reason retry hint ({"retryAfter":120}) counts while the acceptance is awaited', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    h.transport.last().accept();
    // The server is overloaded and says when to come back, before accepting the init.
    h.transport.last().serverClose(1013, '{"retryAfter":120}');
    const [reconnecting] = h.of<{ delayMs: number }>('reconnecting');
    expect(reconnecting?.delayMs).toBeGreaterThanOrEqual(120_000);
  });

  it('the same close once open honours the hint, as while the acceptance is awaited', () => {
    const h = harness({});
    h.transport.last().accept();
    h.transport.last().serverClose(1013, '{"retryAfter":120}');
    const [reconnecting] = h.of<{ delayMs: number }>('reconnecting');
    expect(reconnecting?.delayMs).toBeGreaterThanOrEqual(120_000);
  });

  it("the app's close() while the acceptance is awaited sends its close frame (the socket is open)", async () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    const conn = h.transport.last();
    conn.accept();
    const done = h.client.close(4000, 'bye');
    // The WebSocket is open on the wire: the server should hear 4000 'bye', not a cut TCP link.
    expect(conn.closeCall).toEqual({ code: 4000, reason: 'bye' });
    await done;
  });

  it('a builder that returns undefined (a token not there yet) fails the attempt, as one returning 42 does', () => {
    let token: string | undefined;
    const h = harness({ greeting: { message: () => token as never } });
    h.client.send('secret work');
    h.transport.last().accept();
    // Without the auth frame, queued work went to the server unauthenticated.
    expect(h.transport.last().sent).not.toEqual(['secret work']);
    expect(h.client.state).not.toBe('open');
  });
});

describe('greeting and a transport calling back from inside send()', () => {
  it("a close reported inside the greeting's send() is acted on once send() has returned, as the README promises", async () => {
    let inSend = false;
    const transport: Transport = {
      connect(_request, handlers) {
        queueMicrotask(() => handlers.onOpen({ protocol: '', extensions: '' }));
        return {
          send() {
            inSend = true;
            // An in-memory server that refuses the auth frame at once.
            handlers.onClose({ code: 4403, reason: 'Forbidden', wasClean: true });
            inSend = false;
          },
          close() {},
        };
      },
    };
    const h = harness({ transport, greeting: { message: 'auth', isAccepted: isAck } });
    const heardInsideSend: boolean[] = [];
    h.client.on('close', () => heardInsideSend.push(inSend));
    await Promise.resolve();
    await Promise.resolve();
    expect(heardInsideSend).toEqual([false]);
  });
});

describe('greeting state across connections', () => {
  it("a connection the server refuses inside its greeting's write leaves the next one's wait intact", async () => {
    // An in-memory server that refuses the first auth frame at once (inside send()); the policy
    // retries at once and the next connection opens a task later.
    const all: TransportHandlers[] = [];
    const sent: unknown[][] = [];
    const transport: Transport = {
      connect(_request, handlers) {
        const n = all.push(handlers) - 1;
        sent.push([]);
        queueMicrotask(() => handlers.onOpen({ protocol: '', extensions: '' }));
        return {
          send(data) {
            sent[n]?.push(data);
            if (n === 0 && data === 'auth') handlers.onClose({ code: 4000, reason: 'again', wasClean: true });
          },
          close() {},
        };
      },
    };
    const h = harness({
      transport,
      greeting: { message: () => ['auth', 'subscribe'], isAccepted: isAck },
      policy: { rules: [{ codes: [4000], action: 'retry', backoff: { type: 'constant', delayMs: 0 } }] },
      connectTimeoutMs: 5000,
    });
    await Promise.resolve();
    h.clock.advance(0); // a retry "now" after a failed attempt is a 0 ms timer
    await Promise.resolve();
    expect(sent).toEqual([['auth'], ['auth', 'subscribe']]);
    all[1]?.onMessage('ack');
    expect(h.client.state).toBe('open');
  });
});
