// The page half of the demo: a @resock/browser client and a live view of what it does.
import { type CloseRecord, createClient, type Decision, describeCloseCode, ruleNote } from '@resock/browser';
import { closeDetails, decisionWhy, handshakeText } from '../closeText';
import { demoPolicy } from '../demoPolicy';
import type { Control } from './control';

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
  add('decide', `${what}  rule ${decision.rule}`, decisionWhy(decision, ruleNote(decision.rule)));
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
  // Started once the listeners below are on, so the timeline shows the first attempt begin.
  lazy: true,
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
client.open();

/**
 * Asks the server to misbehave. A refusal throws with the server's own words (its JSON
 * `{ error }`), so whoever called can put it on the timeline: nothing else on the page would show it.
 */
async function control(body: Control): Promise<void> {
  const res = await fetch('/control', { method: 'POST', body: JSON.stringify(body) });
  if (res.ok) return;
  const text = await res.text();
  let error = text;
  try {
    error = String((JSON.parse(text) as { error?: unknown }).error ?? text);
  } catch {
    // not JSON (a proxy's error page, say): shown as it came
  }
  throw new Error(`the server refused ${body.action} (${res.status}): ${error}`);
}
const showFailure = (error: unknown) => add('error', error instanceof Error ? error.message : String(error));

/**
 * Resolves on the client's next `event`. A client that stops while the story waits for an open
 * (a Close with 1000 clicked mid-story, say) would keep it waiting for ever, so that rejects.
 */
const next = (event: 'open' | 'failed') =>
  new Promise<void>((resolve, reject) => {
    if (event === 'failed') return void client.once('failed', () => resolve());
    const offFailed = client.once('failed', () => {
      offOpen();
      reject(new Error('the client stopped before the story was over'));
    });
    const offOpen = client.once('open', () => {
      offFailed();
      resolve();
    });
  });

/**
 * Close and Drop act on an open connection. Without one (a countdown, an attempt under way, a
 * stop) the server has nothing to act on: said on the timeline rather than nothing happening.
 */
const whenOpen = (act: () => Promise<void>) => () => {
  if (client.state === 'open') return act().catch(showFailure);
  add('note', `no open connection to act on (the client is ${client.state}): nothing was done`);
};

$('close').onclick = whenOpen(() =>
  control({
    action: 'close',
    code: Number(($('code') as HTMLSelectElement).value),
    reason: ($('reason') as HTMLInputElement).value,
  }),
);
$('drop').onclick = whenOpen(() => control({ action: 'drop' }));
$('reject').onclick = () =>
  control({
    action: 'reject',
    status: Number(($('status') as HTMLSelectElement).value),
    retryAfter: Number(($('retryAfter') as HTMLInputElement).value),
  }).catch(showFailure);

/** A chapter: a title, what the server is asked to do, and the client's answer to wait for. */
async function chapter(title: string, body?: Control, until: 'open' | 'failed' = 'open'): Promise<void> {
  add('chapter', title);
  if (!body) return;
  const answered = next(until);
  // Should the request fail, the wait is abandoned: its later rejection is nobody's business.
  answered.catch(() => undefined);
  await control(body);
  await answered;
}

// The same story as the terminal demo, told by the page's own client.
async function playStory(): Promise<void> {
  if (client.state === 'failed') client.reconnect();
  await client.opened();
  await chapter('1. normal traffic');
  for (let i = 1; i <= 3; i++) client.send(`hello ${i}`);
  await chapter('2. the server restarts (1012)', { action: 'close', code: 1012, reason: 'deploy' });
  await chapter('3. the network drops (1006)', { action: 'drop' });
  await chapter('4. the token expires (3000 → refresh hook)', { action: 'close', code: 3000, reason: 'token expired' });
  await chapter('5. overloaded (1013 Try Again Later)', { action: 'close', code: 1013, reason: 'overloaded' });
  await chapter('6. goodbye (1000)', { action: 'close', code: 1000, reason: 'goodbye' }, 'failed');
}

// One story at a time: two would interleave their chapters and close each other's connections,
// and the later one would wait for ever on a client the earlier one had stopped.
const story = $<HTMLButtonElement>('story');
story.onclick = async () => {
  story.disabled = true;
  try {
    await playStory();
  } catch (error) {
    showFailure(error);
  } finally {
    story.disabled = false;
  }
};
