// @resock/node's public types against its runtime: checked by `pnpm typecheck` (test files are
// compiled), each beside a runtime check.
import {
  type Client,
  type CloseRecord,
  createClient,
  type Delivered,
  type InboundMessage,
  InvalidOptionsError,
  logEvents,
  MessageDroppedError,
  type NotDelivered,
  nativeTransport,
  nodeTransport,
  ReconnectingWebSocket,
  type StandardSchemaV1,
} from '@resock/node';
import { WebSocket as UndiciWebSocket } from 'undici';
import { describe, expect, expectTypeOf, it } from 'vitest';

type Tick = { kind: 'tick'; n: number };
/** A hand-written Standard Schema (what zod/valibot hand over), output Tick. */
const tickSchema: StandardSchemaV1<unknown, Tick> = {
  '~standard': { version: 1, vendor: 'review', validate: (value) => ({ value: value as Tick }) },
};

describe('review: @resock/node types', () => {
  it('createClient infers the schema’s output through NodeClientOptions', async () => {
    const client = createClient({
      url: 'ws://127.0.0.1:9/',
      lazy: true,
      messages: tickSchema,
    });
    client.on('message', (m) => {
      expectTypeOf(m).toEqualTypeOf<Tick>();
    });
    await client.close();
  });

  it('without a schema the message type is the raw inbound data', async () => {
    const client: Client = createClient({ url: 'ws://127.0.0.1:9/', lazy: true });
    client.on('message', (m) => expectTypeOf(m).toEqualTypeOf<InboundMessage>());
    await client.close();
  });

  it('deliver() resolves a Delivered and rejects with a MessageDroppedError naming why', async () => {
    const client: Client = createClient({ url: 'ws://127.0.0.1:9/', lazy: true });
    const delivery = client.deliver('x', { ttlMs: 0 });
    expectTypeOf(delivery).toEqualTypeOf<Promise<Delivered>>();
    await client.close();
    const error = await delivery.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MessageDroppedError);
    if (error instanceof MessageDroppedError) {
      expectTypeOf(error.reason).toEqualTypeOf<NotDelivered>();
      expect(['expired', 'closed']).toContain(error.reason);
    }
  });

  it('ReconnectingWebSocket’s third argument is optional and every option in it too', () => {
    const ws = new ReconnectingWebSocket('ws://127.0.0.1:9/', undefined, { lazy: true });
    expect(ws.readyState).toBe(ReconnectingWebSocket.CONNECTING);
    ws.close();
  });

  it('nativeTransport takes Node’s own global WebSocket', () => {
    // Node ≥ 22 (or 20 with the flag): the global WebSocket is what the README names.
    if (typeof globalThis.WebSocket === 'function') {
      expect(typeof nativeTransport({ WebSocket: globalThis.WebSocket }).connect).toBe('function');
    }
    // …or undici's, which Node's global is.
    expect(typeof nativeTransport({ WebSocket: UndiciWebSocket }).connect).toBe('function');
  });

  it('nativeTransport where Node has no global WebSocket: createClient refuses it with InvalidOptionsError, saying why', () => {
    // Node 20 without the flag. The call itself does not throw: createClient asks unavailable(),
    // so the error is the typed one every transport that cannot run here gives.
    const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebSocket');
    Reflect.deleteProperty(globalThis, 'WebSocket');
    try {
      const transport = nativeTransport();
      expect(() => createClient({ url: 'ws://127.0.0.1:9/', transport })).toThrow(InvalidOptionsError);
      expect(() => createClient({ url: 'ws://127.0.0.1:9/', transport })).toThrow(/no global WebSocket.*Node 22/);
    } finally {
      if (saved) Object.defineProperty(globalThis, 'WebSocket', saved);
    }
  });

  it('nodeTransport type-checks ws options (and refuses what ws has not)', () => {
    expect(typeof nodeTransport({ headers: { Authorization: 'Bearer x' }, perMessageDeflate: false }).connect).toBe(
      'function',
    );
    // @ts-expect-error not a ws client option
    const unknownOption = () => nodeTransport({ notAWsOption: true });
    void unknownOption;
  });

  it('headers may be an async function of the attempt, and logEvents is exported', () => {
    const transport = nodeTransport({
      headers: async ({ attempt, record, signal }) => {
        expectTypeOf(attempt).toBeNumber();
        expectTypeOf(record).toEqualTypeOf<CloseRecord | undefined>();
        expectTypeOf(signal).toEqualTypeOf<AbortSignal>();
        return { Authorization: `Bearer t${attempt}` };
      },
    });
    expect(typeof transport.prepare).toBe('function');
    // @ts-expect-error headers are strings
    const badHeaders = () => nodeTransport({ headers: async () => ({ 'X-Count': 1 }) });
    void badHeaders;
    const client = createClient({ url: 'ws://127.0.0.1:9/', lazy: true, transport });
    const lines: string[] = [];
    const stop = logEvents(client, { log: (line) => lines.push(line) });
    expect(typeof stop).toBe('function');
    void client.close();
  });
});
