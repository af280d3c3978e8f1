import { MAX_TIMER_DELAY_MS } from '../clock';
import type { CloseRecord } from '../close/closeRecord';
import type { Decision } from '../policy/decide';
import { type Env, MIN_ASKED_DIAL_MS } from './machineTypes';
import { type Draft, enter, letGo, resetOutage, start } from './stepCore';

// The state machine's attempts: when one may start (online, the page shown, the app's own a
// second apart), starting it, and the move to a new connection (stepCore.ts has the rest).

/**
 * What an attempt due now would wait for (`Client.waitingFor` reads it too): the device back
 * online, or, for a retry (a `record` to retry after), the page shown with pauseWhenHidden.
 */
export function heldFor(
  env: Pick<Env, 'online' | 'visible' | 'pauseWhenHidden'>,
  record: CloseRecord | undefined,
): 'online' | 'visible' | undefined {
  if (!env.online) return 'online';
  return env.pauseWhenHidden && !env.visible && record ? 'visible' : undefined;
}

/**
 * The retry is due: refresh first if the policy said so, then connect — unless the device is
 * offline (or, for a retry, the page hidden with pauseWhenHidden): then hold until the
 * environment changes. A first connection is not a retry: a page opened in a background tab
 * still connects.
 */
export function beginAttempt(
  s: Draft,
  record: CloseRecord | undefined,
  decision: Decision | undefined,
  refresh = false,
  asked?: boolean,
): void {
  if (heldFor(s.env, record)) {
    enter(s, { status: 'waiting', refresh, record, decision, dueAt: undefined, hold: 'parked' });
    return;
  }
  if (refresh && record) {
    // Waiting with no timer and no hold: the refresh hook is running.
    enter(s, { status: 'waiting', refresh, record, decision, dueAt: undefined, hold: 'none' });
    s.effects.push({ type: 'refresh', record, attempt: s.machine.outage.failures });
    return;
  }
  connect(s, asked, asked);
}

/**
 * How long what the app asks for (reconnect(), open()) waits before it dials or runs its refresh
 * hook: until MIN_ASKED_DIAL_MS after the one it asked for before; noted as the next one's mark.
 */
export function askedWait(s: Draft): number {
  const { now } = s.env;
  const last = s.machine.askedAt;
  // (At most the floor: a clock that went back holds nothing longer.)
  const afterMs = last === undefined ? 0 : Math.min(MIN_ASKED_DIAL_MS, Math.max(0, last + MIN_ASKED_DIAL_MS - now));
  s.machine = { ...s.machine, askedAt: now + afterMs };
  return afterMs;
}

/**
 * A new attempt. `fresh`: one a reconnect(), an open() or a move started, which a reconnect()
 * meanwhile leaves be; `asked`: the app's (reconnect(), open()), dialled after askedWait.
 */
export function connect(s: Draft, fresh?: boolean, asked?: boolean): void {
  const afterMs = asked ? askedWait(s) : 0;
  const id = s.machine.nextId;
  s.machine = { ...s.machine, nextId: id + 1 };
  enter(s, fresh ? { status: 'connecting', id, fresh: true } : { status: 'connecting', id });
  // The deadline is the dial's (the wait before it is not the server's slowness), within a
  // timer's range: past it, a timer fires at once.
  start(s, 'connect', Math.min(MAX_TIMER_DELAY_MS, s.env.connectTimeoutMs + afterMs), id);
  s.effects.push(afterMs > 0 ? { type: 'connect', id, afterMs } : { type: 'connect', id });
}

/**
 * maxConnectionAgeMs: open connection `id` moves to a new one — let go meaning to come back
 * (reconnectCloseCode, reason max-age) and the next dialled at once, as for reconnect(); the
 * outage's counters start over, as nothing failed.
 */
export function moveOn(s: Draft, id: number): void {
  letGo(s, { status: 'open', id }, s.env.reconnectCloseCode, 'max-age');
  resetOutage(s);
  connect(s, true);
}
