import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createClient } from '@resock/node';
import { expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

// A message reported 'sent' must still carry the bytes it had at send(), as a browser's does,
// even when the app reuses its buffer at once — also where ws reads that buffer later.

// With permessage-deflate agreed (ws offers it; many servers accept) ws compresses binary data
// later, from the buffer it was given.
it('a sent message keeps the bytes it had at send(), with permessage-deflate', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: true });
  await once(wss, 'listening');
  const received: number[][] = [];
  const both = new Promise<void>((resolve) =>
    wss.on('connection', (ws) =>
      ws.on('message', (data: Buffer) => {
        if (received.push([data[0] ?? -1, data[data.length - 1] ?? -1]) === 2) resolve();
      }),
    ),
  );
  const client = createClient({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, heartbeat: false });
  try {
    expect((await client.opened()).extensions).toBe('permessage-deflate');
    const buffer = new Uint8Array(4096).fill(1); // above ws's 1 KiB compression threshold
    expect(client.send(buffer)).toBe('sent');
    buffer.fill(2);
    expect(client.send(buffer.buffer)).toBe('sent');
    buffer.fill(3);
    await both;
    expect(received).toEqual([
      [1, 1],
      [2, 2],
    ]);
  } finally {
    await client.close();
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});

// A Blob is read by ws itself (no copy: it cannot change); with deflate the text sent after it
// must still arrive after it.
it('a Blob is sent whole and in its place, with permessage-deflate', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: true });
  await once(wss, 'listening');
  const received: string[] = [];
  const all = new Promise<void>((resolve) =>
    wss.on('connection', (ws) =>
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (received.push(isBinary ? `${data.length} bytes of ${data[0]}` : data.toString()) === 3) resolve();
      }),
    ),
  );
  const client = createClient({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, heartbeat: false });
  try {
    expect(client.send(new Blob([new Uint8Array(64 * 1024).fill(5)]))).toBe('queued');
    await client.opened();
    expect(client.send('after')).toBe('sent');
    expect(client.send(new Blob([new Uint8Array(4096).fill(6)]))).toBe('sent');
    await all;
    expect(received).toEqual(['65536 bytes of 5', 'after', '4096 bytes of 6']);
  } finally {
    await client.close();
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});

// Without deflate too: while ws reads a Blob it queues what is sent after it, buffers uncopied.
it('a buffer sent right after a Blob keeps the bytes it had at send() (no deflate)', async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const received: number[][] = [];
  const all = new Promise<void>((resolve) =>
    wss.on('connection', (ws) =>
      ws.on('message', (data: Buffer) => {
        if (received.push([data.length, data[0] ?? -1]) === 3) resolve();
      }),
    ),
  );
  const client = createClient({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, heartbeat: false });
  try {
    expect((await client.opened()).extensions).toBe('');
    expect(client.send(new Blob([new Uint8Array(64 * 1024).fill(5)]))).toBe('sent');
    const view = new Uint8Array([1, 2, 3]);
    expect(client.send(view)).toBe('sent');
    view.fill(9);
    const bytes = new Uint8Array([4, 5, 6]);
    expect(client.send(bytes.buffer)).toBe('sent');
    bytes.fill(0);
    await all;
    expect(received).toEqual([
      [65536, 5],
      [3, 1],
      [3, 4],
    ]);
  } finally {
    await client.close();
    for (const socket of wss.clients) socket.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});
