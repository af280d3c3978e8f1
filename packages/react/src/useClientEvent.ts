import type { Client, ClientEvents } from '@resock/core';
import { useInsertionEffect, useRef } from 'react';
import { useTaskEffect } from './taskEffect';

/**
 * Listens to one of the client's events while the component is mounted (and a client is
 * given), subscribing in a layout effect: a client useClient made is heard from its first
 * event. The listener may be a new function on every render: the latest one is called, and the
 * subscription is not redone for it.
 */
export function useClientEvent<TMessage, E extends keyof ClientEvents<TMessage>>(
  client: Client<TMessage> | undefined,
  event: E,
  listener: ClientEvents<TMessage>[E],
): void {
  const latest = useRef(listener);
  // Before any effect of this render runs, so an event never reaches a stale listener.
  useInsertionEffect(() => {
    latest.current = listener;
  });
  useTaskEffect(() => {
    if (!client) return undefined;
    const call = ((...args: unknown[]) =>
      (latest.current as (...given: unknown[]) => void)(...args)) as ClientEvents<TMessage>[E];
    return client.on(event, call);
  }, [client, event]);
}
