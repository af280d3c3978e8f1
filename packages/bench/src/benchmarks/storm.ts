import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection, Contender } from '../contenders';
import type { ServerProcess } from '../serverProcess';
import { percentile } from '../stats';

export interface StormRow {
  clients: number;
  attempts: number;
  attemptsWhileDown: number;
  /** Most attempts in any 100 ms window after the outage began. */
  peakPer100ms: number;
  backP50Ms: number;
  backP90Ms: number;
  backMaxMs: number;
  neverBack: number;
  /** Attempts per 100 ms from the start of the outage. */
  histogram: number[];
}

/**
 * A whole fleet in one process, with each library's default settings. `kill`: the server
 * process is SIGKILLed (the clients see 1006) and a new one listens on the same port `downMs`
 * later. `1012`: the server closes every socket with 1012 and stays up. Attempts are counted
 * where each library constructs its socket.
 */
export async function storm(
  contender: Contender,
  server: ServerProcess,
  options: { clients: number; mode: 'kill' | '1012'; downMs: number; deadlineMs: number },
): Promise<StormRow> {
  const attempts: number[] = [];
  const connections: Connection[] = [];
  const backAt = new Array<number | undefined>(options.clients).fill(undefined);
  let t0 = Number.POSITIVE_INFINITY;
  let opened = 0;
  let allOpened: () => void = () => undefined;
  const allOpen = new Promise<void>((resolve) => {
    allOpened = resolve;
  });
  for (let i = 0; i < options.clients; i++) {
    const connection = contender.connect(server.url, { onAttempt: () => attempts.push(performance.now()) });
    connection.onOpen(() => {
      if (performance.now() >= t0) backAt[i] ??= performance.now() - t0;
      if (++opened === options.clients) allOpened();
    });
    connections.push(connection);
  }
  await allOpen;
  const before = attempts.length;
  t0 = performance.now();
  let downUntil = t0;
  if (options.mode === 'kill') {
    await server.kill();
    await sleep(options.downMs);
    await server.start();
    downUntil = performance.now();
  } else {
    await server.command('close 1012');
  }
  const deadline = t0 + options.deadlineMs;
  while (backAt.some((t) => t === undefined) && performance.now() < deadline) await sleep(100);
  await Promise.all(connections.map((c) => c.close()));

  const after = attempts.slice(before);
  const buckets = new Map<number, number>();
  for (const at of after) {
    const bucket = Math.floor((at - t0) / 100);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
  const back = backAt.filter((t): t is number => t !== undefined);
  return {
    clients: options.clients,
    attempts: after.length,
    attemptsWhileDown: after.filter((at) => at < downUntil).length,
    peakPer100ms: Math.max(0, ...buckets.values()),
    backP50Ms: percentile(back, 50),
    backP90Ms: percentile(back, 90),
    backMaxMs: Math.max(0, ...back),
    neverBack: options.clients - back.length,
    histogram: Array.from({ length: Math.max(0, ...buckets.keys()) + 1 }, (_, i) => buckets.get(i) ?? 0),
  };
}
