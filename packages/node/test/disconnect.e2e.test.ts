// disconnect() on a real ws server: the server hears 1000 disconnect, nothing dials meanwhile,
// and open() connects again with what was sent in between.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { startPlainServer } from './fixtures/plainServer';
import { quickClient } from './fixtures/quickClient';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('disconnect() against a ws server', () => {
  it('closes with 1000 disconnect, keeps the client, and open() brings what was sent meanwhile', async () => {
    const server = await startPlainServer();
    cleanup.push(server.stop);
    const client = quickClient(cleanup, server.port);
    const [first] = (await once(server.wss, 'connection')) as [WebSocket];
    await client.opened();
    const closed = once(first, 'close');
    client.disconnect();
    const [code, reason] = await closed;
    expect([code, String(reason)]).toEqual([1000, 'disconnect']);
    expect(client.send('while away')).toBe('queued');
    expect(server.wss.clients.size).toBe(0);
    expect(client.stats.attempts).toBe(1); // a send does not dial a client disconnect() holds
    const next = once(server.wss, 'connection');
    client.open();
    const [second] = (await next) as [WebSocket];
    const [data] = await once(second, 'message');
    expect(String(data)).toBe('while away');
    expect(client.state).toBe('open');
  });
});
