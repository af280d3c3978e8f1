import type { RawClose } from '../transport';
import { close, disconnect, reconnect } from './appRequests';
import { beginAttempt, connect, moveOn } from './attempts';
import { AGE_SPREAD, type Env, type Input, idleLookMs, type Step } from './machineTypes';
import { pageChange } from './pageChanges';
import type { Machine, Phase } from './state';
import {
  cancel,
  closed,
  current,
  type Draft,
  decideAfter,
  drop,
  emit,
  ended,
  enter,
  leaveOpen,
  letGo,
  lost,
  openSocket,
  record,
  resetOutage,
  start,
  synthetic,
} from './stepCore';

export type { Effect, Emitted, Env, Input, Step, TimerName } from './machineTypes';

/**
 * The client's state machine: `transition(machine, input, env)` → the next machine and the
 * effects to run. Pure — time and randomness come in through `env` — so every state × input
 * pair is tested with a table and no I/O. An input that does not apply to the current phase
 * (a stale connection's close, a timer that lost a race) changes nothing.
 */
export function transition(machine: Machine, input: Input, env: Env): Step {
  const s: Draft = { machine, effects: [], env };
  apply(s, input);
  return s;
}

function apply(s: Draft, input: Input): void {
  const phase = s.machine.phase;
  switch (input.type) {
    case 'start':
      if (phase.status === 'idle' || (input.asked && phase.status === 'disconnected'))
        beginAttempt(s, undefined, undefined, false, input.asked);
      return;
    case 'disconnect':
      disconnect(s);
      return;
    case 'reconnect':
      reconnect(s);
      return;
    case 'opened':
      if (!current(s, input.id, 'connecting')) return;
      if (!s.env.greeting || input.greeted) opened(s, input);
      else if (phase.status === 'connecting' && !openSocket(s, input.id)) {
        // The socket is open: the greeting goes first, and the open is told once it is said
        // (and accepted). The connect deadline still runs.
        enter(s, { ...phase, greeting: true });
        s.effects.push({ type: 'greet', opened: input });
      }
      return;
    case 'idleDue':
      if (current(s, input.id, 'open')) idleDue(s, input.id, input.quiet);
      return;
    case 'ageDue':
      if (phase.status === 'open' && phase.id === input.id) ageDue(s, phase);
      return;
    case 'stable':
      if (current(s, input.id, 'open')) {
        resetOutage(s);
        cancel(s, 'stable'); // when isReady beat the timer
      }
      return;
    case 'transportClosed':
      transportClosed(s, input.id, input.raw, input.error);
      return;
    case 'connectFailed':
      if (current(s, input.id, 'connecting')) {
        cancel(s, 'connect');
        ended(s, synthetic(s, 'connecting', 'transport', 1006, '', input.error));
      }
      return;
    case 'connectTimeout':
      if (current(s, input.id, 'connecting')) {
        // A greeting unanswered: the socket is open, so the server hears why.
        drop(s, input.id, s.env.reconnectCloseCode, 'connect timeout', openSocket(s, input.id));
        ended(s, synthetic(s, 'connecting', 'timeout'));
      }
      return;
    case 'heartbeatTimeout':
      if (current(s, input.id, 'open')) lost(s, { status: 'open', id: input.id }, 'heartbeat', 'heartbeat timeout');
      return;
    case 'overflowed':
      if (current(s, input.id, 'open'))
        lost(s, { status: 'open', id: input.id }, 'transport', 'message backlog', '', input.error);
      return;
    case 'sendFailed':
      // The close that follows carries the peer's code; give it closeTimeoutMs to arrive (also
      // to a socket that refused its greeting: it is open).
      if (openSocket(s, input.id)) start(s, 'close', s.env.closeTimeoutMs, input.id);
      return;
    case 'sendAccepted':
      if (openSocket(s, input.id)) cancel(s, 'close');
      return;
    case 'closeTimeout':
      if (current(s, input.id, 'closing')) {
        // RFC 6455 §7.1.1: the client may stop waiting for the server's close; the close
        // handshake did not complete, so the close is abnormal.
        drop(s, input.id, 1000, '');
        closed(s, synthetic(s, 'closing', 'client'));
      } else if (openSocket(s, input.id)) {
        // The socket refused data and its close never came (undici waits for ever on a server
        // that sent its close frame but holds the TCP connection): let it go.
        lost(s, phase as { status: 'open' | 'connecting'; id: number }, 'timeout', 'close timeout');
      }
      return;
    case 'retryDue':
      // Only a wait with its timer (dueAt) is due: not one parked, suspended or running the hook.
      if (
        phase.status === 'waiting' &&
        phase.hold === 'none' &&
        phase.dueAt !== undefined &&
        (input.decision === undefined || input.decision === phase.decision)
      )
        beginAttempt(s, phase.record, phase.decision, phase.refresh);
      return;
    case 'refreshed':
    case 'refreshFailed':
      if (phase.status !== 'waiting' || !phase.refresh) return;
      if (input.type === 'refreshFailed') {
        if (!phase.record) return;
        emit(s, { name: 'refreshError', error: input.error });
        // A refresh rule's hook failed: another failure of the outage (it backs off, maxAttempts
        // and maxElapsedMs bound it), but not another refusal of the rule's: see decideAfter. A
        // refreshAfter turn (its rule retries; the turn only added the hook) goes ahead as the
        // retry it was, with the credentials the client has: its wait was served, and counted.
        if (s.env.policy.rules.find((rule) => rule.id === phase.decision?.rule)?.action === 'refresh') {
          decideAfter(s, phase.record, input.error);
          return;
        }
      }
      // Connect — unless the device went offline (or the page hidden) while the hook ran, and
      // the attempt is not the app's own (reconnect()).
      if (phase.asked)
        connect(s, true); // (the hook waited its turn: askedWait)
      else beginAttempt(s, phase.record, phase.decision);
      return;
    case 'environment':
      pageChange(s, input.change);
      return;
    case 'close':
      close(s, input.code, input.reason);
      return;
  }
}

function opened(s: Draft, input: Extract<Input, { type: 'opened' }>): void {
  const { id, url, protocol, extensions } = input;
  const attempt = s.machine.outage.failures + 1;
  cancel(s, 'connect');
  // Queued messages go out before any listener (of `state` or `open`) can send a new one.
  s.effects.push({ type: 'flushQueue' });
  enter(s, { status: 'open', id, since: s.env.now });
  if (s.env.heartbeat) s.effects.push({ type: 'startHeartbeat', id });
  if (s.env.stableAfterMs > 0) start(s, 'stable', s.env.stableAfterMs, id);
  else resetOutage(s);
  if (s.env.idleTimeoutMs > 0) start(s, 'idle', idleLookMs(s.env.idleTimeoutMs), id);
  // At a random point in the age's last tenth: clients that connected together move apart.
  const age = s.env.maxConnectionAgeMs;
  if (age > 0) start(s, 'age', age * (1 - AGE_SPREAD * s.env.random()), id);
  emit(s, { name: 'open', url, protocol, extensions, attempt });
  s.effects.push({ type: 'resolveOpened' });
}

/**
 * The idle check of open connection `id`: one quiet for IDLE_LOOKS looks in a row is closed
 * with 1000 (the server hears why) and the client goes back to idle — no failure, no decision:
 * the next send connects afresh. Otherwise it looks again a quarter of idleTimeoutMs later.
 */
function idleDue(s: Draft, id: number, quiet: boolean): void {
  if (!quiet) {
    start(s, 'idle', idleLookMs(s.env.idleTimeoutMs), id);
    return;
  }
  letGo(s, { status: 'open', id }, 1000, 'idle');
  resetOutage(s);
  enter(s, { status: 'idle' });
}

/**
 * Open connection `id` is as old as it may be: it moves to a new one (moveOn). Offline, the open
 * socket is kept — it may well work, and a new one could not be dialled — and it moves as soon
 * as the device is back online (pageChanges.ts).
 */
function ageDue(s: Draft, phase: Extract<Phase, { status: 'open' }>): void {
  if (s.env.online) moveOn(s, phase.id);
  else enter(s, { ...phase, aged: true });
}

function transportClosed(s: Draft, id: number, raw: RawClose, error: unknown): void {
  const phase = s.machine.phase;
  if (phase.status === 'connecting' && phase.id === id) {
    cancel(s, 'connect');
    // A close while the greeting awaited its acceptance came on an open socket: the server's.
    ended(s, record(s, raw, 'connecting', undefined, false, error, phase.greeting));
  } else if (current(s, id, 'open')) {
    leaveOpen(s);
    ended(s, record(s, raw, 'open', undefined, false, error));
  } else if (current(s, id, 'closing')) {
    cancel(s, 'close');
    closed(s, record(s, raw, 'closing', 'client', false, error));
  }
}
