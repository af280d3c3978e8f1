// `resock connect`'s stdin pump on a real connection to a server that stops reading: stdin must
// pause while more than the high-water mark is still leaving the process (ws would buffer a
// whole file), and every line must arrive, in order, once the server reads again.
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { createClient } from '@resock/node';
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { HIGH_WATER_BYTES, linePump } from '../src/cli/linePump';
import { startPlainServer } from './fixtures/plainServer';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('pauses stdin while 1 MiB is still leaving, then sends every line in order', { timeout: 30_000 }, async () => {
  const { wss, port, stop } = await startPlainServer();
  cleanup.push(stop);
  const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
  const client = createClient({ url: `ws://127.0.0.1:${port}`, heartbeat: false, queue: { overflow: 'reject' } });
  cleanup.push(() => client.close());
  await client.opened();
  const [peer] = await accepted;
  // The server stops reading: the kernel's buffers fill (about 4–5 MB here), then ws's.
  const raw = (peer as unknown as { _socket: Socket })._socket;
  raw.pause();
  const received: number[] = [];
  peer.on('message', (data) => received.push(Number(String(data).slice(0, 6))));
  const source = {
    paused: 0,
    resumed: 0,
    pause() {
      this.paused++;
    },
    resume() {
      this.resumed++;
    },
  };
  const pump = linePump(client, source, {
    queued: () => {},
    full: () => {},
    stalled: () => {},
    idle: () => {},
    moved: () => 0,
    // No proofs here: the window never fills (512 lines), the backlog alone holds the pump.
    inFlight: () => 0,
    proved: () => new Promise<void>(() => {}),
  });
  // 32 MiB in lines of 64 KiB, given at once as readline would give a large file's lines.
  const count = 512;
  const filler = 'x'.repeat(65_536 - 6);
  for (let i = 0; i < count; i++) pump.push(`${String(i).padStart(6, '0')}${filler}`);

  expect(source.paused).toBeGreaterThan(0);
  expect(client.stats.messagesSent).toBeLessThan(count);
  expect(client.bufferedAmount).toBeLessThan(HIGH_WATER_BYTES + 65_536);

  raw.resume();
  await pump.idle();
  expect(source.resumed).toBeGreaterThan(0);
  while (received.length < count) await once(peer, 'message');
  expect(received).toEqual(Array.from({ length: count }, (_, i) => i));
});
