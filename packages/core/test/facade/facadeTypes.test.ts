// The facade's types, as code written for a WebSocket uses them: checked by `pnpm typecheck`
// (test files are compiled), each beside the runtime behaviour it describes.
import {
  type Client,
  type CloseRecord,
  type InboundMessage,
  ReconnectingWebSocket,
  type ResockCloseEvent,
  type StandardSchemaV1,
} from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

type Tick = { kind: 'tick'; n: number };
const tick: StandardSchemaV1<unknown, Tick> = {
  '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value as Tick }) },
};
const url = 'wss://example.test/';

describe('the facade’s types', () => {
  it('listeners are typed by event: close events carry code, reason, wasClean and the record', () => {
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket(url, undefined, { transport, clock: createVirtualClock(0) });
    const seen: Array<[number, string, boolean, CloseRecord]> = [];
    const onClose = (event: ResockCloseEvent) => seen.push([event.code, event.reason, event.wasClean, event.record]);
    ws.addEventListener('close', onClose);
    // Parsing `event.data` compiles as it does for a WebSocket's MessageEvent (`any`).
    const parsed: unknown[] = [];
    ws.addEventListener('message', (event) => parsed.push(JSON.parse(event.data)));
    transport.last().accept();
    transport.last().deliver('{"a":1}');
    transport.last().serverClose(4001, 'bye');
    ws.removeEventListener('close', onClose);
    ws.close();
    expect(parsed).toEqual([{ a: 1 }]);
    expect(seen).toEqual([[4001, 'bye', true, expect.objectContaining({ code: 4001, initiator: 'server' })]]);
  });

  it('a messages schema types the client underneath, and its parsed value is event.data', () => {
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket(url, undefined, { transport, clock: createVirtualClock(0), messages: tick });
    expectTypeOf(ws.client).toEqualTypeOf<Client<Tick>>();
    const data: unknown[] = [];
    ws.onmessage = (event) => data.push(event.data);
    transport.last().accept();
    transport.last().deliver('{"kind":"tick","n":1}');
    ws.close();
    expect(data).toEqual([{ kind: 'tick', n: 1 }]);
  });

  it('without a schema the client underneath hears raw messages', () => {
    const ws = new ReconnectingWebSocket(url, undefined, { transport: createFakeTransport(), lazy: true });
    expectTypeOf(ws.client).toEqualTypeOf<Client<InboundMessage>>();
    ws.close();
  });
});
