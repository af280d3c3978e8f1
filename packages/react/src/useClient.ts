import type { Client } from '@resock/core';
import { type DependencyList, useState } from 'react';
import { useTaskEffect } from './taskEffect';

/** The client made last, and the deps it was made for. */
interface Made<TMessage> {
  readonly client: Client<TMessage>;
  readonly deps: DependencyList;
}

const sameDeps = (a: DependencyList, b: DependencyList) =>
  a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/**
 * A client the component owns: `create()` runs in a layout effect (never during render, so
 * server rendering makes none), again whenever `deps` change, and each client is closed when
 * its component unmounts or `deps` change. Undefined until that effect has run, and in the
 * render where `deps` change (that client is about to be closed: code given it would find it
 * closed); the render that follows, and useClientEvent's subscriptions, come in the same task,
 * before any event of the new client's socket.
 *
 * Under StrictMode, React runs effects twice in development: the first client is closed at once
 * (most often before its handshake is done) and a second one kept. A client shared by several
 * components is made outside React instead, and read with `useClientState` and `useClientEvent`.
 */
export function useClient<TMessage>(
  create: () => Client<TMessage>,
  deps: DependencyList,
): Client<TMessage> | undefined {
  const [made, setMade] = useState<Made<TMessage>>();
  // `deps` say when to make a new client, as useMemo's say when to compute again; `create` is a
  // new function on every render.
  useTaskEffect(() => {
    const client = create();
    setMade({ client, deps });
    // The promise settles with the last close record; nothing here waits for it.
    return () => void client.close();
  }, deps);
  return made && sameDeps(made.deps, deps) ? made.client : undefined;
}
