import { ReconnectingWebSocket, type StandardSchemaV1 } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { socket } from './facadeHarness';

const asyncSchema: StandardSchemaV1<unknown, string> = {
  '~standard': { version: 1, vendor: 'test', validate: async (value) => ({ value: String(value) }) },
};

/**
 * Where code written for a native WebSocket can tell: messages after close(), a message event's
 * fields, when close() fires its events, the constants, bufferedAmount once closed (WHATWG
 * WebSocket standard and WebIDL).
 */
describe('ReconnectingWebSocket, as the WebSocket standard has it (events, constants, bufferedAmount)', () => {
  it('delivers no message event once close() was called (readyState CLOSING)', () => {
    // WHATWG, "When a WebSocket message has been received": 1. If ready state is not OPEN (1),
    // then return. After close() the socket is CLOSING, so late frames are not delivered
    // (a component that called ws.close() on unmount must not have onmessage run again).
    const { ws, transport } = socket();
    const heard: Array<[unknown, number]> = [];
    ws.onmessage = (event) => heard.push([event.data, ws.readyState]);
    transport.last().accept();
    transport.last().goSilent(); // the server has not answered the close frame yet
    ws.close(4000, 'unmount');
    expect(ws.readyState).toBe(ws.CLOSING);
    transport.last().deliver('a frame already on the wire');
    expect(heard).toEqual([]);
  });

  it('delivers no message event after close() from an open listener either', () => {
    // Same step; here the server's first message arrives right after the open (in the same
    // burst) and the app closes in onopen.
    const { ws, transport } = socket();
    const heard: unknown[] = [];
    ws.onopen = () => ws.close(4000, 'no thanks');
    ws.onmessage = (event) => heard.push(event.data);
    transport.last().goSilent(); // the close frame is still on its way when the message arrives
    transport.last().accept();
    transport.last().deliver('welcome');
    expect(heard).toEqual([]);
  });

  it('message events carry origin (the url’s origin) and lastEventId, as a MessageEvent does', () => {
    // WHATWG: fire an event named message at the WebSocket object, using MessageEvent, with the
    // origin attribute initialized to the serialization of the WebSocket object's url's origin,
    // and the data attribute initialized to dataForEvent. (MessageEvent: lastEventId "",
    // source null, ports [].)
    const { ws, transport } = socket();
    let event: (Event & { origin?: unknown; lastEventId?: unknown; data?: unknown }) | undefined;
    ws.addEventListener('message', (e) => {
      event = e;
    });
    transport.last().accept();
    transport.last().deliver('hi');
    expect(event?.data).toBe('hi');
    expect(event?.origin).toBe('wss://chat.example.test');
    expect(event?.lastEventId).toBe('');
  });

  it('close() while CONNECTING makes it CLOSING and fires error/close later, not from inside close()', async () => {
    // WHATWG close(): "If the WebSocket connection is not yet established: fail the WebSocket
    // connection and set this's ready state to CLOSING (2)". The error and close events come
    // from "the WebSocket connection is closed", in a task queued later — never while close()
    // runs. Code such as `ws.close(); stopped = true;` (with onclose reconnecting unless stopped)
    // or `ws.close(); ws.addEventListener('close', resolve)` relies on that.
    const { ws, seen } = socket();
    let stopped = false;
    const reconnectsAsked: boolean[] = [];
    ws.onclose = () => reconnectsAsked.push(!stopped);
    ws.close();
    stopped = true;
    expect(ws.readyState).toBe(ws.CLOSING);
    expect(seen).toEqual([]);
    const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['error', 'close']);
    await expect(closed).resolves.toBe(1006);
    expect(reconnectsAsked).toEqual([false]);
  });

  it('has its constants on the prototype and the constructor, read-only, as WebIDL constants', () => {
    // WebIDL §3.7.4 (constants): CONNECTING/OPEN/CLOSING/CLOSED are properties of both the
    // interface object and the interface prototype object, { [[Writable]]: false,
    // [[Enumerable]]: true, [[Configurable]]: false }. Natively WebSocket.prototype.OPEN === 1,
    // and `ws.OPEN = 7` cannot change it.
    const { ws } = socket();
    const proto = ReconnectingWebSocket.prototype as unknown as Record<string, unknown>;
    expect([proto.CONNECTING, proto.OPEN, proto.CLOSING, proto.CLOSED]).toEqual([0, 1, 2, 3]);
    expect(Object.getOwnPropertyDescriptor(ReconnectingWebSocket, 'OPEN')?.writable).toBe(false);
    try {
      (ws as unknown as { OPEN: number }).OPEN = 7; // strict mode: a TypeError natively
    } catch {}
    expect(ws.OPEN).toBe(1);
  });

  it('bufferedAmount keeps growing with send() once CLOSED, as the standard says', () => {
    // WHATWG send(): "Any invocation of this method with a string argument that does not throw
    // an exception must increase the bufferedAmount attribute by the number of bytes needed to
    // express the argument as UTF-8" (likewise for Blob/ArrayBuffer/views); bufferedAmount's
    // note: once the connection is closed it "will only increase with each call to the send()
    // method (the number does not reset to zero once the connection closes)".
    const { ws, transport } = socket();
    transport.last().accept();
    transport.last().serverClose(1000, 'done'); // the default policy stops: CLOSED
    expect(ws.readyState).toBe(ws.CLOSED);
    ws.send('héllo'); // 6 bytes in UTF-8
    ws.send(new Uint8Array(4));
    expect(ws.bufferedAmount).toBe(10);
  });

  it('delivers a message that arrived while OPEN even when its async validation ends after the connection dropped', async () => {
    const { ws, transport, seen } = socket({ messages: asyncSchema });
    const heard: unknown[] = [];
    ws.onmessage = (event) => heard.push(event.data);
    transport.last().accept();
    transport.last().deliver('"bye"'); // arrived while OPEN
    transport.last().drop(); // the link goes right after (the policy reconnects)
    await new Promise((resolve) => setImmediate(resolve));
    expect(heard).toEqual(['bye']);
    expect(seen).toContain('message');
  });
});
