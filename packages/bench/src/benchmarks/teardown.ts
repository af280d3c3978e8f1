import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Contender } from '../contenders';
import type { ServerProcess } from '../serverProcess';
import { median } from '../stats';

const child = fileURLToPath(new URL('./teardownChild.ts', import.meta.url));

/** A port nothing listens on: bind one, close it. */
async function refusedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  return typeof address === 'object' && address ? address.port : 9;
}

async function measure(
  contender: Contender,
  server: ServerProcess,
  state: string,
  refusedUrl: string,
): Promise<number> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, contender.name, server.url, state, refusedUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let closedAt = 0;
  let out = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('ready\n') && state === 'waiting' && !out.includes('asked')) {
      out += 'asked';
      void server.command('close 4002');
    }
    if (out.includes('closed\n') && !closedAt) closedAt = performance.now();
  });
  await once(proc, 'exit');
  return performance.now() - closedAt;
}

/** `close()` → natural process exit, connected / 200 ms into a reconnect wait / while retrying a refused server. */
export async function teardown(contenders: readonly Contender[], server: ServerProcess, options: { rounds: number }) {
  const refusedUrl = `ws://127.0.0.1:${await refusedPort()}`;
  const rows: Record<string, Record<string, number>> = {};
  for (const state of ['open', 'waiting', 'retrying']) {
    for (const contender of contenders) {
      const samples: number[] = [];
      for (let i = 0; i < options.rounds; i++) samples.push(await measure(contender, server, state, refusedUrl));
      rows[contender.name] = { ...rows[contender.name], [state]: median(samples) };
    }
  }
  return rows;
}
