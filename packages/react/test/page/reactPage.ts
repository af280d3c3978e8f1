// The test page: @resock/react's hooks (from dist, as users get them) in a React tree whose
// props the test sets through window.app, with every client the hooks made kept for checks.
import { type Client, createClient } from '@resock/browser';
import { createFakeTransport, type FakeTransport } from '@resock/core/testing';
import { useClient, useClientEvent, useClientState } from '@resock/react';
import * as React from 'react';
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

/**
 * An app's room: joins on each client it is given (an effect on [client]), and tells each close
 * it hears. `seen` is what each render was handed: a client closed or closing is a bug.
 */
const seen: string[] = [];
function Room({ base, room }: { base: string; room: string }) {
  const client = useClient(() => counted(createClient({ url: `${base}/${room}` })), [base, room]);
  seen.push(client ? client.state : 'none');
  useEffect(() => {
    if (!client) return;
    try {
      client.send(`join ${room}`);
      log.push(`joined ${room} on ${client.state}`);
    } catch (error) {
      log.push(`${(error as Error).name} joining ${room}`);
    }
  }, [client, room]);
  useClientEvent(client, 'close', (record) => log.push(`close ${record.code} heard in ${room}`));
  useClientEvent(client, 'state', ({ to }) => {
    if (to === 'closing' || to === 'closed') log.push(`${to} heard in ${room}`);
  });
  return createElement('p', { id: 'room' }, useClientState(client) ?? 'none');
}

/** React 19.2's Activity (undefined on 18): a hidden tab keeps its state, its effects cleaned up. */
const Activity = (React as unknown as { Activity?: React.ComponentType<{ mode: string; children?: React.ReactNode }> })
  .Activity;

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
    room(props: { base: string; room: string }, options: { strict?: boolean; hidden?: boolean } = {}) {
      root ??= createRoot(document.body.appendChild(document.createElement('div')));
      let tree: React.ReactElement = createElement(Room, props);
      if (options.hidden !== undefined && Activity)
        tree = createElement(Activity, { mode: options.hidden ? 'hidden' : 'visible' }, tree);
      root.render(options.strict ? createElement(StrictMode, null, tree) : tree);
    },
    hasActivity: () => Activity !== undefined,
    seen: () => seen,
    unmount() {
      root?.unmount();
      root = undefined;
    },
    text: () => document.getElementById('live')?.textContent ?? '',
    states: () => made.map((c) => c.state),
    sent: () => fakes.map((f) => f.last().sent.map(String)),
    log: () => log,
    version: () => version,
    subscriptions: () => subscriptions,
  },
});
