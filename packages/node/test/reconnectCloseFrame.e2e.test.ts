// reconnect() lets an open connection go with a close frame (reconnectCloseCode, reason
// 'reconnect'): on ws it goes after what the socket still has to write — a backlog, a message
// being compressed — rather than being lost to an immediate terminate().
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectedPair, wsOf } from './fixtures/connectedPair';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('reconnect() tells the server reconnectCloseCode, after what ws still writes', () => {
  it('the close frame reaches the server behind a write backlog', async () => {
    const { client, server } = await connectedPair(cleanup);
    const serverTcp = (server as unknown as { _socket: Socket })._socket;
    serverTcp.pause(); // the server reads nothing for now: the client's buffers fill
    const closed = new Promise<[number, string]>((resolve) =>
      server.once('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])),
    );
    expect(client.send(new Uint8Array(16_000_000))).toBe('sent');
    const raw = (wsOf(client) as unknown as { _socket: Socket })._socket;
    expect(raw.writableNeedDrain).toBe(true);
    client.reconnect();
    serverTcp.resume();
    // Before: ws's close() waited for 'drain' and terminate() cut the socket at once — the
    // close frame never went out, the server saw 1006 (a lost link), as before the change.
    expect(await closed).toEqual([4000, 'reconnect']);
  }, 20_000);

  it('the close frame is not lost behind a message ws is still compressing', async () => {
    const { client, server } = await connectedPair(cleanup, { perMessageDeflate: true });
    expect(client.extensions).toContain('permessage-deflate');
    const closed = new Promise<[number, string]>((resolve) =>
      server.once('close', (code: number, reason: Buffer) => resolve([code, reason.toString()])),
    );
    // ws compresses asynchronously: its Sender queues the close frame behind this message.
    expect(client.send('x'.repeat(2048))).toBe('sent'); // over ws's deflate threshold (1 KB)
    client.reconnect();
    // Before: terminate() destroyed the socket while the close frame waited in ws's
    // queue: the server saw 1006.
    expect(await closed).toEqual([4000, 'reconnect']);
  }, 20_000);
});
