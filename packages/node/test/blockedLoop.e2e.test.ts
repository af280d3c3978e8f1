import { type CloseRecord, createClient } from '@resock/node';
import { afterEach, expect, it } from 'vitest';
import { startPlainServer } from './fixtures/plainServer';

// Node runs due timers before it reads its sockets. A worker whose event loop a synchronous job
// blocks past a pong's deadline has the pong waiting unread when the deadline's check runs: the
// check waits one turn, so the pong is read first and a live peer is not judged dead.
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

it('a pong answered while this process was blocked past its deadline keeps the connection', async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  let pings = 0;
  // The server (in this process) answers the first ping — ws writes the pong first — and then
  // blocks the event loop past the pong's deadline, as a worker's synchronous job would.
  const blocked = new Promise<void>((resolve) =>
    wss.on('connection', (ws) =>
      ws.on('ping', () => {
        if (++pings > 1) return;
        busy(250);
        resolve();
      }),
    ),
  );
  const client = createClient({
    url: `ws://127.0.0.1:${port}`,
    heartbeat: { intervalMs: 300, timeoutMs: 100 },
    policy: { backoff: { type: 'constant', delayMs: 60_000 } },
  });
  cleanup.push(() => client.close());
  const closes: CloseRecord[] = [];
  client.on('close', (record) => closes.push(record));
  await client.opened();
  await blocked;
  // A second ping comes only after the first's deadline was judged; a close, if it was judged dead.
  await Promise.race([
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.on('ping', () => resolve());
    }),
    new Promise<void>((resolve) => client.once('close', () => resolve())),
  ]);
  expect(closes).toEqual([]);
  expect(client.state).toBe('open');
});
