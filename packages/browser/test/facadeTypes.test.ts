// The facade as lib.dom types it: a drop-in wherever a WebSocket is typed. Compile-time checks,
// made by `pnpm typecheck` (test files are compiled); the bodies never run.
import {
  browserTransport,
  type CloseRecord,
  createClient,
  ReconnectingWebSocket,
  type ResockCloseEvent,
  type StandardSchemaV1,
} from '@resock/browser';
import { describe, expect, expectTypeOf, it } from 'vitest';

declare const ws: ReconnectingWebSocket;
type Tick = { kind: 'tick' };
declare const tick: StandardSchemaV1<unknown, Tick>;

describe('the facade’s types against lib.dom’s WebSocket', () => {
  it('compiles as code written for a WebSocket', () => {
    const compileOnly = () => {
      // Listeners typed by event; close events also carry the record.
      ws.addEventListener('close', (event) => {
        expectTypeOf(event).toEqualTypeOf<ResockCloseEvent>();
        const record: CloseRecord = event.record;
        console.log(event.code, event.reason, event.wasClean, record.initiator);
      });
      ws.addEventListener('message', (event: MessageEvent) => console.log(event.data));
      ws.onmessage = (event: MessageEvent) => console.log(event.data);
      ws.onmessage = (event) => console.log(JSON.parse(event.data));
      ws.onclose = (event: CloseEvent) => console.log(event.code);
      ws.onclose = (event) => console.log(event.code, event.record.initiator);

      // Installed as the page's WebSocket, and passed where a WebSocket is expected.
      window.WebSocket = ReconnectingWebSocket;
      const useSocket = (socket: WebSocket) => socket.readyState;
      useSocket(new ReconnectingWebSocket('wss://example.test/'));
      expectTypeOf(ReconnectingWebSocket.OPEN).toEqualTypeOf<1>();
      if (ws instanceof ReconnectingWebSocket) expectTypeOf(ws.client.state).toBeString();

      // A subclass, and a schema typing the client underneath.
      class Chat extends ReconnectingWebSocket<Tick> {}
      const chat = new Chat('/chat', null, { messages: tick });
      chat.client.on('message', (m) => expectTypeOf(m).toEqualTypeOf<Tick>());

      // The page's own WebSocket constructor (the default) is accepted as it is.
      browserTransport({ WebSocket: window.WebSocket });
      browserTransport({ WebSocket: globalThis.WebSocket });
      createClient({ url: '/live', messages: tick }).on('message', (m) => expectTypeOf(m).toEqualTypeOf<Tick>());
    };
    expect(typeof compileOnly).toBe('function');
  });
});
