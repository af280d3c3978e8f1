// `pnpm demo`: a real scenario server, a real client on ws, and a story of what servers and
// networks do — each close, each decision and each wait drawn on a live timeline.
import { parseArgs } from 'node:util';
import { createClient, type PolicyInput } from '@resock/node';
import { startScenarioServer } from '@resock/test-utils';
import { playStory } from './story';
import { type Row, summary } from './summary';
import { Timeline } from './timeline';

const usage = `Usage: pnpm demo [--plain] [--no-color]

Starts a WebSocket server on 127.0.0.1, connects a resock client, and plays a short story:
normal traffic, a server restart (1012), a dropped network (1006), an expired token
(3000 → refresh hook), an overloaded server (1013, then HTTP 429 + Retry-After) and a
final 1000. Each state change, close record and policy decision is printed as it happens.

  --plain      plain lines, no live countdown (the default when not on a terminal)
  --no-color   no colours
  --help       this text`;

const { values } = parseArgs({
  options: { plain: { type: 'boolean' }, 'no-color': { type: 'boolean' }, help: { type: 'boolean' } },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

/** The demo's policy: the default preset, with waits shortened so the story takes seconds. */
const demoPolicy: PolicyInput = {
  rules: [
    {
      name: 'demo-restart',
      codes: [1012],
      action: 'retry',
      firstDelayMs: [1000, 2500],
      description: '1012 Service Restart: a random 1–2.5 s here (5–30 s by default), so a fleet spreads out.',
    },
    {
      name: 'demo-overloaded',
      codes: [1013],
      action: 'throttle',
      minDelayMs: 3000,
      backoff: { type: 'constant', delayMs: 3000, jitterMs: 300 },
      description: '1013 Try Again Later: at least 3 s here (30 s by default), never at once.',
    },
  ],
  backoff: { type: 'exponential', initialDelayMs: 250, maxDelayMs: 2000, factor: 2, jitter: 'full' },
};

const tty = Boolean(process.stdout.isTTY) && !values.plain;
const timeline = new Timeline({ tty, color: tty && !values['no-color'], write: (text) => process.stdout.write(text) });
// A watchdog that cannot keep the process alive: the story must end well before it.
setTimeout(() => {
  console.error('demo: took longer than 90 s, giving up');
  process.exit(1);
}, 90_000).unref();

const server = await startScenarioServer();
let token = 1;
const client = createClient({
  url: () => `${server.url}/live?token=secret-${token}`,
  policy: demoPolicy,
  refresh: async ({ record }) => {
    token++;
    timeline.note('refresh', `hook called after ${record.code}: issued token #${token}`);
  },
});

const startedAt = performance.now();
const rows: Row[] = [];
client.on('state', ({ from, to }) => {
  if (!storyOver) timeline.state(from, to);
});
client.on('open', ({ url, attempt, protocol }) => {
  timeline.open(url, attempt, protocol);
  for (const row of rows) row.backAfterMs ??= performance.now() - row.closedAt;
});
let storyOver = false;
client.on('close', (record) => {
  if (storyOver) return; // the demo's own close() at the end is not part of the story
  timeline.close(record);
  rows.push({ record, closedAt: performance.now() });
});
client.on('reconnecting', ({ decision }) => {
  const row = rows.at(-1);
  if (row) row.decision = decision;
  timeline.decision(decision);
});
client.on('failed', ({ decision, reason }) => {
  const row = rows.at(-1);
  if (row) row.decision = decision;
  timeline.decision(decision, reason);
});
client.on('message', (data) => timeline.note('message', `← ${JSON.stringify(String(data))}`));
client.on('dropped', ({ data }) => timeline.note('dropped', String(data)));
client.on('error', (error) => timeline.note('error', error.message));

timeline.note('server', `listening on ${server.url}`);
await playStory(server, client, timeline);
storyOver = true;
timeline.stopCountdown();
await client.close();
await server.stop();
console.log(`\n${summary(rows, client.stats, performance.now() - startedAt)}`);
