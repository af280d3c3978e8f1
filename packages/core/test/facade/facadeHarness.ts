import { ReconnectingWebSocket, type ReconnectingWebSocketOptions, type ResockCloseEvent } from '@resock/core';
import { createFakeTransport, createVirtualClock, seededRandom } from '@resock/core/testing';

/**
 * A facade on a fake transport and a virtual clock, recording the order of its events.
 * `options` adds to (or replaces) the client's options.
 */
export function socket(
  options: { url?: string; protocols?: string | string[] } & Partial<ReconnectingWebSocketOptions> = {},
) {
  const { url = 'wss://chat.example.test/?token=t', protocols, ...rest } = options;
  const clock = createVirtualClock(0);
  const transport = createFakeTransport();
  const ws = new ReconnectingWebSocket(url, protocols, { transport, clock, random: seededRandom(3), ...rest });
  const seen: string[] = [];
  for (const type of ['open', 'message', 'close', 'error']) ws.addEventListener(type, () => seen.push(type));
  return { ws, transport, clock, seen };
}

/**
 * The next close event: one from close() comes from a task, as natively, not from inside the
 * call, so a test awaits it.
 */
export const nextClose = (ws: ReconnectingWebSocket) =>
  new Promise<ResockCloseEvent>((resolve) => ws.addEventListener('close', resolve, { once: true }));
