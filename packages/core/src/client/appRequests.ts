import { askedWait, connect } from './attempts';
import {
  cancel,
  closed,
  type Draft,
  drop,
  enter,
  leaveLive,
  letGo,
  openSocket,
  resetOutage,
  start,
  stopWaiting,
  synthetic,
} from './stepCore';

// What the app asks of the state machine: reconnect(), disconnect(), close() (transition.ts maps
// the other inputs).

export function reconnect(s: Draft): void {
  const phase = s.machine.phase;
  // The fresh attempt it asks for is under way (its own, or a move's). Letting it go told a close
  // whose listener, were it to reconnect() (reconnecting-websocket's users do), let the next one
  // go in turn: a socket dialled and cut for ever, and the page hung.
  // (Or the refresh hook an earlier reconnect() asked for runs, or waits its turn to.)
  if (
    phase.status === 'closing' ||
    phase.status === 'closed' ||
    (phase.status === 'connecting' && phase.fresh) ||
    (phase.status === 'waiting' && phase.asked)
  )
    return;
  if (phase.status === 'waiting' && phase.refresh && phase.record) {
    // Fresh credentials are owed (the server refused the last ones): an attempt without them
    // earns the same refusal, and aborting the hook throws its work away. The wait is skipped,
    // not the hook: it runs now, or goes on if it runs, and the attempt follows it (even while
    // offline, as the attempt of any reconnect()). A hook it starts waits its turn as a dial
    // does (askedWait): an error listener that reconnect()s, with a hook that rejects at once,
    // looped through microtasks.
    cancel(s, 'retry');
    resetOutage(s);
    const running = phase.hold === 'none' && phase.dueAt === undefined;
    const afterMs = running ? 0 : askedWait(s);
    enter(s, { ...phase, dueAt: afterMs ? s.env.now + afterMs : undefined, hold: 'none', asked: true });
    if (afterMs) start(s, 'retry', afterMs);
    else if (!running) s.effects.push({ type: 'refresh', record: phase.record, attempt: s.machine.outage.failures });
    return;
  }
  if (phase.status === 'connecting' || phase.status === 'open') letGo(s, phase, s.env.reconnectCloseCode, 'reconnect');
  else if (phase.status === 'waiting') stopWaiting(s, phase);
  // The app asked for a fresh start: the outage's counters start over.
  resetOutage(s);
  connect(s, true, true);
}

/**
 * disconnect(): the connection is let go (1000, reason disconnect: the app means it, the server
 * may end the session) or the wait given up, and the client is disconnected until open() or
 * reconnect() — no failure, no decision; what is sent meanwhile waits (its ttlMs counting). A
 * failed or idle client is disconnected so too.
 */
export function disconnect(s: Draft): void {
  const phase = s.machine.phase;
  if (phase.status === 'connecting' || phase.status === 'open') letGo(s, phase, 1000, 'disconnect');
  else if (phase.status === 'waiting') stopWaiting(s, phase);
  else if (phase.status === 'closing' || phase.status === 'closed') return; // the app's close goes on
  resetOutage(s);
  enter(s, { status: 'disconnected' });
}

/** RFC 6455 §7.1.5: what a close without a status reports; made up, so never on the wire. */
const NO_STATUS = 1005;

export function close(s: Draft, code: number | undefined, reason: string): void {
  const phase = s.machine.phase;
  switch (phase.status) {
    case 'closing':
    case 'closed':
      return;
    case 'open':
    case 'connecting':
      leaveLive(s, phase);
      // Open on the wire (also while its greeting awaits the acceptance): the close handshake.
      if (openSocket(s, phase.id)) {
        s.effects.push({ type: 'closeSocket', id: phase.id, code, reason });
        start(s, 'close', s.env.closeTimeoutMs, phase.id);
        enter(s, { status: 'closing', id: phase.id, code, reason });
        return;
      }
      drop(s, phase.id, code ?? 1000, reason);
      closed(s, synthetic(s, 'connecting', 'client', code ?? NO_STATUS, reason));
      return;
    case 'waiting':
      stopWaiting(s, phase);
      closed(s, synthetic(s, 'closing', 'client', code ?? NO_STATUS, reason));
      return;
    case 'idle':
    case 'failed':
    case 'disconnected':
      closed(s, synthetic(s, 'closing', 'client', code ?? NO_STATUS, reason));
      return;
  }
}
