// The benchmark table as `pnpm bench` prints it (the one in the root README), its cell formats,
// and the JSON report beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Row = [
  benchmark: string,
  metric: string,
  baseline: string,
  resock: string,
  rws: string,
  party: string,
  goal: string,
  met: string,
];

export const x = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : `${v.toFixed(2)}×`);
export const ms = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? '-' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;
export const verdict = (ok: boolean) => (ok ? 'yes' : 'NO');

/** Prints the table and writes `reports/bench.json` (or `bench-smoke.json`). */
export function report(
  rows: readonly Row[],
  results: Record<string, unknown>,
  peers: readonly [string, string],
  smoke: boolean,
): void {
  const header: Row = ['benchmark', 'metric', 'baseline', 'resock', peers[0], peers[1], 'resock goal', 'met'];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((r) => (r[i] ?? '').length)));
  const line = (r: Row) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(
    `resock benchmarks${smoke ? ' (smoke: tiny sizes, to prove the benchmarks run; not figures)' : ''} — Node ${process.version}, ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    'Medians over rounds; every ratio is to the baseline measured in this same run. On a 2-core machine differences under ~10 % are noise.\n',
  );
  console.log(line(header));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'reports');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, smoke ? 'bench-smoke.json' : 'bench.json'),
    `${JSON.stringify({ ...results, table: [header, ...rows] }, null, 2)}\n`,
  );
}
