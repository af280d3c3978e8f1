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
export async function playStory(
  server: ScenarioServer,
  client: Client,
  timeline: Timeline,
  reliableClient: () => Client,
): Promise<void> {
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

  await reliableDelivery(server, reliableClient, timeline);
}

/**
 * A message written just before a link dies can vanish: the socket took it, the server never
 * read it. With `reliable`, the client keeps each order until the server acknowledges it and
 * resends what was not acknowledged after the reconnect.
 */
async function reliableDelivery(server: ScenarioServer, reliableClient: () => Client, timeline: Timeline) {
  timeline.section('7. reliable delivery (opt-in): what a dying link swallowed is sent again');
  server.setDefault({ kind: 'ack' });
  server.plan({ kind: 'silent' }); // the next connection is accepted, then the server reads nothing
  const orders = reliableClient();
  await orders.opened();
  const acked = new Promise<void>((resolve) => {
    const off = orders.on('acked', ({ id }) => {
      timeline.note('acked', `order #${id} (${orders.stats.messagesUnacked} left in the outbox)`);
      if (orders.stats.messagesUnacked > 0) return;
      off();
      resolve();
    });
  });
  for (let id = 1; id <= 3; id++) {
    timeline.note('send', `order #${id} → ${orders.send(JSON.stringify({ id, item: `book ${id}` }))}`);
  }
  timeline.note('outbox', `${orders.stats.messagesUnacked} unacknowledged: the server is not reading`);
  const seenBefore = server.received.length;
  server.destroyAll(); // the link dies with the three orders in it
  await acked;
  const seen = server.received.slice(seenBefore).map((r) => String(r.data));
  const distinct = new Set(seen).size;
  timeline.note(
    'server',
    `received ${seen.length} orders (${distinct} distinct) after the reconnect: ${seen.join(' ')}`,
  );
}
