// Binary messages as a browser delivers them (ArrayBuffer), for code shared with a page.
import { InvalidOptionsError, nodeTransport } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedPair } from './fixtures/connectedPair';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The next `count` messages the client hears. */
const heard = (client: { on(event: 'message', listener: (data: unknown) => void): () => void }, count: number) =>
  new Promise<unknown[]>((resolve) => {
    const seen: unknown[] = [];
    const off = client.on('message', (data) => {
      seen.push(data);
      if (seen.length === count) {
        off();
        resolve(seen);
      }
    });
  });

describe('nodeTransport binaryType (a real ws server)', () => {
  it('arraybuffer: binary arrives as an ArrayBuffer of its own bytes, text as a string', async () => {
    const { client, server } = await connectedPair(
      cleanup,
      {},
      { transport: nodeTransport({ binaryType: 'arraybuffer' }) },
    );
    const messages = heard(client, 3);
    server.send(Buffer.from([1, 2, 3]));
    server.send('text');
    server.send(Buffer.alloc(70_000, 7)); // several TCP reads: ws joins them
    const [small, text, large] = await messages;
    expect(small).toBeInstanceOf(ArrayBuffer);
    expect([...new Uint8Array(small as ArrayBuffer)]).toEqual([1, 2, 3]);
    expect(text).toBe('text');
    expect((large as ArrayBuffer).byteLength).toBe(70_000);
  });

  it('nodebuffer (the default): a Buffer, which is a Uint8Array', async () => {
    const { client, server } = await connectedPair(cleanup);
    const messages = heard(client, 1);
    server.send(Buffer.from([4, 5]));
    const [data] = await messages;
    expect(data).toBeInstanceOf(Uint8Array);
    expect([...(data as Uint8Array)]).toEqual([4, 5]);
  });

  it('refuses another value at the call', () => {
    expect(() => nodeTransport({ binaryType: 'blob' as never })).toThrow(InvalidOptionsError);
  });
});
