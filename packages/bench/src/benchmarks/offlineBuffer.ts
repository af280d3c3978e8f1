import { createClient } from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';

/**
 * A worker buffering while its server is down: `rate` messages a second, each with `ttlMs`, for
 * twice that long on a virtual clock (so about `rate × ttlMs` wait at a time and as many expire),
 * then `aborts` more messages queued with a signal each and aborted one by one. The queue is
 * raised past its defaults, as such a worker would. The figures are the CPU resock spends: a
 * pass over the queue per expiry or abort makes them grow with the square of what waits.
 * The peers have neither ttlMs nor per-message signals.
 */
export function offlineBuffer(options: { rate: number; ttlMs: number; aborts: number }) {
  const clock = createVirtualClock(0);
  const queue = { maxMessages: 1_000_000, maxBytes: 1e9 };
  const client = createClient({ url: 'ws://down.test/', transport: createFakeTransport(), clock, queue });
  let dropped = 0;
  client.on('dropped', () => {
    dropped++;
  });
  const perMs = options.rate / 1000;
  const virtualMs = 2 * options.ttlMs;
  let started = performance.now();
  for (let t = 0; t < virtualMs; t++) {
    for (let k = 0; k < perMs; k++) client.send('telemetry', { ttlMs: options.ttlMs });
    clock.advance(1);
  }
  const bufferMs = performance.now() - started;
  const expired = dropped;
  const controllers = Array.from({ length: options.aborts }, () => new AbortController());
  for (const controller of controllers) client.send('update', { signal: controller.signal });
  started = performance.now();
  for (const controller of controllers) controller.abort();
  const abortMs = performance.now() - started;
  const aborted = dropped - expired;
  void client.close();
  return {
    /** CPU per second of buffering, as a share of one core. */
    cpuShare: bufferMs / virtualMs,
    expired,
    waitingAtOnce: options.rate * (options.ttlMs / 1000),
    abortUs: (abortMs * 1000) / options.aborts,
    aborted,
  };
}
