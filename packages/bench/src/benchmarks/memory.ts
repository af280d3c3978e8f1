import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ServerProcess } from '../serverProcess';
import { median } from '../stats';

const child = fileURLToPath(new URL('./memoryChild.ts', import.meta.url));

export interface MemoryRow {
  heapPerClient: number;
  heapRatio: number;
  timersAfterOpen: number;
  timersIdle: number;
}

async function once_(name: string, url: string, clients: number, idleMs: number, heartbeat: boolean) {
  const proc = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', child, name, url, String(clients), String(idleMs), heartbeat ? 'on' : 'off'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await once(proc, 'exit');
  return JSON.parse(out.trim().split('\n')[0] ?? '{}') as Omit<MemoryRow, 'heapRatio'>;
}

/**
 * Heap per idle connected client, N at a time, after forced GC, each contender in a fresh
 * process (median of `processes` runs), as a ratio to raw ws; and how many timers each client
 * keeps. resock is measured with the heartbeat off and on (on is its Node default).
 */
export async function memory(server: ServerProcess, options: { clients: number; idleMs: number; processes: number }) {
  const variants: Array<[label: string, contender: string, heartbeat: boolean]> = [
    ['raw-ws', 'raw-ws', false],
    ['resock', 'resock', false],
    ['resock (heartbeat on)', 'resock', true],
    ['reconnecting-websocket', 'reconnecting-websocket', false],
    ['partysocket', 'partysocket', false],
  ];
  const runs: Record<string, Array<Omit<MemoryRow, 'heapRatio'>>> = {};
  for (let i = 0; i < options.processes; i++) {
    for (const [label, name, heartbeat] of variants) {
      const list = runs[label] ?? [];
      list.push(await once_(name, server.url, options.clients, options.idleMs, heartbeat));
      runs[label] = list;
    }
  }
  const rows: Record<string, MemoryRow> = {};
  const baseline = median((runs['raw-ws'] ?? []).map((r) => r.heapPerClient));
  for (const [label, results] of Object.entries(runs)) {
    const heapPerClient = median(results.map((r) => r.heapPerClient));
    rows[label] = {
      heapPerClient,
      heapRatio: heapPerClient / baseline,
      timersAfterOpen: median(results.map((r) => r.timersAfterOpen)),
      timersIdle: median(results.map((r) => r.timersIdle)),
    };
  }
  return { clients: options.clients, rows };
}
