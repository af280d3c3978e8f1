import { type Client, createClient, InvalidMessageError, nativeTransport } from '@resock/node';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { WebSocket as UndiciWebSocket } from 'undici';
import { afterEach, beforeEach, expect, it } from 'vitest';

/**
 * A Blob that is not `node:buffer`'s class, shaped as fetch-blob's (node-fetch 3) or
 * formdata-node's: `[object Blob]`, `size`, `type`, `arrayBuffer()`, `stream()`. Core takes it
 * as a Blob (binary.ts: "A Blob or File from any realm (its tag, not instanceof …)"), and so
 * does ws ≥ 8.18 (structurally); undici's `WebSocket.send` only knows its own Blob class.
 */
class ForeignBlob {
  readonly #bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }
  get size() {
    return this.#bytes.byteLength;
  }
  get type() {
    return '';
  }
  async arrayBuffer() {
    return this.#bytes.slice().buffer;
  }
  stream() {
    return new Blob([this.#bytes]).stream();
  }
  get [Symbol.toStringTag]() {
    return 'Blob';
  }
}

let server: ScenarioServer;
let client: Client | undefined;
beforeEach(async () => {
  server = await startScenarioServer();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
});

// undici's WebSocket.send knows only its own Blob class: it would send this one as the text
// "[object Blob]" and the client would report it sent. Refused at the call instead, with the typed
// error, and nothing else is lost; the platform's own Blob goes out as its bytes.
it('nativeTransport (undici): a library\'s Blob is an InvalidMessageError at send(), never the text "[object Blob]"', async () => {
  client = createClient({
    url: `${server.url}/blob`,
    transport: nativeTransport({ WebSocket: UndiciWebSocket }),
    heartbeat: false,
  });
  await client.opened();
  expect(() => client?.send(new ForeignBlob(new Uint8Array([1, 2, 3])) as unknown as Blob)).toThrow(
    InvalidMessageError,
  );
  expect(client.send(new Blob([new Uint8Array([4, 5])]))).toBe('sent');
  const received = await server.waitForReceived(1, 3000);
  expect(received.map((m) => m.data)).toEqual([Buffer.from([4, 5])]);
});

it('nodeTransport (ws): the same Blob goes out as its bytes (ws reads any Blob-shaped value)', async () => {
  client = createClient({ url: `${server.url}/blob`, heartbeat: false });
  await client.opened();
  expect(client.send(new ForeignBlob(new Uint8Array([1, 2, 3])) as unknown as Blob)).toBe('sent');
  const received = await server.waitForReceived(1, 3000);
  expect(received.map((m) => m.data)).toEqual([Buffer.from([1, 2, 3])]);
});

it('nodeTransport (ws): a Blob look-alike ws cannot read (no stream()) is an InvalidMessageError at send(); what was sent around it arrives', async () => {
  // Before: send() said queued, ws refused it at every write, each connection was cut by its
  // close deadline, and nothing sent after it ever arrived.
  client = createClient({ url: `${server.url}/blob`, heartbeat: false });
  await client.opened();
  const lookAlike = { size: 2, type: '', arrayBuffer: async () => new ArrayBuffer(2), [Symbol.toStringTag]: 'Blob' };
  client.send('before');
  expect(() => client?.send(lookAlike as unknown as Blob)).toThrow(InvalidMessageError);
  client.send('after');
  const received = await server.waitForReceived(2, 3000);
  expect(received.map((m) => String(m.data))).toEqual(['before', 'after']);
});
