import { once } from 'node:events';
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';
import { seededRandom } from '@resock/core/testing';

export interface ChaosOptions {
  /** Where the real server listens. */
  targetPort: number;
  /** Everything random comes from this seed, so a failing soak can be replayed. */
  seed: number;
  /** Each link is cut after a random 50–500 ms (by default). */
  cutAfterMs?: readonly [number, number];
  /** Chance per link of a stall (no bytes either way) lasting `stallMs`. @default 0.2, 600 ms */
  stallChance?: number;
  stallMs?: number;
  /** Extra delay per chunk, random within. @default [0, 3] ms */
  delayMs?: readonly [number, number];
  /** Every `refuseEvery` cuts, new connections are refused for `refuseMs`. @default 7, 300 ms */
  refuseEvery?: number;
  refuseMs?: number;
}

export interface ChaosProxy {
  readonly port: number;
  readonly url: string;
  readonly stats: { links: number; cuts: number; stalls: number; refused: number };
  /** Stop the chaos: links live on, untouched, from now on. */
  calm(): void;
  stop(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 between client and server that, on a seeded schedule, cuts links,
 * stalls them, delays bytes and refuses new connections for a while: what real networks do.
 */
export async function startChaosProxy(options: ChaosOptions): Promise<ChaosProxy> {
  const random = seededRandom(options.seed);
  const between = ([low, high]: readonly [number, number]) => low + random() * (high - low);
  const stats = { links: 0, cuts: 0, stalls: 0, refused: 0 };
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let calm = false;
  let refusingUntil = 0;
  const later = (ms: number, work: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      work();
    }, ms);
    timers.add(timer);
  };

  const server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (!calm && Date.now() < refusingUntil) {
      stats.refused++;
      client.destroy();
      return;
    }
    stats.links++;
    const upstream = createConnection({ host: '127.0.0.1', port: options.targetPort });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let stalled = false;
    const forward = (from: Socket, to: Socket) => {
      // Delayed chunks stay in order: each waits for the one before it.
      let chain = Promise.resolve();
      from.on('data', (chunk: Buffer) => {
        const delay = calm ? 0 : between(options.delayMs ?? [0, 3]);
        chain = chain.then(
          () =>
            new Promise<void>((resolve) => {
              const send = () => {
                if (!to.destroyed) to.write(chunk);
                resolve();
              };
              if (delay < 0.5) send();
              else later(delay, send);
            }),
        );
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    if (calm) return;
    if (random() < (options.stallChance ?? 0.2)) {
      later(between([20, 200]), () => {
        if (calm) return;
        stalled = true;
        stats.stalls++;
        client.pause();
        upstream.pause();
        later(options.stallMs ?? 600, () => {
          stalled = false;
          client.resume();
          upstream.resume();
        });
      });
    }
    later(between(options.cutAfterMs ?? [50, 500]), () => {
      if (calm && !stalled) return;
      stats.cuts++;
      client.destroy();
      upstream.destroy();
      if (stats.cuts % (options.refuseEvery ?? 7) === 0) refusingUntil = Date.now() + (options.refuseMs ?? 300);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    stats,
    calm() {
      calm = true;
    },
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      const closed = once(server, 'close');
      server.close();
      await closed;
    },
  };
}
