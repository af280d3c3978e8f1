import type { Client } from '@resock/core';
import { type DependencyList, useEffect, useState } from 'react';

/**
 * A client the component owns: `create()` runs in an effect (never during render, so server
 * rendering makes none), again whenever `deps` change, and each client is closed when its
 * component unmounts or `deps` change. Undefined until the first effect has run.
 *
 * Under StrictMode, React runs effects twice in development: the first client is closed at once
 * and a second one kept, so a server sees one short connection before the one that stays.
 * A client shared by several components is made outside React instead, and read with
 * `useClientState` and `useClientEvent`.
 */
export function useClient<TMessage>(
  create: () => Client<TMessage>,
  deps: DependencyList,
): Client<TMessage> | undefined {
  const [client, setClient] = useState<Client<TMessage>>();
  const own = () => {
    const made = create();
    setClient(made);
    // The promise settles with the last close record; nothing here waits for it.
    return () => void made.close();
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: create is a new function each render; deps say when it runs again.
  useEffect(own, [...deps]);
  return client;
}
