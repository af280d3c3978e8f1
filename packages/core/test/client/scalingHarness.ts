// What the scaling tests share: a client on a virtual clock, and a count taken at n and 8n. A
// linear path grows ~8×, a quadratic one ~64×; the bound is 20×.
import { type Client, type ClientOptions, createClient, type ReliableOptions } from '@resock/core';
import { createFakeTransport, createVirtualClock, type FakeTransport, seededRandom } from '@resock/core/testing';

export const SMALL = 125;
export const LARGE = 1000; // 8×, and what a queue bounded by its defaults can hold
export const LINEAR_BOUND = 20; // between 8× (linear) and 64× (quadratic)

/** Messages `r<n>` are tracked under id n; the server acknowledges with `a<n>`. */
export const reliable: ReliableOptions = {
  id: (m) => (typeof m === 'string' && m.startsWith('r') ? Number(m.slice(1)) : undefined),
  ackOf: (m) => (typeof m === 'string' && m.startsWith('a') ? Number(m.slice(1)) : undefined),
};

const clients: Client[] = [];

/** For each test file's afterEach: closes the clients its tests made. */
export async function closeClients(): Promise<void> {
  for (const client of clients.splice(0)) if (client.state !== 'closed') await client.close();
}

export function setup(options: Partial<ClientOptions> = {}) {
  const clock = createVirtualClock(Date.UTC(2026, 0, 1));
  const transport: FakeTransport = createFakeTransport();
  const client = createClient({ url: 'wss://x.test/', transport, clock, random: seededRandom(7), ...options });
  client.on('error', () => {});
  client.on('dropped', () => {});
  clients.push(client);
  return { clock, transport, client };
}

export function growth(measure: (n: number) => number): { small: number; large: number; ratio: number; text: string } {
  const small = measure(SMALL);
  const large = measure(LARGE);
  const ratio = large / Math.max(small, 1); // a fix that does no such work at all: 0
  return { small, large, ratio, text: `${small} at n=${SMALL}, ${large} at n=${LARGE} (×${ratio.toFixed(1)})` };
}

type Store = { readonly length: number } & Record<string, unknown>;

/**
 * Messages walked while `work` runs: each store's length at every call that walks it whole (the
 * queue's remove(), the outbox's drain() and resend()), each filter's input.
 */
export function walked(client: Client, work: () => void): number {
  let count = 0;
  const { queue, outbox } = client as unknown as Record<'queue' | 'outbox', Store | undefined>;
  const walks: Array<[Store | undefined, string]> = [
    [queue, 'remove'],
    [outbox, 'drain'],
    [outbox, 'resend'],
  ];
  for (const [store, name] of walks) {
    const walk = store?.[name];
    if (!store || typeof walk !== 'function') continue;
    store[name] = (...args: unknown[]) => {
      count += store.length;
      return walk.apply(store, args);
    };
  }
  const filter = Array.prototype.filter;
  Array.prototype.filter = function (this: unknown[], ...args: Parameters<typeof filter>) {
    count += this.length;
    return filter.apply(this, args);
  } as typeof filter;
  try {
    work();
  } finally {
    Array.prototype.filter = filter;
  }
  return count;
}
