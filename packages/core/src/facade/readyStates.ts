import type { ClientStatus } from '../client/state';

/** The facade's `readyState` for each state of the client underneath. */
export const readyStates: Record<ClientStatus, 0 | 1 | 2 | 3> = {
  idle: 0,
  connecting: 0,
  // Between attempts the socket is on its way back: code that waits for OPEN keeps waiting.
  waiting: 0,
  open: 1,
  closing: 2,
  closed: 3,
  failed: 3,
  // disconnect(): nothing connects until open() or reconnect(), as after a WebSocket's close.
  disconnected: 3,
};
