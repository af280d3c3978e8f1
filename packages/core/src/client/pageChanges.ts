import type { CloseRecord } from '../close/closeRecord';
import type { EnvironmentChange } from '../environment';
import type { Decision } from '../policy/decide';
import { beginAttempt, moveOn } from './attempts';
import { serverDue } from './serverWait';
import { cancel, type Draft, enter, letGo, lost, start, stopWaiting } from './stepCore';

// The state machine's part that follows the page and the network (transition.ts has the rest).

/** The device or the page changed (online, offline, visible, hidden, pagehide, pageshow). */
export function pageChange(s: Draft, change: EnvironmentChange): void {
  const phase = s.machine.phase;
  switch (change) {
    case 'online':
    case 'visible':
      // Its maxConnectionAgeMs came while offline: it moves now.
      if (change === 'online' && phase.status === 'open' && phase.aged) {
        moveOn(s, phase.id);
        return;
      }
      // Shown again: a liveness check its throttled timer still owes is made now (a laptop
      // waking, a tab back from the background), holding sends as offline's probe does.
      if (change === 'visible' && phase.status === 'open' && s.env.probing)
        s.effects.push({ type: 'probe', ifDue: true });
      if (phase.status !== 'waiting' || phase.hold === 'suspended') return;
      if (phase.hold === 'none' && phase.dueAt === undefined) return; // the refresh hook is running
      // The server said when (1013, 429, Retry-After, a close reason's hint): a network blip
      // does not shorten its wait. Back online within the server's part of a longer back-off:
      // attempt once that part is over (as after pageshow), not at the end of the back-off.
      if (phase.hold === 'none') {
        const due = serverDue(s.env.now, phase);
        if (due !== undefined) {
          if (change === 'online' && phase.dueAt !== undefined && due < phase.dueAt) start(s, 'retry', due - s.env.now);
          return;
        }
      }
      // Back online: attempt at once. Visible again: an overdue retry (its timer slowed down
      // in a background tab) happens now; one not yet due keeps its timer.
      if (phase.hold === 'parked' || change === 'online' || (phase.dueAt !== undefined && s.env.now >= phase.dueAt)) {
        cancel(s, 'retry');
        s.machine = { ...s.machine, phase: { ...phase, hold: 'none' } };
        beginAttempt(s, phase.record, phase.decision, phase.refresh);
      }
      return;
    case 'offline':
      if (phase.status !== 'connecting' && phase.status !== 'open') return;
      // Browsers leave open sockets open when the network goes (holding their frames): check
      // the socket with the heartbeat. One nothing can check is let go — sends then wait in
      // the queue instead of a socket that may be dead — and the next attempt waits for online.
      // A handshake the network went from under cannot finish: given up now, the next attempt
      // goes at once on online, not after connectTimeoutMs and a back-off.
      if (phase.status === 'open' && s.env.probing) {
        s.effects.push({ type: 'probe' });
        return;
      }
      lost(s, phase, 'transport', 'offline', 'offline');
      return;
    case 'pagehide':
      suspend(s);
      return;
    case 'pageshow':
      if (phase.status === 'waiting' && phase.hold === 'suspended') {
        const due = serverDue(s.env.now, phase);
        if (due !== undefined) {
          // Back before the server's wait is over: wait out the rest of it.
          enter(s, { ...phase, hold: 'none' });
          start(s, 'retry', due - s.env.now);
          return;
        }
        s.machine = { ...s.machine, phase: { ...phase, hold: 'none' } };
        beginAttempt(s, phase.record, phase.decision, phase.refresh);
      }
      return;
    case 'hidden':
      return; // a due retry holds itself (attempt) when pauseWhenHidden is set
  }
}

/**
 * The page is put away: close with reconnectCloseCode (reason `pagehide`: resock means to come
 * back on pageshow, and some servers end a session the client closes with 1000) and wait.
 */
function suspend(s: Draft): void {
  const phase = s.machine.phase;
  let record: CloseRecord | undefined;
  let decision: Decision | undefined;
  if (phase.status === 'connecting' || phase.status === 'open') {
    record = letGo(s, phase, s.env.reconnectCloseCode, 'pagehide');
  } else if (phase.status === 'waiting') {
    stopWaiting(s, phase);
    record = phase.record;
    decision = phase.decision;
  } else {
    return;
  }
  // A refresh cut short by pagehide is still owed: pageshow runs it before connecting. The
  // due time is kept, so a server-ordered wait (throttle) is still honoured after pageshow.
  const waiting = phase.status === 'waiting';
  const dueAt = waiting ? phase.dueAt : undefined;
  enter(s, { status: 'waiting', refresh: waiting && phase.refresh, record, decision, dueAt, hold: 'suspended' });
}
