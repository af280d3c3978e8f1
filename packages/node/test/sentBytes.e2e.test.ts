import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { type Client, createClient } from '@resock/node';
import { afterEach, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

// A message reported 'sent' must still carry the bytes it had at send(), as a browser's does,
// even when the app reuses its buffer at once — also where ws reads that buffer later.

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/**
 * A client on a ws server (with or without permessage-deflate) and the first `count` messages
 * the server gets, each as `describe` puts it.
 */
async function session(deflate: boolean, count: number, describe: (data: Buffer, isBinary: boolean) => string) {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: deflate });
  await once(wss, 'listening');
  cleanup.push(async () => {
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  });
  const received: string[] = [];
  const messages = new Promise<string[]>((resolve) =>
    wss.on('connection', (ws) =>
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (received.push(describe(data, isBinary)) === count) resolve(received);
      }),
    ),
  );
  const client: Client = createClient({
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    heartbeat: false,
  });
  cleanup.push(() => client.close());
  return { client, messages };
}

const ends = (data: Buffer) => `${data.length} bytes, ${data[0]}…${data[data.length - 1]}`;

// With permessage-deflate agreed (ws offers it; many servers accept) ws compresses binary data
// later, from the buffer it was given.
it('a sent message keeps the bytes it had at send(), with permessage-deflate', async () => {
  const { client, messages } = await session(true, 2, ends);
  expect((await client.opened()).extensions).toBe('permessage-deflate');
  const buffer = new Uint8Array(4096).fill(1); // above ws's 1 KiB compression threshold
  expect(client.send(buffer)).toBe('sent');
  buffer.fill(2);
  expect(client.send(buffer.buffer)).toBe('sent');
  buffer.fill(3);
  expect(await messages).toEqual(['4096 bytes, 1…1', '4096 bytes, 2…2']);
});

// A Blob is read by ws itself (no copy: it cannot change); with deflate the text sent after it
// must still arrive after it.
it('a Blob is sent whole and in its place, with permessage-deflate', async () => {
  const { client, messages } = await session(true, 3, (data, isBinary) => (isBinary ? ends(data) : data.toString()));
  expect(client.send(new Blob([new Uint8Array(64 * 1024).fill(5)]))).toBe('queued');
  await client.opened();
  expect(client.send('after')).toBe('sent');
  expect(client.send(new Blob([new Uint8Array(4096).fill(6)]))).toBe('sent');
  expect(await messages).toEqual(['65536 bytes, 5…5', 'after', '4096 bytes, 6…6']);
});

// Without deflate too: while ws reads a Blob it queues what is sent after it, buffers uncopied.
it('a buffer sent right after a Blob keeps the bytes it had at send() (no deflate)', async () => {
  const { client, messages } = await session(false, 3, ends);
  expect((await client.opened()).extensions).toBe('');
  expect(client.send(new Blob([new Uint8Array(64 * 1024).fill(5)]))).toBe('sent');
  const view = new Uint8Array([1, 2, 3]);
  expect(client.send(view)).toBe('sent');
  view.fill(9);
  const bytes = new Uint8Array([4, 5, 6]);
  expect(client.send(bytes.buffer)).toBe('sent');
  bytes.fill(0);
  expect(await messages).toEqual(['65536 bytes, 5…5', '3 bytes, 1…3', '3 bytes, 4…6']);
});
