import { createClient, type PolicyInput, type Transport, type TransportHandlers } from '@resock/core';
import { createVirtualClock, seededRandom } from '@resock/core/testing';

/**
 * 100 000 clients through core's real policy and state machine, on a virtual clock, with a
 * transport that plays the server: all connected, the server dies at `killAt`, comes back
 * `downMs` later. No sockets, so the figure is the policy's spread, not the network's.
 */
export async function stormAtScale(options: {
  clients: number;
  downMs: number;
  horizonMs: number;
  seed: number;
  policy?: PolicyInput;
}) {
  const started = performance.now();
  const clock = createVirtualClock(0);
  const random = seededRandom(options.seed);
  const killAt = 10_000;
  const upAt = killAt + options.downMs;
  const attempts: number[] = [];
  const live = new Set<TransportHandlers>();
  const backAt: Array<number | undefined> = [];
  const transport: Transport = {
    connect(_request, handlers) {
      const now = clock.now();
      if (now >= killAt) attempts.push(now);
      if (now >= killAt && now < upAt) {
        handlers.onClose({ code: 1006, reason: '', wasClean: false, error: new Error('connect ECONNREFUSED') });
      } else {
        live.add(handlers);
        handlers.onOpen({ protocol: '', extensions: '' });
      }
      return { send() {}, close: () => void live.delete(handlers), terminate: () => void live.delete(handlers) };
    },
  };
  const clients = Array.from({ length: options.clients }, (_, i) => {
    const client = createClient({
      url: 'ws://fleet.test/',
      transport,
      clock,
      random,
      heartbeat: false,
      ...(options.policy ? { policy: options.policy } : {}),
    });
    client.on('open', () => {
      if (clock.now() >= killAt) backAt[i] ??= clock.now() - killAt;
    });
    return client;
  });
  // What a transport reports from inside the first connect() (this one opens there) reaches the
  // client a microtask after createClient, so the app's listeners hear it.
  await Promise.resolve();
  clock.advance(killAt);
  for (const handlers of [...live]) {
    live.delete(handlers);
    handlers.onClose({ code: 1006, reason: '', wasClean: false });
  }
  for (let t = 0; t < options.horizonMs && backAt.filter((b) => b !== undefined).length < options.clients; t += 100)
    clock.advance(100);
  const perSecond = new Map<number, number>();
  for (const at of attempts)
    perSecond.set(Math.floor((at - killAt) / 1000), (perSecond.get(Math.floor((at - killAt) / 1000)) ?? 0) + 1);
  const back = backAt.filter((b): b is number => b !== undefined).sort((a, b) => a - b);
  const cap = 30_000;
  // The default policy spreads the first retry after a drop over 1 s (full jitter, 1 s base).
  const spreadWindowMs = 1000;
  const peakPerSecond = Math.max(...perSecond.values());
  for (const client of clients) void client.close();
  return {
    clients: options.clients,
    attempts: attempts.length,
    peakPerSecond,
    peakRatio: peakPerSecond / (options.clients / (spreadWindowMs / 1000)),
    backWithinCap: back.filter((b) => b <= cap).length / options.clients,
    backP50Ms: back[Math.floor(back.length / 2)] ?? Number.NaN,
    backP99Ms: back[Math.floor(back.length * 0.99)] ?? Number.NaN,
    runtimeMs: performance.now() - started,
  };
}
