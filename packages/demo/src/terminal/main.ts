// `pnpm demo`: a real scenario server, a real client on ws, and a story of what servers and
// networks do — each close, each decision and each wait drawn on a live timeline.
import { parseArgs } from 'node:util';
import { type Client, createClient } from '@resock/node';
import { jsonAcks, startScenarioServer } from '@resock/test-utils';
import { demoPolicy } from '../demoPolicy';
import { startDemoPage } from '../page/pageServer';
import { playStory } from './story';
import { type Row, summary } from './summary';
import { Timeline } from './timeline';

const usage = `Usage: pnpm demo [--serve] [--plain] [--no-color]

Starts a WebSocket server on 127.0.0.1, connects a resock client, and plays a short story:
normal traffic, a server restart (1012), a dropped network (1006), an expired token
(3000 → refresh hook), an overloaded server (1013, then HTTP 429 + Retry-After), a
final 1000, and reliable delivery resending what a dying link swallowed. Each state change, close record and policy decision is printed as it happens.
It also serves a page (its URL is printed) where a @resock/browser client plays the same
story, with buttons to make the server close with a code, drop the network or refuse the
handshake.

  --serve      keep serving the page after the terminal story, until Ctrl-C
  --plain      plain lines, no live countdown (the default when not on a terminal)
  --no-color   no colours
  --help       this text`;

/** The options, or exit 2 with the usage on stderr: a mistyped flag deserves a hint, not a stack trace. */
function readOptions() {
  const args = process.argv.slice(2);
  // `pnpm demo -- --serve`, the npm habit, hands the script a literal `--` first.
  if (args[0] === '--') args.shift();
  try {
    return parseArgs({
      args,
      options: {
        plain: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean' },
        serve: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    console.error(`demo: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
}
const values = readOptions();
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const tty = Boolean(process.stdout.isTTY) && !values.plain;
const timeline = new Timeline({ tty, color: tty && !values['no-color'], write: (text) => process.stdout.write(text) });
// A watchdog that cannot keep the process alive: the story must end well before it.
if (!values.serve) {
  setTimeout(() => {
    console.error('demo: took longer than 90 s, giving up');
    process.exit(1);
  }, 90_000).unref();
}

const server = await startScenarioServer();
let token = 1;
const client = createClient({
  url: () => `${server.url}/live?token=secret-${token}`,
  policy: demoPolicy,
  refresh: async ({ record }) => {
    token++;
    timeline.note('refresh', `hook called after ${record.code}: issued token #${token}`);
  },
  // Started once watched, so the timeline shows its first attempt begin (idle → connecting).
  lazy: true,
});

const startedAt = performance.now();
const rows: Row[] = [];
let storyOver = false;
/** Draws everything a client does on the timeline, and keeps a summary row per close. */
function watch(watched: Client): void {
  const pending: Row[] = [];
  watched.on('state', ({ from, to }) => {
    if (!storyOver) timeline.state(from, to);
  });
  watched.on('open', ({ url, attempt, protocol }) => {
    timeline.open(url, attempt, protocol);
    for (const row of pending.splice(0)) row.backAfterMs = performance.now() - row.closedAt;
  });
  watched.on('close', (record) => {
    if (storyOver) return; // the demo's own close() at the end is not part of the story
    timeline.close(record);
    const row = { record, closedAt: performance.now() };
    rows.push(row);
    pending.push(row);
  });
  watched.on('reconnecting', ({ decision }) => {
    const row = pending.at(-1);
    if (row) row.decision = decision;
    timeline.decision(decision);
  });
  watched.on('failed', ({ decision, reason }) => {
    const row = pending.at(-1);
    if (row) row.decision = decision;
    timeline.decision(decision, reason);
  });
  watched.on('message', (data) => timeline.note('message', `← ${JSON.stringify(String(data))}`));
  watched.on('dropped', ({ data }) => timeline.note('dropped', String(data)));
  watched.on('error', (error) => timeline.note('error', error.message));
}
watch(client);
client.open();

const others: Client[] = [];
const reliableClient = () => {
  // Orders are JSON { id, … }, acked as { ack: id }. Lazy: started once watched, as the live one.
  const orders = createClient({ url: `${server.url}/orders`, policy: demoPolicy, reliable: jsonAcks, lazy: true });
  watch(orders);
  orders.open();
  others.push(orders);
  return orders;
};

const page = await startDemoPage();
timeline.note('server', `listening on ${server.url}`);
timeline.note(
  'browser',
  `the same story in a page: ${page.pageUrl}${values.serve ? '' : '  (served while the demo runs; --serve keeps it up)'}`,
);
await playStory(server, client, timeline, reliableClient);
storyOver = true;
timeline.stopCountdown();
await Promise.all([client, ...others].map((c) => c.close()));
await server.stop();
console.log(
  `\n${summary(
    rows,
    [client, ...others].map((c) => c.stats),
    performance.now() - startedAt,
  )}`,
);
if (values.serve) {
  console.log(`\nServing the page at ${page.pageUrl} until Ctrl-C.`);
  process.once('SIGINT', () => void page.stop());
} else {
  await page.stop();
}
