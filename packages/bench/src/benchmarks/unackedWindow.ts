import { createClient } from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';

const reliable = {
  id: (m: unknown) => (typeof m === 'string' && m.startsWith('r') ? Number(m.slice(1)) : undefined),
  ackOf: (m: unknown) => (typeof m === 'string' && m.startsWith('a') ? Number(m.slice(1)) : undefined),
};

/**
 * CPU per tracked send with `waiting` messages unacknowledged, on an open socket. `window`: a
 * worker streaming to a slow consumer, each send answered by the ack of the oldest; `full`: a
 * drop-oldest outbox at its limit (the consumer gone silent), each send evicting the oldest.
 */
function perSendUs(mode: 'window' | 'full', waiting: number, sends: number): number {
  const transport = createFakeTransport();
  const queue = {
    maxMessages: mode === 'full' ? waiting : 10 * waiting,
    maxBytes: 1e9,
    overflow: 'drop-oldest' as const,
  };
  const client = createClient({ url: 'ws://slow.test/', transport, clock: createVirtualClock(0), queue, reliable });
  client.on('dropped', () => {});
  const connection = transport.last();
  connection.accept();
  let next = 0;
  for (; next < waiting; next++) client.send(`r${next}`);
  const started = performance.now();
  for (let i = 0; i < sends; i++, next++) {
    client.send(`r${next}`);
    if (mode === 'window') connection.deliver(`a${next - waiting}`);
  }
  const took = performance.now() - started;
  void client.close();
  return (took * 1000) / sends;
}

/**
 * Reliable delivery at scale: the cost of a send with `waiting` unacknowledged against with 1000
 * (best of `rounds`, interleaved). A walk over the outbox per send grows it with `waiting`.
 */
export function unackedWindow(options: { waiting: number; sends: number; rounds: number }) {
  const result = { windowUs: Infinity, windowRatio: 0, fullUs: Infinity, fullRatio: 0 };
  for (const mode of ['window', 'full'] as const) {
    let small = Infinity;
    let large = Infinity;
    for (let round = 0; round < options.rounds; round++) {
      small = Math.min(small, perSendUs(mode, 1000, options.sends));
      large = Math.min(large, perSendUs(mode, options.waiting, options.sends));
    }
    result[`${mode}Us`] = large;
    result[`${mode}Ratio`] = large / small;
  }
  return result;
}
