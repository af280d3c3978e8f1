// An async `messages` schema slower than the server pauses the ws socket (back-pressure); a
// paused socket must still complete a close handshake promptly.
import type { Socket } from 'node:net';
import type { CloseRecord, StandardSchemaV1 } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedPair, wsOf } from './fixtures/connectedPair';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** An async schema whose validations all wait for `release()`; `validating(n)`: once n started. */
function gatedSchema() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started = 0;
  const waiters: Array<[number, () => void]> = [];
  const schema: StandardSchemaV1<unknown, unknown> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: async (value) => {
        started++;
        for (const [n, resolve] of waiters) if (started >= n) resolve();
        await gate;
        return { value };
      },
    },
  };
  const validating = (n: number) =>
    new Promise<void>((resolve) => (started >= n ? resolve() : waiters.push([n, resolve])));
  return { schema, release: () => release(), validating };
}

describe('close() while reading is paused for an async schema’s backlog (ws)', () => {
  it('the close handshake completes promptly and clean though the connection was paused', async () => {
    const { schema, release, validating } = gatedSchema();
    cleanup.push(release);
    const { client, server } = await connectedPair(cleanup, {}, { messages: schema, closeTimeoutMs: 2000 });
    // 5000 messages of 200 B: ~1 MB, more than the client's socket buffers once it stops reading.
    for (let i = 0; i < 5000; i++) server.send(JSON.stringify('y'.repeat(200)));
    await validating(1000); // the mark: the client paused the socket as it took the 1000th
    expect(wsOf(client)?.isPaused).toBe(true);
    const started = Date.now();
    const record: CloseRecord = await client.close(1000, 'bye');
    const tookMs = Date.now() - started;
    // Before: nothing resumes reading on close(), the server's close frame waits unread
    // behind the flood, and the close ends on the close deadline (~closeTimeoutMs, 1006).
    expect(record).toMatchObject({ code: 1000, wasClean: true });
    expect(tookMs).toBeLessThan(1000);
  }, 20_000);

  it('messages arriving after close() do not pause the connection and stall the handshake', async () => {
    const { schema, release } = gatedSchema();
    cleanup.push(release);
    const { client, server } = await connectedPair(cleanup, {}, { messages: schema, closeTimeoutMs: 2000 });
    // The server pauses its own reading so the client's close frame reaches it only after its
    // flood is out: the flood arrives while the client is closing.
    const serverTcp = (server as unknown as { _socket: Socket })._socket;
    serverTcp.pause();
    for (let i = 0; i < 5000; i++) server.send(JSON.stringify('z'.repeat(200)));
    const started = Date.now();
    const closing = client.close(1000, 'bye');
    serverTcp.resume();
    const record = await closing;
    const tookMs = Date.now() - started;
    expect(record).toMatchObject({ code: 1000, wasClean: true });
    expect(tookMs).toBeLessThan(1000);
  }, 20_000);

  it('reconnect() while paused: the let-go socket reads again, so it ends on the server’s answer', async () => {
    const { schema, release, validating } = gatedSchema();
    cleanup.push(release);
    const { client, server } = await connectedPair(cleanup, {}, { messages: schema, closeTimeoutMs: 2000 });
    for (let i = 0; i < 5000; i++) server.send(JSON.stringify('w'.repeat(200)));
    await validating(1000);
    expect(wsOf(client)?.isPaused).toBe(true);
    const ended = new Promise<[number, string]>((resolve) =>
      server.once('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])),
    );
    const started = Date.now();
    client.reconnect();
    const [code, reason] = await ended;
    const tookMs = Date.now() - started;
    expect([code, reason]).toEqual([4000, 'reconnect']);
    // Without leave()'s resume the server's answer waits unread behind the flood, and the socket
    // ends only at the let-go close deadline (closeTimeoutMs, 2 s).
    expect(tookMs).toBeLessThan(1000);
  }, 20_000);
});
