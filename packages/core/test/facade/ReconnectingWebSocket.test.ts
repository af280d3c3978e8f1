import { runInNewContext } from 'node:vm';
import {
  InvalidCloseCodeError,
  InvalidMessageError,
  ReconnectingWebSocket,
  type ResockCloseEvent,
  type ResockMessageEvent,
} from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { nextClose, socket } from './facadeHarness';

describe('ReconnectingWebSocket', () => {
  it('has the WebSocket constants and starts CONNECTING', () => {
    const { ws } = socket();
    expect([
      ReconnectingWebSocket.CONNECTING,
      ReconnectingWebSocket.OPEN,
      ReconnectingWebSocket.CLOSING,
      ReconnectingWebSocket.CLOSED,
    ]).toEqual([0, 1, 2, 3]);
    expect(ws.OPEN).toBe(1);
    expect(ws.readyState).toBe(ws.CONNECTING);
    expect(ws).toBeInstanceOf(EventTarget);
  });

  it('works as the MDN close-event example uses a WebSocket: addEventListener and onclose', () => {
    const { ws, transport } = socket();
    const viaListener: Array<[number, string, boolean]> = [];
    const viaHandler: Array<[number, string, boolean]> = [];
    ws.addEventListener('close', (event) => {
      const { code, reason, wasClean } = event;
      viaListener.push([code, reason, wasClean]);
    });
    ws.onclose = (event) => viaHandler.push([event.code, event.reason, event.wasClean]);
    transport.last().accept();
    expect(ws.readyState).toBe(ws.OPEN);
    transport.last().serverClose(4001, 'token expired: é');
    expect(viaListener).toEqual([[4001, 'token expired: é', true]]);
    expect(viaHandler).toEqual(viaListener);
  });

  it('carries the CloseRecord on every close event, one per connection that ends', () => {
    const { ws, transport, clock } = socket();
    const records: unknown[] = [];
    ws.onclose = (event) => records.push(event.record);
    transport.last().accept();
    transport.last().drop();
    clock.runNext();
    transport.last().accept();
    transport.last().serverClose(1000, 'bye');
    expect(records).toMatchObject([
      { code: 1006, initiator: 'transport' },
      { code: 1000, initiator: 'server' },
    ]);
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('fires error before close for a connection that failed, as a WebSocket does', async () => {
    const { ws, transport, seen } = socket();
    transport.last().fail();
    await nextClose(ws);
    expect(seen).toEqual(['error', 'close']);
  });

  it('calls onopen and onmessage, and reports the protocol', () => {
    const { ws, transport } = socket({ protocols: ['v1', 'v2'] });
    const messages: unknown[] = [];
    let opened = false;
    ws.onopen = () => {
      opened = true;
    };
    ws.onmessage = (event: ResockMessageEvent) => messages.push(event.data);
    transport.last().accept({ protocol: 'v2' });
    transport.last().deliver('hello');
    expect(opened).toBe(true);
    expect(ws.protocol).toBe('v2');
    expect(messages).toEqual(['hello']);
    expect(ws.url).toBe('wss://chat.example.test/?token=***');
  });

  it('hands binary data over as binaryType says', async () => {
    const { ws, transport } = socket();
    const messages: unknown[] = [];
    ws.onmessage = (event) => messages.push(event.data);
    transport.last().accept();
    ws.binaryType = 'arraybuffer';
    transport.last().deliver(new Uint8Array([1, 2, 3]).subarray(1));
    ws.binaryType = 'blob';
    transport.last().deliver(new Uint8Array([9]));
    expect(messages[0]).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(messages[0] as ArrayBuffer)]).toEqual([2, 3]);
    expect(messages[1]).toBeInstanceOf(Blob);
    expect(await (messages[1] as Blob).arrayBuffer()).toEqual(new Uint8Array([9]).buffer);
  });

  it('hands binary from another realm (an iframe’s WebSocket) over as binaryType says too', async () => {
    const { ws, transport } = socket();
    const messages: unknown[] = [];
    ws.onmessage = (event) => messages.push(event.data);
    transport.last().accept();
    transport.last().deliver(runInNewContext('new Uint8Array([4, 5]).buffer') as ArrayBuffer);
    expect(messages[0]).toBeInstanceOf(Blob);
    expect(await (messages[0] as Blob).arrayBuffer()).toEqual(new Uint8Array([4, 5]).buffer);
  });

  it('queues sends while not open and counts them in bufferedAmount', () => {
    const { ws, transport } = socket();
    ws.send('queued while connecting');
    expect(ws.bufferedAmount).toBe(23);
    transport.last().accept();
    expect(transport.last().sent).toEqual(['queued while connecting']);
    expect(ws.bufferedAmount).toBe(0);
  });

  it('validates close() like a browser, with resock’s typed error', async () => {
    const { ws } = socket();
    expect(() => ws.close(1001)).toThrow(InvalidCloseCodeError);
    ws.close();
    expect(ws.readyState).toBe(ws.CLOSING);
    await nextClose(ws);
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('goes CLOSING then CLOSED on close() while open', () => {
    const { ws, transport, clock } = socket();
    transport.last().accept();
    transport.last().goSilent();
    ws.close(4000, 'switching user');
    expect(ws.readyState).toBe(ws.CLOSING);
    clock.advance(3000);
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('close() after the policy stopped says nothing more (the socket is already CLOSED)', () => {
    const { ws, transport, seen } = socket();
    const codes: number[] = [];
    ws.onclose = (event) => codes.push(event.code);
    transport.last().accept();
    transport.last().serverClose(1000, 'done'); // the default policy stops on 1000
    expect(ws.readyState).toBe(ws.CLOSED);
    ws.close();
    expect(codes).toEqual([1000]);
    expect(seen).toEqual(['open', 'close']);
    expect(ws.client.state).toBe('closed'); // and the client let go of everything
  });

  it('discards send() once CLOSING or CLOSED, without throwing, as a WebSocket does', () => {
    const { ws, transport } = socket();
    transport.last().accept();
    transport.last().goSilent();
    ws.close();
    expect(ws.readyState).toBe(ws.CLOSING);
    expect(() => ws.send('while closing')).not.toThrow();
    transport.last().serverClose(1000, '');
    expect(ws.readyState).toBe(ws.CLOSED);
    expect(() => ws.send('after close')).not.toThrow();
    expect(transport.last().sent).toEqual([]);
  });

  it('close() before open fails the connection: error, then close 1006, from a task (not inside close())', async () => {
    const { ws, seen } = socket();
    const events: Array<[number, boolean]> = [];
    ws.onclose = (event) => events.push([event.code, event.wasClean]);
    ws.close(4000, 'never mind');
    expect(seen).toEqual([]);
    expect(ws.readyState).toBe(ws.CLOSING);
    await nextClose(ws);
    expect(seen).toEqual(['error', 'close']);
    expect(events).toEqual([[1006, false]]);
  });

  it('close() from a close listener ends it quietly: that close was the last word', () => {
    const { ws, transport, seen } = socket();
    const codes: number[] = [];
    ws.onclose = (event) => {
      codes.push(event.code);
      if (event.code === 4003) ws.close(); // "don't come back"
    };
    transport.last().accept();
    transport.last().serverClose(4003, 'kicked');
    expect(codes).toEqual([4003]);
    expect(seen).toEqual(['open', 'close']);
    expect(ws.readyState).toBe(ws.CLOSED);
    expect(transport.connections).toHaveLength(1);
  });

  it('is CLOSED inside a close listener, as a WebSocket is; a send there waits for the next connection', () => {
    const { ws, transport, clock } = socket();
    const states: number[] = [];
    ws.onclose = () => {
      states.push(ws.readyState);
      ws.send('after the drop');
    };
    transport.last().accept();
    transport.last().drop();
    expect(states).toEqual([ws.CLOSED]);
    expect(ws.readyState).toBe(ws.CONNECTING); // reconnecting
    clock.runNext();
    transport.last().accept();
    expect(transport.last().sent).toEqual(['after the drop']);
  });

  it('close() between attempts (CONNECTING, nothing in flight) fires error then close 1006, as a WebSocket closed while CONNECTING', async () => {
    const { ws, transport, seen } = socket();
    transport.last().fail(); // waiting for the retry
    await nextClose(ws); // that attempt's own error and close
    expect(ws.readyState).toBe(ws.CONNECTING);
    seen.length = 0;
    const codes: number[] = [];
    ws.addEventListener('close', (event) => codes.push((event as ResockCloseEvent).code));
    ws.close(4000, 'leaving');
    await nextClose(ws);
    expect(seen).toEqual(['error', 'close']);
    expect(codes).toEqual([1006]);
  });

  it('has no own enumerable property, as a WebSocket: JSON.stringify gives {} and a spread copies nothing', () => {
    const { ws, transport } = socket();
    transport.last().accept();
    ws.close();
    expect(Object.keys(ws)).toEqual([]);
    expect(JSON.stringify(ws)).toBe('{}'); // the client's cycles made it throw
    expect(Object.keys({ ...ws })).toEqual([]); // (Node's EventTarget keeps symbols of its own)
    const walked: string[] = [];
    for (const key in ws) if (Object.hasOwn(ws, key)) walked.push(key);
    expect(walked).toEqual([]);
    expect(ws.client.state).toBe('closed'); // still there, behind a getter
  });

  it('takes null protocols as none', () => {
    const ws = new ReconnectingWebSocket('wss://x.test/', null as unknown as undefined, {
      transport: createFakeTransport(),
      lazy: true,
    });
    expect(ws.readyState).toBe(ws.CONNECTING);
  });

  it('converts protocols as a WebSocket does (WebIDL): a number is its string, an iterable a list of strings', () => {
    const asked = (protocols: unknown) => {
      const transport = createFakeTransport();
      new ReconnectingWebSocket('wss://x.test/', protocols as string, { transport });
      return transport.last().request.protocols;
    };
    expect(asked(42)).toEqual(['42']);
    expect(asked(new Set(['v1', 'v2']))).toEqual(['v1', 'v2']);
    expect(asked([1, 'v2'])).toEqual(['1', 'v2']);
    expect(asked('chat')).toEqual(['chat']);
    expect(() => asked(Symbol('x'))).toThrow(TypeError); // ToString of a Symbol, as natively
    // GetMethod(V, @@iterator) gives undefined: a string, not an empty list.
    expect(asked({ [Symbol.iterator]: undefined, toString: () => 'chat' })).toEqual(['chat']);
  });

  it('reports the URL it was given before any attempt (redacted like the client)', () => {
    const ws = new ReconnectingWebSocket('wss://chat.example.test/?token=t', undefined, {
      transport: createFakeTransport(),
      lazy: true,
    });
    expect(ws.url).toBe('wss://chat.example.test/?token=***');
  });

  it('runs onX at the place it was first set among the listeners, as EventTarget does', () => {
    const { ws, transport } = socket();
    const order: string[] = [];
    ws.onopen = () => order.push('onopen');
    ws.addEventListener('open', () => order.push('listener'));
    ws.onopen = () => order.push('onopen, replaced'); // keeps its place
    transport.last().accept();
    expect(order).toEqual(['onopen, replaced', 'listener']);
    ws.onopen = null;
    expect(ws.onopen).toBe(null);
  });

  it('takes anything not a function as null for onX, and ignores an unknown binaryType, as a WebSocket does', () => {
    const { ws, transport } = socket();
    const errors: unknown[] = [];
    ws.client.on('error', (error) => errors.push(error));
    (ws as unknown as { onmessage: unknown }).onmessage = 'not a function';
    expect(ws.onmessage).toBe(null);
    ws.binaryType = 'arraybuffer';
    (ws as unknown as { binaryType: string }).binaryType = 'nodebuffer';
    expect(ws.binaryType).toBe('arraybuffer');
    transport.last().accept();
    transport.last().deliver('hi');
    expect(errors).toEqual([]);
  });

  it('sends a Blob as a WebSocket does, queued in its place while connecting, counted in bufferedAmount', () => {
    const { ws, transport } = socket();
    const blob = new Blob(['héllo']);
    ws.send('first');
    ws.send(blob);
    expect(ws.bufferedAmount).toBe(5 + 6);
    transport.last().accept();
    expect(transport.last().sent).toEqual(['first', blob]);
    expect(() => ws.send(42 as never)).toThrow(InvalidMessageError);
  });

  it('refuses what is no message also once CLOSING or CLOSED (a typed error in every state)', () => {
    const { ws, transport } = socket();
    transport.last().accept();
    transport.last().goSilent(); // the close handshake stays unfinished: CLOSING
    ws.close(1000);
    expect(ws.readyState).toBe(ws.CLOSING);
    // Before: silently ignored once CLOSING or CLOSED, while send(42) threw before.
    expect(() => ws.send(42 as never)).toThrow(InvalidMessageError);
    const detached = new ArrayBuffer(8);
    structuredClone(detached, { transfer: [detached] });
    expect(() => ws.send(detached)).toThrow(/detached/); // as while open
    ws.send('late'); // a message is discarded, as by a WebSocket
    expect(ws.bufferedAmount).toBe(4);
  });

  it("refuses a Blob its transport's WebSocket would send as text also once CLOSING or CLOSED", () => {
    // A library's Blob (fetch-blob's): tagged a Blob, but no WHATWG WebSocket reads it as one.
    const foreign = { [Symbol.toStringTag]: 'Blob', size: 3, type: '', arrayBuffer: async () => new ArrayBuffer(3) };
    const { ws, transport } = socket();
    Object.assign(transport, { accepts: (data: unknown) => data !== foreign });
    transport.last().accept();
    expect(() => ws.send(foreign as never)).toThrow(/library's Blob/); // open: send()'s error
    transport.last().goSilent();
    ws.close(1000);
    expect(ws.readyState).toBe(ws.CLOSING);
    // Before: discarded silently once CLOSING or CLOSED, and counted as 3 bytes.
    expect(() => ws.send(foreign as never)).toThrow(InvalidMessageError);
    expect(ws.bufferedAmount).toBe(0);
  });

  it('with a greeting awaiting acceptance, is CONNECTING until the server accepts (then onopen)', () => {
    const { ws, transport, seen } = socket({ greeting: { message: 'init', isAccepted: (d) => d === 'ack' } });
    ws.send('queued');
    transport.last().accept();
    expect(ws.readyState).toBe(ws.CONNECTING);
    expect(transport.last().sent).toEqual(['init']);
    transport.last().deliver('ack');
    expect(ws.readyState).toBe(ws.OPEN);
    expect(transport.last().sent).toEqual(['init', 'queued']);
    expect(seen).toEqual(['open', 'message']);
  });

  it('exposes the typed client underneath', () => {
    const { ws, transport } = socket();
    transport.last().accept();
    expect(ws.client.state).toBe('open');
  });
});
