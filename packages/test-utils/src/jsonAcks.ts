import type { ReliableOptions } from '@resock/core';

/** The value of `key` in a JSON object message, or undefined for anything else (never a throw). */
export function jsonField(text: string, key: string): unknown {
  try {
    return (JSON.parse(text) as Record<string, unknown> | null)?.[key];
  } catch {
    return undefined;
  }
}

const idIn = (data: unknown, key: string) => {
  const value = typeof data === 'string' ? jsonField(data, key) : undefined;
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
};

/**
 * The client half of the scenario server's `ack` mode: messages are JSON `{ id, … }`, and the
 * server acknowledges each with `{ ack: id }`.
 */
export const jsonAcks: ReliableOptions = {
  id: (message) => idIn(message, 'id'),
  ackOf: (incoming) => idIn(incoming, 'ack'),
};
