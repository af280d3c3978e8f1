import { once } from 'node:events';
import { type AddressInfo, createConnection, createServer, type Socket } from 'node:net';

export interface SlowLinkOptions {
  /** Where the real server listens. */
  targetPort: number;
  /** Client → server bytes per second; unthrottled when absent. */
  upBytesPerSecond?: number;
  /** Server → client bytes per second; unthrottled when absent. */
  downBytesPerSecond?: number;
}

export interface SlowLink {
  readonly url: string;
  /** From now on every link runs at full speed (what was sent still arrives, in order). */
  unthrottle(): void;
  stop(): Promise<void>;
}

const TICK_MS = 10;
/** Beyond this much held in the proxy, it stops reading: the rest waits in the sender's buffers. */
const HELD_BYTES = 65_536;

/**
 * A TCP proxy on 127.0.0.1 whose directions carry at most so many bytes per second, in order,
 * losing nothing, with backpressure: a slow network, as a large message crossing it sees one.
 */
export async function startSlowLink(options: SlowLinkOptions): Promise<SlowLink> {
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  let fast = false;

  const carry = (from: Socket, to: Socket, bytesPerSecond: number | undefined) => {
    if (bytesPerSecond === undefined) {
      from.pipe(to);
      from.on('close', () => to.destroy());
      return;
    }
    let held = Buffer.alloc(0);
    let ended = false;
    from.on('data', (chunk: Buffer) => {
      held = Buffer.concat([held, chunk]);
      if (held.length > HELD_BYTES) from.pause();
    });
    // What the sender's kernel had taken still arrives after it closed, as on a network.
    const end = () => {
      ended = true;
    };
    from.on('end', end);
    from.on('close', end);
    const stop = () => {
      clearInterval(timer);
      timers.delete(timer);
    };
    // A token bucket on the clock, not bytes per tick: a loaded machine's late ticks must not
    // slow the link down (the tests' deadlines are set against its rate).
    let allowance = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      if (to.destroyed) return stop();
      const now = performance.now();
      allowance = Math.min(bytesPerSecond, allowance + ((now - last) * bytesPerSecond) / 1000);
      last = now;
      const take = fast ? held.length : Math.min(held.length, Math.floor(allowance));
      // Nothing waiting: no credit saved up for a burst later.
      allowance = held.length === take ? 0 : allowance - take;
      if (take > 0) to.write(held.subarray(0, take));
      held = held.subarray(take);
      if (held.length <= HELD_BYTES) from.resume();
      if (ended && held.length === 0) {
        stop();
        to.end();
      }
    }, TICK_MS);
    timers.add(timer);
  };

  const server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: options.targetPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    }
    carry(client, upstream, options.upBytesPerSecond);
    carry(upstream, client, options.downBytesPerSecond);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    unthrottle() {
      fast = true;
    },
    stop() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
