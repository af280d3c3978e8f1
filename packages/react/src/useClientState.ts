import type { Client, ClientStatus } from '@resock/core';
import { useCallback, useSyncExternalStore } from 'react';

/**
 * The client's state (`'connecting'`, `'open'`, `'waiting'`, …), re-rendering on each change;
 * undefined without a client (before `useClient`'s first effect) and on the server.
 */
export function useClientState<TMessage>(client: Client<TMessage> | undefined): ClientStatus | undefined {
  const subscribe = useCallback(
    (changed: () => void) => (client ? client.on('state', changed) : () => undefined),
    [client],
  );
  return useSyncExternalStore(
    subscribe,
    () => client?.state,
    () => undefined,
  );
}
