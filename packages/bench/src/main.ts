// `pnpm bench` (full, ~4 min) or `pnpm bench --smoke` (CI: a small run of each, to prove they
// work). resock side by side with raw ws and the peers, in the same run, as ratios; the server
// always in its own process. Prints one table and writes reports/bench.json.
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { bundle } from './benchmarks/bundle';
import { memory } from './benchmarks/memory';
import { offlineBuffer } from './benchmarks/offlineBuffer';
import { reconnectLatency } from './benchmarks/reconnect';
import { storm } from './benchmarks/storm';
import { stormAtScale } from './benchmarks/stormAtScale';
import { teardown } from './benchmarks/teardown';
import { throughput } from './benchmarks/throughput';
import { unackedWindow } from './benchmarks/unackedWindow';
import { contenders } from './contenders';
import { runPlan } from './plan';
import { ms, type Row, report, verdict, x } from './report';
import { ServerProcess } from './serverProcess';

const { values } = parseArgs({ options: { smoke: { type: 'boolean' } } });
const smoke = values.smoke ?? false;
const peers = ['reconnecting-websocket', 'partysocket'] as const;
const plan = runPlan(smoke);

const rows: Row[] = [];
const step = (name: string) => process.stderr.write(`bench: ${name}…\n`);
const results: Record<string, unknown> = {
  smoke,
  node: process.version,
  cpus: cpus().length,
  date: new Date().toISOString(),
};

const server = new ServerProcess();
await server.start();
try {
  for (const [size, messages] of [
    [64, plan.small],
    [16_384, plan.large],
  ] as const) {
    step(`throughput ${size} B`);
    const r = await throughput(contenders, server, { size, messages, rounds: plan.rounds });
    results[`throughput${size}`] = r;
    const c = r.byContender;
    const label = size === 64 ? '64 B' : '16 KiB';
    const raw = c['raw-ws'];
    rows.push([
      `throughput ${label}`,
      'msgs/s × raw ws',
      `${Math.round(raw?.msgsPerSec ?? 0)}/s`,
      x(c.resock?.msgsRatio),
      x(c[peers[0]]?.msgsRatio),
      x(c[peers[1]]?.msgsRatio),
      '≥ 0.97×',
      verdict((c.resock?.msgsRatio ?? 0) >= 0.97),
    ]);
    rows.push([
      `throughput ${label}`,
      'client CPU/msg × raw ws',
      `${(raw?.cpuUsPerMsg ?? 0).toFixed(1)} µs`,
      x(c.resock?.cpuRatio),
      x(c[peers[0]]?.cpuRatio),
      x(c[peers[1]]?.cpuRatio),
      '≤ 1.05×',
      verdict((c.resock?.cpuRatio ?? 9) <= 1.05),
    ]);
  }

  step('memory');
  const m = await memory(server, { clients: plan.memoryClients, idleMs: plan.idleMs, processes: plan.processes });
  results.memory = m;
  const mr = m.rows;
  rows.push([
    'memory (idle client)',
    'heap/client × raw ws',
    `${Math.round(mr['raw-ws']?.heapPerClient ?? 0)} B`,
    x(mr.resock?.heapRatio),
    x(mr[peers[0]]?.heapRatio),
    x(mr[peers[1]]?.heapRatio),
    '≤ 1.20×',
    verdict((mr.resock?.heapRatio ?? 9) <= 1.2),
  ]);
  rows.push([
    'memory (idle client)',
    'heap/client × raw ws, heartbeat on',
    '-',
    x(mr['resock (heartbeat on)']?.heapRatio),
    '-',
    '-',
    '≤ 1.20×',
    verdict((mr['resock (heartbeat on)']?.heapRatio ?? 9) <= 1.2),
  ]);
  rows.push([
    'memory (idle client)',
    'timers/client idle, heartbeat off/on',
    '0',
    `${mr.resock?.timersIdle ?? '-'} / ${(mr['resock (heartbeat on)']?.timersIdle ?? 0).toFixed(3)}`,
    `${mr[peers[0]]?.timersIdle}`,
    `${mr[peers[1]]?.timersIdle}`,
    '0 / ≪ 1',
    verdict((mr.resock?.timersIdle ?? 1) === 0 && (mr['resock (heartbeat on)']?.timersIdle ?? 1) < 0.1),
  ]);

  step('reconnect latency');
  const rl = await reconnectLatency(contenders, server, { trials: plan.trials });
  results.reconnect = rl;
  for (const mode of ['close 1012', 'destroy'] as const) {
    const r = rl.byMode[mode] ?? {};
    rows.push([
      `reconnect, ${mode === 'destroy' ? 'killed TCP' : 'close 1012'}`,
      'close → open × handshake',
      ms(rl.handshakeMs),
      x(r.resock?.ratio),
      x(r[peers[0]]?.ratio),
      x(r[peers[1]]?.ratio),
      '≤ 1.20×',
      verdict((r.resock?.ratio ?? 9) <= 1.2),
    ]);
  }

  step('storm (server killed, back after 1 s)');
  const kill: Record<string, Awaited<ReturnType<typeof storm>>> = {};
  for (const contender of contenders.slice(1)) {
    kill[contender.name] = await storm(contender, server, {
      clients: plan.stormClients,
      mode: 'kill',
      downMs: 1000,
      deadlineMs: 30_000,
    });
  }
  results.stormKill = kill;
  const share = (plan.stormClients / 10) * 1.5;
  rows.push([
    `storm, ${plan.stormClients} clients, kill`,
    'peak attempts / 100 ms',
    `uniform ${plan.stormClients / 10}`,
    `${kill.resock?.peakPer100ms}`,
    `${kill[peers[0]]?.peakPer100ms}`,
    `${kill[peers[1]]?.peakPer100ms}`,
    `≤ ${share}`,
    verdict((kill.resock?.peakPer100ms ?? 9e9) <= share),
  ]);
  rows.push([
    `storm, ${plan.stormClients} clients, kill`,
    'p50 back / never back',
    '-',
    `${ms(kill.resock?.backP50Ms)} / ${kill.resock?.neverBack}`,
    `${ms(kill[peers[0]]?.backP50Ms)} / ${kill[peers[0]]?.neverBack}`,
    `${ms(kill[peers[1]]?.backP50Ms)} / ${kill[peers[1]]?.neverBack}`,
    '≤ 2000 ms / 0',
    verdict((kill.resock?.backP50Ms ?? 9e9) <= 2000 && kill.resock?.neverBack === 0),
  ]);
  if (!smoke) {
    step('storm (server closes with 1012)');
    const restart: Record<string, Awaited<ReturnType<typeof storm>>> = {};
    for (const contender of contenders.slice(1)) {
      restart[contender.name] = await storm(contender, server, {
        clients: plan.stormClients,
        mode: '1012',
        downMs: 0,
        deadlineMs: 40_000,
      });
    }
    results.storm1012 = restart;
    rows.push([
      `storm, ${plan.stormClients} clients, 1012`,
      'peak / 100 ms, p50 back',
      '5–30 s spread',
      `${restart.resock?.peakPer100ms}, ${ms(restart.resock?.backP50Ms)}`,
      `${restart[peers[0]]?.peakPer100ms}, ${ms(restart[peers[0]]?.backP50Ms)}`,
      `${restart[peers[1]]?.peakPer100ms}, ${ms(restart[peers[1]]?.backP50Ms)}`,
      'peak ≤ 4',
      verdict((restart.resock?.peakPer100ms ?? 9e9) <= 4),
    ]);
  }

  step(`storm at scale (${plan.scale} simulated clients)`);
  const scale = await stormAtScale({ clients: plan.scale, downMs: 1000, horizonMs: 120_000, seed: 7 });
  results.stormAtScale = scale;
  rows.push([
    `storm at scale, ${plan.scale} clients`,
    'peak attempts/s × N/window',
    '-',
    x(scale.peakRatio),
    '-',
    '-',
    '≤ 1.20×',
    verdict(scale.peakRatio <= 1.2),
  ]);
  rows.push([
    `storm at scale, ${plan.scale} clients`,
    'back within cap, runtime',
    '-',
    `${(scale.backWithinCap * 100).toFixed(1)} %, ${(scale.runtimeMs / 1000).toFixed(1)} s`,
    '-',
    '-',
    '≥ 99 %, < 60 s',
    verdict(scale.backWithinCap >= 0.99 && scale.runtimeMs < 60_000),
  ]);

  step('offline buffer (ttlMs and signals at scale)');
  const buffer = offlineBuffer({ rate: 1000, ttlMs: plan.bufferTtlMs, aborts: plan.aborts });
  results.offlineBuffer = buffer;
  const waiting = `${buffer.waitingAtOnce / 1000}k`;
  rows.push([
    `offline buffer, 1000/s, ${plan.bufferTtlMs / 1000} s ttl`,
    `CPU share of a core (${waiting} waiting)`,
    '-',
    `${(buffer.cpuShare * 100).toFixed(1)} %`,
    'no ttlMs',
    'no ttlMs',
    '≤ 2 %',
    verdict(buffer.cpuShare <= 0.02),
  ]);
  rows.push([
    `offline buffer, ${plan.aborts / 1000}k queued`,
    'each aborted in turn, per abort',
    '-',
    `${buffer.abortUs.toFixed(1)} µs`,
    'no signal',
    'no signal',
    '≤ 50 µs',
    verdict(buffer.abortUs <= 50),
  ]);

  step('reliable delivery (many unacknowledged)');
  const unacked = unackedWindow({ waiting: plan.unacked, sends: plan.unackedSends, rounds: plan.unackedRounds });
  results.unacked = unacked;
  for (const mode of ['window', 'full'] as const) {
    const perSend = unacked[`${mode}Us`];
    const ratio = unacked[`${mode}Ratio`];
    rows.push([
      `reliable, ${plan.unacked / 1000}k unacked, ${mode === 'window' ? 'acked in turn' : 'full, drop-oldest'}`,
      'µs per send, × with 1k unacked',
      '-',
      `${perSend.toFixed(1)} µs, ${x(ratio)}`,
      'no acks',
      'no acks',
      '≤ 3×',
      verdict(ratio <= 3),
    ]);
  }

  step('teardown');
  const td = await teardown(contenders, server, { rounds: plan.teardownRounds });
  results.teardown = td;
  for (const state of ['open', 'waiting', 'retrying']) {
    const label =
      state === 'open' ? 'connected' : state === 'waiting' ? 'in a reconnect wait' : 'retrying a refused server';
    rows.push([
      `teardown, ${label}`,
      'close() → process exit',
      ms(td['raw-ws']?.[state]),
      ms(td.resock?.[state]),
      ms(td[peers[0]]?.[state]),
      ms(td[peers[1]]?.[state]),
      '≤ 20 ms',
      verdict((td.resock?.[state] ?? 9e9) <= 20),
    ]);
  }

  step('bundle');
  const b = await bundle();
  results.bundle = b;
  const kb = (v: number | undefined) => (v === undefined ? '-' : `${(v / 1024).toFixed(2)} KB`);
  rows.push([
    'bundle (browser, min + gzip)',
    'createClient, all-in',
    `${b['native WebSocket']?.gzip ?? 0} B (native)`,
    kb(b.resock?.gzip),
    kb(b[peers[0]]?.gzip),
    kb(b[peers[1]]?.gzip),
    '≤ 9 KB',
    verdict((b.resock?.gzip ?? 9e9) <= 9 * 1024),
  ]);
} finally {
  await server.stop();
}

report(rows, results, peers, smoke);
