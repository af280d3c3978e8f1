// The public types against what the runtime does: checked by `pnpm typecheck` (test files are
// compiled), each beside a runtime check of the same behaviour.
import {
  type Client,
  type CloseRecord,
  createClient,
  type InboundMessage,
  normalizeClose,
  type StandardSchemaV1,
} from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

const base = () => ({ transport: createFakeTransport(), clock: createVirtualClock(0), url: 'wss://example.test/' });

describe('public types', () => {
  it('without a schema, messages are raw whatever isReady’s parameter says', () => {
    const { transport, clock, url } = base();
    // @ts-expect-error isReady sees every message as it arrives: text or binary, not only text
    const client = createClient({ url, transport, clock, isReady: (m: string) => m === 'hello' });
    const seen: unknown[] = [];
    client.on('message', (data) => {
      expectTypeOf(data).toEqualTypeOf<InboundMessage>();
      seen.push(data);
    });
    transport.last().accept();
    transport.last().deliver(new Uint8Array([1, 2, 3]));
    expect(seen[0]).toBeInstanceOf(Uint8Array);
    void client.close();
  });

  it('a client without a schema is not typed by what the caller expects: its messages are raw', () => {
    interface Tick {
      price: number;
    }
    const { transport, clock, url } = base();
    // @ts-expect-error no schema: the messages are text or binary, not Tick (inferred from the
    // expected type, listeners were typed Tick and got strings)
    const typed: Client<Tick> = createClient({ url, transport, clock });
    // @ts-expect-error the same through a factory typed by its return, as a React hook's
    const make: () => Client<Tick> = () => createClient({ url, transport, clock });
    // Nor through another option typed by hand (the first two overloads refuse it; the third
    // must not take the type from the expected result either).
    // @ts-expect-error
    const hinted: Client<Tick> = createClient({ url, transport, clock, isReady: (m: Tick) => m.price > 0 });
    // A client's message type is what it hands out: a client of numbers is no client of Ticks.
    // @ts-expect-error
    const other: Client<Tick> = createClient<number>({ url, transport, clock });
    const raw = createClient({ url, transport, clock });
    expectTypeOf(raw).toEqualTypeOf<Client<InboundMessage>>();
    const seen: unknown[] = [];
    typed.on('message', (data) => seen.push(data));
    const [connection] = transport.connections; // typed's, the first made
    connection?.accept();
    connection?.deliver('{"price":1}');
    expect(seen).toEqual(['{"price":1}']);
    // Covariant: a client of Ticks is a client of Ticks or text.
    const tickSchema: StandardSchemaV1<unknown, Tick> = {
      '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value: value as Tick }) },
    };
    const ticks = createClient({ url, transport, clock, messages: tickSchema });
    expectTypeOf(ticks).toEqualTypeOf<Client<Tick>>();
    const wider: Client<Tick | string> = ticks;
    for (const client of [typed, hinted, other, raw, wider]) void client.close();
    void make;
  });

  it('an option or send option left undefined is "not given", under exactOptionalPropertyTypes too', () => {
    const { transport, clock, url } = base();
    const maybeSignal = undefined as AbortSignal | undefined;
    const maybeMs = undefined as number | undefined;
    const client = createClient({ url, transport, clock, connectTimeoutMs: maybeMs, heartbeat: undefined });
    expect(client.send('x', { signal: maybeSignal, ttlMs: maybeMs })).toBe('queued');
    const off = client.on('open', () => undefined, { signal: maybeSignal });
    off();
    void client.close();
  });

  it('a CloseRecord is read-only in its type, as it is frozen', () => {
    const record: CloseRecord = normalizeClose({ code: 1000, reason: '' });
    const write = () => {
      // @ts-expect-error frozen: writing is a type error
      record.code = 4000;
    };
    expect(write).toThrow(TypeError);
    const writeNested = () => {
      // @ts-expect-error nested parts are frozen too
      if (record.handshake) record.handshake.status = 500;
    };
    expect(writeNested).not.toThrow();
  });
});
