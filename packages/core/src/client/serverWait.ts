import { type Decision, FLOOR_SPREAD } from '../policy/decide';

/**
 * When a server-ordered wait not over yet (at `now`) ends: a throttle's whole wait, or the part
 * of another retry's that the server asked for (its `retryAfterMs`; the rest is the client's own
 * back-off, which going online or a page shown again cuts short as for any retry).
 */
export function serverDue(
  now: number,
  { decision, dueAt }: { decision: Decision | undefined; dueAt: number | undefined },
): number | undefined {
  if (!decision || dueAt === undefined) return undefined;
  const { action, retryAfterMs, delayMs } = decision;
  // A wait the server's word set (its spread included) is all the server's; past a longer
  // back-off, only its word is.
  const due =
    action === 'throttle' || (retryAfterMs !== undefined && delayMs <= retryAfterMs * (1 + FLOOR_SPREAD))
      ? dueAt
      : retryAfterMs === undefined
        ? undefined
        : dueAt - delayMs + retryAfterMs;
  return due !== undefined && now < due ? due : undefined;
}
