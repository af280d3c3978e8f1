// The greeting's wait ended early: by the app's close(), a builder with nothing to say, app code
// in isAccepted, a socket whose close has begun.
import { ReconnectingWebSocket } from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const isAck = (data: unknown) => data === 'ack';

describe('close() while the acceptance is awaited', () => {
  it('no message is heard from a connection that never opened (nothing came before the close)', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
    const conn = h.transport.last();
    conn.accept();
    conn.goSilent(); // the server answers the close frame only later (closeTimeoutMs)
    void h.client.close();
    expect(h.client.state).toBe('closing');
    conn.deliver('ack'); // the acceptance crosses the close frame
    conn.deliver('data');
    expect(h.of('open')).toEqual([]);
    // Heard as messages of a connection the app was never told opened.
    expect(h.of('message')).toEqual([]);
  });

  it('…and the same whether or not something came before the close (it is not heard then)', () => {
    const run = (before: boolean) => {
      const h = harness({ greeting: { message: 'init', isAccepted: isAck } });
      const conn = h.transport.last();
      conn.accept();
      conn.goSilent();
      if (before) conn.deliver('hello');
      void h.client.close();
      conn.deliver('ack');
      return h.of('message');
    };
    expect(run(false)).toEqual(run(true));
  });
});

describe("the facade's close() while the acceptance is awaited", () => {
  it('is told as a failed connection: code 1006 and wasClean false, as a WebSocket closed while CONNECTING', async () => {
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket('wss://x.test/', undefined, {
      transport,
      greeting: { message: 'init', isAccepted: isAck },
    });
    const seen: Array<{ code: number; wasClean: boolean }> = [];
    const errors: string[] = [];
    ws.onclose = (e) => seen.push({ code: e.code, wasClean: e.wasClean });
    ws.onerror = () => errors.push('error');
    await Promise.resolve();
    transport.last().accept();
    expect(ws.readyState).toBe(ws.CONNECTING);
    ws.close(); // the server echoes the close frame (clean on the wire)
    for (let i = 0; i < 5; i++) await Promise.resolve();
    expect(errors).toEqual(['error']);
    // A close event says 1006 (abnormal: no close frame) and wasClean true at once.
    expect(seen).toEqual([{ code: 1006, wasClean: false }]);
  });
});

describe('a greeting builder that says nothing', () => {
  it('an empty list (no token yet) fails the attempt, as undefined does: queued work never goes out unannounced', () => {
    let token: string | undefined;
    const h = harness({ greeting: { message: () => (token ? [`auth ${token}`] : []) } });
    h.client.send('secret work');
    h.transport.last().accept();
    // The README: "A builder that throws or returns no message … fail the attempt".
    expect(h.transport.last().sent).not.toContain('secret work');
    expect(h.client.state).not.toBe('open');
  });
});

describe('app code in isAccepted that replaces the connection', () => {
  it("an acceptance told for a connection let go of does not clear the next connection's wait", () => {
    // Connection 1 is driven by the test; the next ones open inside connect() (an in-memory server).
    const handlers: import('@resock/core').TransportHandlers[] = [];
    const transport: import('@resock/core').Transport = {
      connect(_request, h) {
        handlers.push(h);
        if (handlers.length > 1) h.onOpen({ protocol: '', extensions: '' });
        return { send() {}, close() {} };
      },
    };
    let once = true;
    const h = harness({
      transport,
      greeting: {
        message: 'init',
        // Recognizes the ack; on the first one, the app moves to a fresh connection (say a new
        // token arrived) — a reconnect() from inside its own code.
        isAccepted: (data) => {
          if (data === 'ack' && once) {
            once = false;
            h.client.reconnect();
          }
          return data === 'ack';
        },
      },
      connectTimeoutMs: 5000,
    });
    handlers[0]?.onOpen({ protocol: '', extensions: '' });
    handlers[0]?.onMessage('ack'); // reconnect(): connection 2 opens and greets inside it
    expect(handlers).toHaveLength(2);
    handlers[1]?.onMessage('ack'); // the server accepts connection 2's greeting
    expect(h.client.state).toBe('open');
  });
});

describe('a socket that refuses the greeting (its close has begun) while the acceptance is awaited', () => {
  it('is let go after closeTimeoutMs, as an open socket that refuses a send is, not after connectTimeoutMs', () => {
    const h = harness({
      greeting: { message: 'init', isAccepted: isAck },
      connectTimeoutMs: 60_000, // a slow auth service: a long connect deadline
      closeTimeoutMs: 3000,
    });
    const conn = h.transport.last();
    // The server sent its close frame at once and holds TCP (undici then never reports the close).
    conn.refuseSends();
    conn.accept(); // the greeting's write is refused
    expect(conn.sent).toEqual([]);
    h.clock.advance(3000);
    // sendFailed is ignored in `connecting`: the client sits on the dead socket for 60 s.
    expect(h.client.state).not.toBe('connecting');
  });
});
