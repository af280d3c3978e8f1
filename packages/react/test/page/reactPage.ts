// The test page: @resock/react's hooks (from dist, as users get them) in a React tree whose
// props the test sets through window.app, with every client the hooks made kept for checks.
import { type Client, createClient } from '@resock/browser';
import { createFakeTransport, type FakeTransport } from '@resock/core/testing';
import { useClient, useClientEvent, useClientState } from '@resock/react';
import { createElement, StrictMode, useEffect, useState, version } from 'react';
import { createRoot, type Root } from 'react-dom/client';

const made: Client[] = [];
const fakes: FakeTransport[] = [];
const log: string[] = [];
/** Subscriptions useClientEvent made, by event: a new listener each render must not add one. */
const subscriptions: Record<string, number> = {};

/** The client, its subscriptions counted. */
function counted(client: Client): Client {
  const on = client.on.bind(client);
  client.on = ((event: string, listener: never, options?: never) => {
    subscriptions[event] = (subscriptions[event] ?? 0) + 1;
    return on(event as 'open', listener, options);
  }) as Client['on'];
  made.push(client);
  return client;
}

type Props = { url: string; label: string; fake?: boolean };

/** A transport that opens a microtask after the client is made: sooner than any socket. */
function openingAtOnce() {
  const fake = createFakeTransport();
  fakes.push(fake);
  queueMicrotask(() => fake.last().accept());
  return fake;
}

function Live({ url, label, fake = false }: Props) {
  const client = useClient(() => {
    const transport = fake ? openingAtOnce() : undefined;
    return counted(createClient({ url, transport, policy: { backoff: { type: 'constant', delayMs: 50 } } }));
  }, [url]);
  const state = useClientState(client);
  const [last, setLast] = useState('');
  useClientEvent(client, 'open', () => client?.send('hello'));
  // A new function every render: the one of the latest render must hear the message.
  useClientEvent(client, 'message', (data) => setLast(`${label}:${String(data)}`));
  return createElement('p', { id: 'live' }, `${state ?? 'none'} ${last}`);
}

/** An app's effect that subscribes to a topic on the client of that topic. */
function Topic({ base, topic }: { base: string; topic: string }) {
  const client = useClient(() => counted(createClient({ url: `${base}/${topic}` })), [base, topic]);
  useEffect(() => {
    if (!client) return;
    try {
      client.send(`subscribe ${topic}`);
      log.push(`sent ${topic} on ${client.state}`);
    } catch (error) {
      log.push(`${(error as Error).name} for ${topic}`);
    }
  }, [client, topic]);
  return null;
}

let root: Root | undefined;
let strict = false;
const render = (props: Props) => {
  const tree = createElement(Live, props);
  root?.render(strict ? createElement(StrictMode, null, tree) : tree);
};

Object.assign(globalThis, {
  app: {
    mount(props: Props, options: { strict?: boolean } = {}) {
      strict = options.strict ?? false;
      root = createRoot(document.body.appendChild(document.createElement('div')));
      render(props);
    },
    render,
    topic(props: { base: string; topic: string }) {
      root ??= createRoot(document.body.appendChild(document.createElement('div')));
      root.render(createElement(Topic, props));
    },
    unmount: () => root?.unmount(),
    text: () => document.getElementById('live')?.textContent ?? '',
    states: () => made.map((c) => c.state),
    sent: () => fakes.map((f) => f.last().sent.map(String)),
    log: () => log,
    version: () => version,
    subscriptions: () => subscriptions,
  },
});
