import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { type Client, createClient } from '@resock/node';
import { heapAfterGc, startScenarioServer, watchHandles } from '@resock/test-utils';
import { expect, it } from 'vitest';

// 1 000 reconnect cycles against a real ws server, each ending a different way (close 1012,
// a dropped TCP link without a close frame, a destroyed socket). A leak in any of them — a
// listener left on the client's emitter, on `process`, on the TCP socket; a waiter never
// settled; a timer never cleared — grows with the cycle count, so the test compares cycle 100
// with cycle 1 000 rather than trusting one snapshot.

const CYCLES = 1000;
const WARM_UP = 100;

type Emitterish = { eventNames(): Array<string | symbol>; listenerCount(event: string | symbol): number };
const listeners = (emitter: Emitterish) =>
  Object.fromEntries(emitter.eventNames().map((name) => [String(name), emitter.listenerCount(name)]));

/** The client's own eventemitter3, behind its typed wrapper: what the app's listeners and resock's own waiters live on. */
const clientEmitter = (client: Client) => (client as unknown as { emitter: { emitter: Emitterish } }).emitter.emitter;

it(`${CYCLES} reconnect cycles: listeners flat everywhere, heap within 10 %, no handles after close()`, async () => {
  const handles = watchHandles();
  // Only live sockets are held: keeping every closed one would itself grow the heap.
  const live = new Set<Socket>();
  let latest: Socket | undefined;
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    latest = socket;
    live.add(socket);
    socket.once('close', () => live.delete(socket));
  };
  subscribe('net.client.socket', onSocket);

  const server = await startScenarioServer({ record: false });
  const client = createClient({
    url: `${server.url}/leak`,
    policy: { preset: 'none', backoff: { type: 'constant', delayMs: 0 } },
    heartbeat: { intervalMs: 1000, timeoutMs: 1000 },
  });
  const ends = [() => server.closeAll(1012), () => server.terminateAll(), () => server.destroyAll()];

  const snapshot = () => ({
    client: listeners(clientEmitter(client)),
    process: listeners(process),
    socket: listeners(latest as Socket),
    // Every earlier TCP socket is gone once the next one is open.
    liveSockets: live.size,
  });

  let warm: ReturnType<typeof snapshot> | undefined;
  let heapWarm = 0;
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    await client.opened();
    const echoed = new Promise((resolve) => client.once('message', resolve));
    client.send(`cycle ${cycle}`);
    await echoed;
    if (cycle === WARM_UP) {
      warm = snapshot();
      heapWarm = heapAfterGc();
    }
    if (cycle > WARM_UP && cycle % 100 === 0) expect(snapshot(), `cycle ${cycle}`).toEqual(warm);
    const closed = new Promise((resolve) => client.once('close', resolve));
    ends[cycle % ends.length]?.();
    await closed;
  }
  const heapEnd = heapAfterGc();

  expect(warm?.liveSockets).toBe(1);
  expect(warm?.socket).toMatchObject({ close: expect.any(Number) }); // it is ws's socket we are looking at
  expect(heapEnd / heapWarm - 1).toBeLessThan(0.1);

  await client.close();
  await server.stop();
  unsubscribe('net.client.socket', onSocket);
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  expect(live.size).toBe(0);
  handles.stop();
  expect(handles.alive()).toEqual({ TCPSocketWrap: 0, TCPServerWrap: 0, Timeout: 0 });
  expect(listeners(clientEmitter(client))).toEqual({});
}, 60_000);
