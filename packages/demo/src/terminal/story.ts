import type { Client, FailedEvent, OpenEvent } from '@resock/node';
import type { ScenarioServer } from '@resock/test-utils';
import type { Timeline } from './timeline';

const next = <T>(client: Client, event: 'open' | 'close' | 'failed') =>
  new Promise<T>((resolve) => client.once(event, resolve as never));

/** Resolves once `client` has received `count` messages in all. */
const received = (client: Client, count: number) =>
  new Promise<void>((resolve) => {
    const check = () => {
      if (client.stats.messagesReceived < count) return;
      off();
      resolve();
    };
    const off = client.on('message', check);
    check();
  });

/**
 * The scripted story: each chapter makes the server do what real servers do, and waits for
 * the client to deal with it. Every wait is on an event, never on a sleep.
 */
export async function playStory(server: ScenarioServer, client: Client, timeline: Timeline): Promise<void> {
  timeline.section('1. normal traffic');
  await client.opened();
  for (let i = 1; i <= 3; i++) {
    timeline.note('send', `"hello ${i}" → ${client.send(`hello ${i}`)}`);
  }
  await received(client, 3); // the server echoes each one

  timeline.section('2. the server restarts (1012 Service Restart)');
  let reopened = next<OpenEvent>(client, 'open');
  server.closeAll(1012, 'deploy');
  await reopened;

  timeline.section('3. the network drops (1006: no close frame)');
  reopened = next<OpenEvent>(client, 'open');
  const dropped = next(client, 'close');
  server.destroyAll();
  await dropped;
  for (const text of ['sent while offline 1', 'sent while offline 2']) {
    timeline.note('send', `"${text}" → ${client.send(text)}`);
  }
  await reopened;
  await server.waitForReceived(5); // the two queued messages, delivered once each after the reconnect

  timeline.section('4. the token expires (3000 Unauthorized → refresh hook)');
  reopened = next<OpenEvent>(client, 'open');
  server.closeAll(3000, 'token expired');
  await reopened;

  timeline.section('5. the server is overloaded (1013, then HTTP 429 + Retry-After: 2)');
  reopened = next<OpenEvent>(client, 'open');
  server.plan({ kind: 'reject', status: 429, headers: { 'Retry-After': '2' } });
  server.closeAll(1013, 'overloaded');
  await reopened;

  timeline.section('6. goodbye (1000 Normal Closure from the server)');
  const failed = next<FailedEvent>(client, 'failed');
  server.closeAll(1000, 'goodbye');
  await failed;
}
