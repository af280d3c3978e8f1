import type { Contender } from '../contenders';
import type { ServerProcess } from '../serverProcess';
import { median, medianRatio } from '../stats';

export interface ThroughputResult {
  size: number;
  messages: number;
  rounds: number;
  /** Per contender: median msgs/s, median client CPU µs/msg, and both as ratios to raw-ws. */
  byContender: Record<string, { msgsPerSec: number; cpuUsPerMsg: number; msgsRatio: number; cpuRatio: number }>;
}

/** One trial: `total` text messages echoed with `window` in flight, on a fresh connection. */
async function trial(contender: Contender, url: string, payload: string, total: number, window: number) {
  const connection = contender.connect(url, { heartbeat: true });
  await new Promise<void>((resolve) => connection.onOpen(resolve));
  let sent = 0;
  let received = 0;
  const done = new Promise<void>((resolve) => {
    connection.onMessage(() => {
      received++;
      if (sent < total) {
        connection.send(payload);
        sent++;
      }
      if (received === total) resolve();
    });
  });
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (; sent < Math.min(window, total); sent++) connection.send(payload);
  await done;
  const elapsedMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await connection.close();
  return { msgsPerSec: total / (elapsedMs / 1000), cpuUsPerMsg: (used.user + used.system) / total };
}

/**
 * Pipelined echo, 1000 in flight: what a client costs while connected. Contenders are
 * interleaved (A B C D, A B C D, …) and each round's figures are divided by raw-ws's from the
 * same round; the medians of those ratios are reported.
 */
export async function throughput(
  contenders: readonly Contender[],
  server: ServerProcess,
  options: { size: number; messages: number; rounds: number },
): Promise<ThroughputResult> {
  const payload = 'x'.repeat(options.size);
  const speed: Array<Record<string, number>> = [];
  const cpu: Array<Record<string, number>> = [];
  // A warm-up round, not counted: JIT, sockets, the server's first allocations.
  for (const contender of contenders)
    await trial(contender, server.url, payload, Math.min(2000, options.messages), 1000);
  for (let round = 0; round < options.rounds; round++) {
    const s: Record<string, number> = {};
    const c: Record<string, number> = {};
    for (const contender of contenders) {
      const result = await trial(contender, server.url, payload, options.messages, 1000);
      s[contender.name] = result.msgsPerSec;
      c[contender.name] = result.cpuUsPerMsg;
    }
    speed.push(s);
    cpu.push(c);
  }
  const byContender: ThroughputResult['byContender'] = {};
  for (const { name } of contenders) {
    byContender[name] = {
      msgsPerSec: median(speed.map((r) => r[name] as number)),
      cpuUsPerMsg: median(cpu.map((r) => r[name] as number)),
      msgsRatio: medianRatio(speed, name, 'raw-ws'),
      cpuRatio: medianRatio(cpu, name, 'raw-ws'),
    };
  }
  return { size: options.size, messages: options.messages, rounds: options.rounds, byContender };
}
