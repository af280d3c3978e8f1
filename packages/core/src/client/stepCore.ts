import type { CloseInitiator, ClosePhase, CloseRecord } from '../close/closeRecord';
import { normalizeClose } from '../close/normalizeClose';
import { decideClose } from '../policy/decide';
import type { RawClose } from '../transport';
import type { Effect, Emitted, Env, TimerName } from './machineTypes';
import { freshOutage, type Machine, type Phase } from './state';

// What every step of the state machine shares: the effects it collects, entering a phase, making
// close records, and the path after a connection ends — the policy's decision and the wait
// (attempts.ts starts the next attempt, or holds it). `transition` (transition.ts) maps each
// input onto these, the app's requests through appRequests.ts. Plain functions over one `Draft` rather than methods: a bundler can shorten
// their names, and nothing here needs dispatch.

/** One step in the making: the machine so far and the effects collected. */
export interface Draft {
  machine: Machine;
  readonly effects: Effect[];
  readonly env: Env;
}

/** Whether the phase is `status` for connection `id` (a stale id's input changes nothing). */
export function current(s: Draft, id: number, status: 'connecting' | 'open' | 'closing'): boolean {
  const phase = s.machine.phase;
  return phase.status === status && (phase as { id: number }).id === id;
}

export function emit(s: Draft, event: Emitted): void {
  s.effects.push({ type: 'emit', event });
}

export function cancel(s: Draft, timer: TimerName): void {
  s.effects.push({ type: 'cancelTimer', timer });
}

export function start(s: Draft, timer: TimerName, delayMs: number, id = 0): void {
  s.effects.push({ type: 'startTimer', timer, delayMs, id });
}

/** Let go of connection `id`'s socket (terminate where the transport can; see dropSocket's `say`). */
export function drop(s: Draft, id: number, code: number, reason: string, say = false): void {
  s.effects.push({ type: 'dropSocket', id, code, reason, say });
}

/** A stable connection: the outage is over, and its counters start over. */
export function resetOutage(s: Draft): void {
  s.machine = { ...s.machine, outage: freshOutage };
}

/** A close resock makes up (no close event reported it): never clean. */
export function synthetic(
  s: Draft,
  phase: ClosePhase,
  initiator: CloseInitiator,
  code = 1006,
  reason = '',
  error?: unknown,
): CloseRecord {
  return record(s, { code, reason, wasClean: false }, phase, initiator, true, error);
}

export function enter(s: Draft, phase: Phase): void {
  const from = s.machine.phase.status;
  s.machine = { ...s.machine, phase };
  if (from !== phase.status) emit(s, { name: 'state', from, to: phase.status });
}

export function record(
  s: Draft,
  raw: RawClose,
  phase: ClosePhase,
  initiator: CloseInitiator | undefined,
  synthetic: boolean,
  error?: unknown,
  opened?: true,
): CloseRecord {
  const context: Parameters<typeof normalizeClose>[1] = { phase, synthetic, now: s.env.now };
  if (opened) context.opened = true;
  if (initiator) context.initiator = initiator;
  let handshake: RawClose['handshake'];
  let rawError: unknown;
  try {
    ({ handshake, error: rawError } = raw);
    if (!initiator && raw.initiator === 'transport') context.initiator = 'transport';
  } catch {
    // A hand-written transport may pass anything (nothing, a throwing getter): normalizeClose
    // makes a 1006 of what it cannot read, so reading here must not throw either.
  }
  if (handshake) context.handshake = handshake;
  const cause = rawError ?? error;
  if (cause !== undefined) context.error = redactError(s.env.redact, cause);
  return normalizeClose(raw, context);
}

/** A platform's error message may quote the URL, token and all. */
function redactError(redact: Env['redact'], error: unknown): unknown {
  if (typeof error === 'string') return redact(error);
  try {
    const e = error as { name?: unknown; message?: unknown; code?: unknown; errors?: unknown };
    if (typeof e?.message !== 'string') return error;
    // Node's connection to a host with IPv4 and IPv6 addresses fails with an AggregateError
    // whose message is empty: its parts say what was refused.
    const message =
      e.message === '' && Array.isArray(e.errors)
        ? e.errors.map((part) => String((part as { message?: unknown })?.message ?? part)).join('; ')
        : e.message;
    return { name: e.name, message: redact(message), code: e.code };
  } catch {
    return error;
  }
}

export function leaveOpen(s: Draft): void {
  // Open long enough to be stable, its timer not yet run (a frozen tab wakes to the close): it was.
  const { phase } = s.machine;
  const { stableAfterMs, now } = s.env;
  if (phase.status === 'open' && stableAfterMs > 0 && now - phase.since >= stableAfterMs) resetOutage(s);
  cancel(s, 'stable');
  cancel(s, 'close'); // a refused send's deadline (sendFailed)
  if (s.env.idleTimeoutMs > 0) cancel(s, 'idle');
  if (s.env.maxConnectionAgeMs > 0) cancel(s, 'age');
  if (s.env.heartbeat) s.effects.push({ type: 'stopHeartbeat' });
}

/** A connection ended without the app asking: the policy decides what is next. */
export function ended(s: Draft, record: CloseRecord): void {
  emit(s, { name: 'close', record });
  decideAfter(s, record);
}

/** `refreshError`: the refresh hook failed, and this decides again (a stop then says why). */
export function decideAfter(s: Draft, record: CloseRecord, refreshError?: unknown): void {
  const { outage } = s.machine;
  const { env } = s;
  const attempt = outage.failures + 1;
  const context: Parameters<typeof decideClose>[2] = {
    attempt,
    outageStartedAt: outage.startedAt ?? env.now,
    now: env.now,
    random: env.random,
    refreshAvailable: env.refreshAvailable,
    // Heard before the decision it changed.
    whenFailed: (rule, error) => emit(s, { name: 'policyError', rule, error }),
  };
  if (outage.streak) context.consecutive = outage.streak;
  // (A tab frozen while it ran, a token service down: no refusal of the credentials.)
  if (refreshError !== undefined) context.refreshFailed = true;
  if (outage.previousDelayMs !== undefined) context.previousDelayMs = outage.previousDelayMs;
  const decision = decideClose(env.policy, record, context);
  s.machine = {
    ...s.machine,
    outage: {
      failures: decision.counts ? attempt : outage.failures,
      streak: { rule: decision.rule, count: decision.consecutive },
      startedAt: outage.startedAt ?? env.now,
      previousDelayMs: decision.delayMs,
    },
  };
  if (decision.action === 'stop') {
    // Only the waiters from before this step are rejected: ahead of every listener of the step
    // (the `close` before the decision, a failed refresh's `error`, then `state` and `failed`),
    // so an opened() that one of them calls after its reconnect() waits for that reconnect's open.
    s.effects.unshift({ type: 'rejectOpened', stopReason: decision.stopReason ?? 'rule', record });
    enter(s, { status: 'failed', record, decision });
    emit(
      s,
      refreshError === undefined
        ? { name: 'failed', record, decision }
        : { name: 'failed', record, decision, refreshError },
    );
    return;
  }
  const refresh = decision.action === 'refresh';
  enter(s, { status: 'waiting', refresh, record, decision, dueAt: env.now + decision.delayMs, hold: 'none' });
  emit(s, { name: 'reconnecting', attempt, record, decision });
  // No timer hop when the policy says "now" after an open connection ended, but the next step,
  // not this one: a listener of this step's events (close, reconnecting, state) that closes or
  // disconnects the client is heard first, while it waits, as for a later retry (it told a
  // connecting, and a close record, for an attempt it never dialled). After a failed attempt,
  // "now" is a 0 ms timer: an attempt that fails within a microtask (a url function's rejected
  // token fetch, a transport) retried at once looped without the event loop ever turning; so
  // did a refresh hook that rejects at once (decided again on the open connection's record).
  if (decision.delayMs <= 0 && record.phase === 'open' && refreshError === undefined)
    s.effects.push({ type: 'retryNow', decision });
  else start(s, 'retry', decision.delayMs);
}

/** The app's close is done: final. */
export function closed(s: Draft, record: CloseRecord): void {
  emit(s, { name: 'close', record });
  enter(s, { status: 'closed', record });
  s.effects.push({ type: 'rejectOpened', stopReason: undefined, record }, { type: 'finish', record });
}

/** A connection, open or still an attempt. */
type Live = { readonly status: 'connecting' | 'open'; readonly id: number; readonly greeting?: true };

/** A live connection ends: its deadline, or (open) its heartbeat and timers. */
export function leaveLive(s: Draft, phase: Live): void {
  if (phase.status === 'open') leaveOpen(s);
  else cancel(s, 'connect');
}

/** A connection (or an attempt) resock no longer trusts: let go of its socket, and the policy decides. */
export function lost(
  s: Draft,
  phase: Live,
  initiator: CloseInitiator,
  why: string,
  reason = '',
  error?: unknown,
): void {
  leaveLive(s, phase);
  drop(s, phase.id, s.env.reconnectCloseCode, why);
  ended(s, synthetic(s, phase.status, initiator, 1006, reason, error));
}

/** The app (or the page) lets go of a live connection: its socket, and a close record of its own. */
export function letGo(s: Draft, phase: Live, code: number, reason: string): CloseRecord {
  leaveLive(s, phase);
  // Open (or open and greeting), the peer is told why (reconnectCloseCode, or 1000 for an idle
  // close); a handshake is only cut.
  drop(s, phase.id, code, reason, phase.status === 'open' || phase.greeting === true);
  const record = synthetic(s, phase.status, 'client', code, reason);
  emit(s, { name: 'close', record });
  return record;
}

/** Connection `id` is open on the wire: open, or connecting while its greeting awaits the acceptance. */
export function openSocket(s: Draft, id: number): boolean {
  const phase = s.machine.phase;
  return (phase.status === 'open' || (phase.status === 'connecting' && phase.greeting === true)) && phase.id === id;
}

/** A wait is abandoned: its timer, and the refresh hook if it runs. */
export function stopWaiting(s: Draft, phase: { refresh: boolean }): void {
  cancel(s, 'retry');
  if (phase.refresh) s.effects.push({ type: 'abortRefresh' });
}
