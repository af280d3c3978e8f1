// The page half of the demo: a @resock/browser client and a live view of what it does.
import { type CloseRecord, createClient, type Decision, describeCloseCode, ruleNote } from '@resock/browser';
import { closeDetails, handshakeText } from '../closeText';
import { demoPolicy } from '../demoPolicy';
import type { Control } from './pageServer';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const timeline = $('timeline');
const startedAt = performance.now();
let countdown: ReturnType<typeof setInterval> | undefined;

function add(kind: string, text: string, why?: string): void {
  const li = document.createElement('li');
  li.className = `k-${kind}`;
  const t = `+${((performance.now() - startedAt) / 1000).toFixed(1)}s`;
  li.innerHTML = `<span class="t"></span><span class="kind"></span><span class="text"></span>${why ? '<div class="why"></div>' : ''}`;
  (li.querySelector('.t') as HTMLElement).textContent = t;
  (li.querySelector('.kind') as HTMLElement).textContent = kind;
  (li.querySelector('.text') as HTMLElement).textContent = text;
  if (why) (li.querySelector('.why') as HTMLElement).textContent = `↳ ${why}`;
  timeline.append(li);
  timeline.scrollTop = timeline.scrollHeight;
}

function describe(record: CloseRecord): string {
  return `${describeCloseCode(record.code)}${handshakeText(record)}  ${closeDetails(record)}`;
}

function decided(decision: Decision): void {
  const what =
    decision.action === 'stop'
      ? `stop (${decision.stopReason})`
      : `${decision.action} in ${(decision.delayMs / 1000).toFixed(1)} s`;
  add('decide', `${what}  rule ${decision.rule}`, ruleNote(decision.rule) ?? decision.explanation);
  if (countdown) clearInterval(countdown);
  const until = performance.now() + decision.delayMs;
  const show = () => {
    const left = until - performance.now();
    $('countdown').textContent =
      decision.action !== 'stop' && left > 0 ? `next attempt in ${(left / 1000).toFixed(1)} s` : '';
    if (left <= 0 && countdown) clearInterval(countdown);
  };
  show();
  countdown = setInterval(show, 100);
}

let token = 1;
const client = createClient({
  // Relative to the page, as `new WebSocket('/live')` takes it; a function, so the refresh
  // hook's new token is in the next attempt's URL.
  url: () => `/live?token=secret-${token}`,
  policy: demoPolicy,
  refresh: async ({ record }) => {
    token++;
    add('refresh', `hook called after ${record.code}: issued token #${token}`);
  },
});
client.on('state', ({ from, to }) => {
  if (to !== 'waiting' && countdown) {
    clearInterval(countdown);
    $('countdown').textContent = '';
  }
  $('state').textContent = to;
  $('state').dataset.state = to;
  add('state', `${from} → ${to}`);
});
client.on('open', ({ url, attempt }) => add('open', `${url}  attempt ${attempt}`));
client.on('close', (record) => add('close', describe(record)));
client.on('reconnecting', ({ decision }) => decided(decision));
client.on('failed', ({ decision }) => decided(decision));
client.on('message', (data) => add('message', `← ${String(data)}`));

const control = (body: Control) =>
  fetch('/control', { method: 'POST', body: JSON.stringify(body) }).then((res) => {
    if (!res.ok) throw new Error(`control failed: ${res.status}`);
  });
const next = (event: 'open' | 'failed') => new Promise((resolve) => client.once(event, resolve));

$('close').onclick = () =>
  control({
    action: 'close',
    code: Number(($('code') as HTMLSelectElement).value),
    reason: ($('reason') as HTMLInputElement).value,
  });
$('drop').onclick = () => control({ action: 'drop' });
$('reject').onclick = () =>
  control({
    action: 'reject',
    status: Number(($('status') as HTMLSelectElement).value),
    retryAfter: Number(($('retryAfter') as HTMLInputElement).value),
  });

// The same story as the terminal demo, told by the page's own client.
$('story').onclick = async () => {
  const chapter = (title: string) => add('chapter', title);
  if (client.state === 'failed') client.reconnect();
  await client.opened();
  chapter('1. normal traffic');
  for (let i = 1; i <= 3; i++) client.send(`hello ${i}`);
  chapter('2. the server restarts (1012)');
  let reopened = next('open');
  await control({ action: 'close', code: 1012, reason: 'deploy' });
  await reopened;
  chapter('3. the network drops (1006)');
  reopened = next('open');
  await control({ action: 'drop' });
  await reopened;
  chapter('4. the token expires (3000 → refresh hook)');
  reopened = next('open');
  await control({ action: 'close', code: 3000, reason: 'token expired' });
  await reopened;
  chapter('5. overloaded (1013 Try Again Later)');
  reopened = next('open');
  await control({ action: 'close', code: 1013, reason: 'overloaded' });
  await reopened;
  chapter('6. goodbye (1000)');
  const failed = next('failed');
  await control({ action: 'close', code: 1000, reason: 'goodbye' });
  await failed;
};
