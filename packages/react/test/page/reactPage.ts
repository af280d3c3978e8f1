// The test page: @resock/react's hooks (from dist, as users get them) in a React tree whose
// props the test sets through window.app, with every client the hooks made kept for checks.
import { type Client, createClient } from '@resock/browser';
import { useClient, useClientEvent, useClientState } from '@resock/react';
import { createElement, StrictMode, useState } from 'react';
import { createRoot, type Root } from 'react-dom/client';

const made: Client[] = [];

function Live({ url, label }: { url: string; label: string }) {
  const client = useClient(() => {
    const c = createClient({ url, policy: { backoff: { type: 'constant', delayMs: 50 } } });
    made.push(c);
    return c;
  }, [url]);
  const state = useClientState(client);
  const [last, setLast] = useState('');
  useClientEvent(client, 'open', () => client?.send('hello'));
  // A new function every render: the one of the latest render must hear the message.
  useClientEvent(client, 'message', (data) => setLast(`${label}:${String(data)}`));
  return createElement('p', { id: 'live' }, `${state ?? 'none'} ${last}`);
}

let root: Root | undefined;
let strict = false;
const render = (props: { url: string; label: string }) => {
  const tree = createElement(Live, props);
  root?.render(strict ? createElement(StrictMode, null, tree) : tree);
};

Object.assign(globalThis, {
  app: {
    mount(props: { url: string; label: string }, options: { strict?: boolean } = {}) {
      strict = options.strict ?? false;
      root = createRoot(document.body.appendChild(document.createElement('div')));
      render(props);
    },
    render,
    unmount: () => root?.unmount(),
    text: () => document.getElementById('live')?.textContent ?? '',
    states: () => made.map((c) => c.state),
  },
});
