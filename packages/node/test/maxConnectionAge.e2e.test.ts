// maxConnectionAgeMs on a real ws server: the old connection ends with reconnectCloseCode and
// reason max-age (the server can tell a planned move from a lost link), the new one is dialled
// at once, and what the app sends goes on the new one.
import { once } from 'node:events';
import { createClient } from '@resock/node';
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startPlainServer } from './fixtures/plainServer';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('moves an open connection to a new one at maxConnectionAgeMs, telling the server 4000 max-age', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const firstConnection = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = createClient({
    url: `ws://127.0.0.1:${port}`,
    heartbeat: false,
    maxConnectionAgeMs: 1000,
    random: () => 0, // the latest point of the spread: the age itself
  });
  cleanup.push(() => client.close());
  const [first] = await firstConnection;
  const firstClosed = once(first, 'close') as Promise<[number, Buffer]>;
  const secondConnection = once(wss, 'connection') as Promise<[WebSocket]>;
  await client.opened();
  const openedAt = performance.now();

  const [code, reason] = await firstClosed;
  expect([code, reason.toString()]).toEqual([4000, 'max-age']);
  // The timer runs on the system clock: not before the age (it started before opened() settled).
  expect(performance.now() - openedAt).toBeGreaterThanOrEqual(1000 - 20);
  const [second] = await secondConnection;
  await client.opened();
  const heard = once(second, 'message');
  expect(client.send('after the move')).toBe('sent');
  expect(String((await heard)[0])).toBe('after the move');
  expect(client.stats.reconnects).toBe(1);
});
