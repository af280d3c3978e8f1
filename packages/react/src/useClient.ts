import type { Client } from '@resock/core';
import { type DependencyList, useState } from 'react';
import { useTaskEffect } from './taskEffect';

/** The client made last, the deps it was made for, and whether its effect was cleaned up. */
interface Made<TMessage> {
  readonly client: Client<TMessage>;
  readonly deps: DependencyList;
  /**
   * Set by the cleanup that closes the client. The same deps can render again after it: a hidden
   * `<Activity>` or a re-suspended Suspense boundary shown again, StrictMode's second run on
   * React 18. The client is not handed out then (the effect that runs next makes a new one).
   */
  disposed: boolean;
}

const sameDeps = (a: DependencyList, b: DependencyList) =>
  a.length === b.length && a.every((value, i) => Object.is(value, b[i]));

/**
 * A client the component owns: `create()` runs in a layout effect (never during render, so
 * server rendering makes none), again whenever `deps` change or the effect runs again, and each
 * client is closed when its effect is cleaned up (unmount, `deps` change, a hidden `<Activity>`
 * or a re-suspended Suspense boundary). Undefined until that effect has run, in the render where
 * `deps` change (that client is about to be closed: code given it would find it closed), and
 * once the client is closed until the next is made; the render that follows, and
 * useClientEvent's subscriptions, come in the same task, before any event of the new client's
 * socket.
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
    const current: Made<TMessage> = { client: create(), deps, disposed: false };
    setMade(current);
    return () => {
      current.disposed = true;
      // A microtask later, once the rest of this commit's cleanups have run: useClientEvent's
      // listeners (often in this component, after this hook, or in its children, cleaned up
      // after it) are taken back first, so none hears the close nobody asked it about (a
      // "disconnected" toast on every deps change and unmount). No socket event can come
      // between: each is a task of its own. The promise settles with the last close record;
      // nothing here waits for it.
      queueMicrotask(() => void current.client.close());
    };
  }, deps);
  return made && !made.disposed && sameDeps(made.deps, deps) ? made.client : undefined;
}
