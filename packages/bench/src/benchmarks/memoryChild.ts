// One memory measurement in a fresh process (run with --expose-gc): connect N idle clients of
// one contender, count timers right after the opens and after an idle spell, then the heap
// growth per client after forced GC.
import { setTimeout as sleep } from 'node:timers/promises';
import { contenders } from '../contenders';

const [name = '', url = '', count = '1000', idle = '6000', heartbeat = 'off'] = process.argv.slice(2);
const contender = contenders.find((c) => c.name === name);
if (!contender) throw new Error(`no contender ${name}`);
const n = Number(count);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

const baselineTimers = timers();
const before = heap();
const connections = [];
const opened = [];
for (let i = 0; i < n; i++) {
  const connection = contender.connect(url, { heartbeat: heartbeat === 'on' });
  connections.push(connection);
  opened.push(new Promise<void>((resolve) => connection.onOpen(resolve)));
}
await Promise.all(opened);
const timersAfterOpen = timers() - baselineTimers;
await sleep(Number(idle));
const timersIdle = timers() - baselineTimers;
const after = heap();
process.stdout.write(
  `${JSON.stringify({ heapPerClient: (after - before) / n, timersAfterOpen: timersAfterOpen / n, timersIdle: timersIdle / n })}\n`,
);
await Promise.all(connections.map((c) => c.close()));
process.exit(0);
