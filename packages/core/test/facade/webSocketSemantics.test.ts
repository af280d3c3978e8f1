import type { ResockCloseEvent } from '@resock/core';
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { nextClose, socket } from './facadeHarness';

/** Where the WHATWG WebSocket spec fixes readyState, events and url, the facade follows it. */
describe('ReconnectingWebSocket, as the WebSocket spec has it', () => {
  it('is CLOSED inside an error listener of a connection that failed', () => {
    // WHATWG "the WebSocket connection is closed": 1. set readyState to CLOSED, 2. fire `error`
    // (if failed), 3. fire `close`. So an error listener sees CLOSED, as a close listener does.
    const { ws, transport } = socket();
    const states: number[] = [];
    ws.onerror = () => states.push(ws.readyState);
    transport.last().fail();
    expect(states).toEqual([ws.CLOSED]);
  });

  it('close() from an error listener ends quietly: one close event for the failed connection', async () => {
    // The very common `ws.onerror = () => ws.close()`: on a real WebSocket the connection is
    // already closed when `error` fires (readyState CLOSED), so close() does nothing and exactly
    // one `close` follows. The README: "close() from a close listener or on a CLOSED socket says
    // nothing more" — an error listener runs on that same CLOSED socket.
    const { ws, transport, seen } = socket();
    const closes: Array<[number, boolean]> = [];
    ws.onerror = () => ws.close();
    ws.onclose = (event) => closes.push([event.code, event.wasClean]);
    transport.last().accept();
    transport.last().drop(new Error('a frame the protocol forbids')); // the platform failed it
    await nextClose(ws);
    expect(seen).toEqual(['open', 'error', 'close']);
    expect(closes).toEqual([[1006, false]]);
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('an open connection the network drops: close 1006 and no error, as in Chromium', () => {
    // WHATWG fires `error` only when the connection failed; measured in Chromium: a TCP drop or
    // reset after open is a plain close 1006.
    const { transport, seen } = socket();
    transport.last().accept();
    transport.last().drop();
    expect(seen).toEqual(['open', 'close']);
  });

  it('an open connection resock finds dead (heartbeat): error, then close 1006', async () => {
    const { ws, transport, clock, seen } = socket({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    transport.last().accept();
    transport.last().goSilent();
    clock.advance(1500);
    await nextClose(ws);
    expect(seen).toEqual(['open', 'error', 'close']);
  });

  it('a microtask an error listener queues runs before close, as error and close are two steps natively', async () => {
    const { ws, transport } = socket();
    const order: string[] = [];
    ws.onerror = () => {
      order.push('error');
      queueMicrotask(() => order.push(`microtask (readyState ${ws.readyState})`));
    };
    ws.onclose = () => order.push('close');
    transport.last().fail();
    await nextClose(ws);
    expect(order).toEqual(['error', 'microtask (readyState 3)', 'close']);
  });

  it('is CLOSING right after close() called from an open listener', () => {
    // WHATWG close(): "Otherwise ... set this's ready state to CLOSING" — synchronously, in
    // whatever code calls it (here, an open listener).
    const { ws, transport } = socket();
    const states: number[] = [];
    ws.onopen = () => {
      ws.close(4000, 'no thanks');
      states.push(ws.readyState);
    };
    transport.last().accept();
    expect(states).toEqual([ws.CLOSING]);
  });

  it('discards a send() made after close() in an open listener', () => {
    // WHATWG send(): once readyState is CLOSING/CLOSED the data is not transmitted (the README:
    // "once CLOSING or CLOSED [send] discards"). Here the message goes out after our close().
    const { ws, transport } = socket();
    ws.onopen = () => {
      ws.close(4000, 'no thanks');
      ws.send('after close()');
    };
    transport.last().accept();
    expect(transport.connections[0]?.sent).toEqual([]);
  });

  it('fires no second close event when the signal aborts after the socket is already CLOSED', () => {
    // A CLOSED WebSocket never fires another `close` (WHATWG: close() on CLOSED does nothing;
    // the README: "close() ... on a CLOSED socket says nothing more"). The `signal` option "closes
    // the client when aborted" — i.e. it is a close(); after the policy stopped it must be silent.
    const controller = new AbortController();
    const { ws, transport } = socket({ signal: controller.signal });
    const closes: Array<[number, boolean]> = [];
    ws.onclose = (event: ResockCloseEvent) => closes.push([event.code, event.wasClean]);
    transport.last().accept();
    transport.last().serverClose(1000, 'bye'); // the default policy stops on 1000: CLOSED
    expect(ws.readyState).toBe(ws.CLOSED);
    controller.abort(); // e.g. a component's cleanup, later
    expect(closes).toEqual([[1000, true]]);
  });

  it('reports url as the parsed (serialized) URL, as a WebSocket does', () => {
    // WHATWG: the url getter returns the serialization of the URL parsed by the constructor
    // (MDN: "the absolute URL of the WebSocket as resolved by the constructor").
    // new WebSocket('wss://Chat.Example.test').url === 'wss://chat.example.test/'
    const { ws } = socket({ url: 'wss://Chat.Example.test' });
    expect(ws.url).toBe('wss://chat.example.test/');
  });

  it('fails a lazy socket closed before it started: error, then close 1006', async () => {
    // readyState is CONNECTING until the first send; a WebSocket closed while CONNECTING fails.
    const { ws, transport, seen } = socket({ lazy: true });
    const codes: number[] = [];
    ws.addEventListener('close', (event) => codes.push(event.code));
    expect(ws.readyState).toBe(ws.CONNECTING);
    ws.close();
    await nextClose(ws);
    expect(seen).toEqual(['error', 'close']);
    expect(codes).toEqual([1006]);
    expect(transport.connections).toEqual([]);
  });

  it.each([
    [1000.4, 1000],
    [4000.5, 4000], // [Clamp] rounds half to even
    [4001.5, 4002],
    ['4003', 4003],
  ])('converts close(%j) as WebIDL does: it closes with %i', (code, expected) => {
    const { ws, transport } = socket();
    transport.last().accept();
    ws.close(code as number);
    expect(transport.connections[0]?.closeCall).toEqual({ code: expected, reason: '' });
  });

  it('converts the reason to a string as WebIDL does, and still refuses what a browser refuses', () => {
    const { ws, transport } = socket();
    transport.last().accept();
    expect(() => ws.close(Number.NaN)).toThrow(/code/); // NaN is 0
    expect(() => ws.close(70_000)).toThrow(/code/); // clamped to 65535
    expect(() => ws.close(4000, Symbol('x') as unknown as string)).toThrow(TypeError);
    expect(ws.readyState).toBe(ws.OPEN); // nothing refused reached the socket
    ws.close(4000, 42 as unknown as string);
    expect(transport.connections[0]?.closeCall).toEqual({ code: 4000, reason: '42' });
  });

  it('refuses close(null) as a browser does (WebIDL makes it 0), instead of sending 1000', () => {
    const { ws } = socket();
    expect(() => ws.close(null as unknown as number)).toThrow(/code/);
    expect(ws.readyState).toBe(ws.CONNECTING);
  });

  it('fires no second close event when the signal aborts after the policy stopped on failed refreshes', async () => {
    // The client fails here without a close event of its own (the policy decides again after
    // each failed refresh and stops on maxAttempts): still CLOSED, still silent.
    const controller = new AbortController();
    const { ws, transport, clock } = socket({
      signal: controller.signal,
      refresh: () => Promise.reject(new Error('token service down')),
      policy: { maxAttempts: 2 },
    });
    const closes: number[] = [];
    ws.onclose = (event: ResockCloseEvent) => closes.push(event.code);
    transport.last().accept();
    transport.last().serverClose(3000, 'token expired'); // default: refresh
    for (let i = 0; i < 60 && ws.client.state !== 'failed'; i++) await clock.advanceAsync(1000);
    expect(ws.client.state).toBe('failed');
    expect(ws.readyState).toBe(ws.CLOSED);
    controller.abort(); // e.g. a component's cleanup, later
    expect(closes).toEqual([3000]);
  });

  it('close() without arguments sends a close frame without a status, and hears 1005, as a WebSocket', async () => {
    // WHATWG close(): no code, no reason — the frame carries no status; the server (ws echoes
    // it) and the page's close event both say 1005 (measured in Chromium).
    const { ws, transport } = socket();
    const closes: Array<[number, boolean]> = [];
    ws.onclose = (event: ResockCloseEvent) => closes.push([event.code, event.wasClean]);
    transport.last().accept();
    ws.close();
    expect(transport.last().closeCall).toEqual({});
    await nextClose(ws);
    expect(closes).toEqual([[1005, true]]);
    expect(ws.client.lastClose?.code).toBe(1005);
  });

  it('close(undefined, reason) sends 1000 with the reason (a reason needs a code)', () => {
    const { ws, transport } = socket();
    transport.last().accept();
    ws.close(undefined, 'bye');
    expect(transport.last().closeCall).toEqual({ code: 1000, reason: 'bye' });
  });

  it("the typed client's close() still says 1000 (a normal closure the server can read)", async () => {
    const { ws, transport } = socket();
    transport.last().accept();
    const record = await ws.client.close();
    expect(transport.last().closeCall).toEqual({ code: 1000, reason: '' });
    expect(record.code).toBe(1000);
  });

  it('close() without a code between attempts: the event says 1006 (CONNECTING), the record 1005, never a code nobody sent', async () => {
    const { ws, transport } = socket();
    transport.last().fail(); // waiting for the retry: nothing in flight
    await nextClose(ws); // that attempt's own close
    const closes: number[] = [];
    ws.onclose = (event: ResockCloseEvent) => closes.push(event.code);
    ws.close();
    await nextClose(ws);
    expect(closes).toEqual([1006]);
    expect(ws.client.lastClose).toMatchObject({ code: 1005, initiator: 'client', synthetic: true });
  });

  it("a message event's origin is the socket URL's, also when its path holds an @", () => {
    // `url` is redacted like every URL resock reports, and one with an `@` in its path keeps no
    // host there (it may end a credential); the origin, scheme, host and port, is no secret.
    const { ws, transport } = socket({ url: 'https://social.example.test/users/@alice/stream' });
    transport.last().accept();
    const origins: string[] = [];
    ws.onmessage = (event) => origins.push(event.origin);
    transport.last().deliver('hello');
    expect(origins).toEqual(['wss://social.example.test']);
  });

  it.each([
    ['close()', [], 1006],
    ['close(4000, reason)', [4000, 'leaving'], 1006],
  ] as Array<[string, [number?, string?], number]>)(
    '%s before a first attempt held while offline fails it: error, then close 1006',
    async (_label, args, code) => {
      // WHATWG: close() while CONNECTING fails the connection; so does a WebSocket made offline
      // (browser-truth.md §5). Held back, the first attempt has not started: it is CONNECTING.
      const { ws, seen, transport } = socket({ environment: createFakeEnvironment({ online: false }) });
      expect({ dialed: transport.connections.length, state: ws.readyState }).toEqual({ dialed: 0, state: 0 });
      const closed = nextClose(ws);
      ws.close(...args);
      expect(ws.readyState).toBe(ws.CLOSING);
      expect(await closed).toMatchObject({ code, wasClean: false });
      expect(seen).toEqual(['error', 'close']);
    },
  );
});
