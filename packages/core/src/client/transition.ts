import type { CloseInitiator, ClosePhase, CloseRecord } from '../close/closeRecord';
import { normalizeClose } from '../close/normalizeClose';
import type { EnvironmentChange } from '../environment';
import type { Decision } from '../policy/decide';
import { decide } from '../policy/decide';
import type { RawClose } from '../transport';
import type { Effect, Emitted, Env, Input, Step } from './machineTypes';
import { freshOutage, type Machine, type Phase } from './state';

export type { Effect, Emitted, Env, Input, Step, TimerName } from './machineTypes';

/**
 * The client's state machine: `transition(machine, input, env)` → the next machine and the
 * effects to run. Pure — time and randomness come in through `env` — so every state × input
 * pair is tested with a table and no I/O. An input that does not apply to the current phase
 * (a stale connection's close, a timer that lost a race) changes nothing.
 */
export function transition(machine: Machine, input: Input, env: Env): Step {
  const step = new StepBuilder(machine, env);
  step.apply(input);
  return { machine: step.machine, effects: step.effects };
}

class StepBuilder {
  readonly effects: Effect[] = [];

  constructor(
    public machine: Machine,
    private readonly env: Env,
  ) {}

  private get phase(): Phase {
    return this.machine.phase;
  }

  private current(id: number, ...statuses: Phase['status'][]): boolean {
    const phase = this.phase;
    return statuses.includes(phase.status) && 'id' in phase && phase.id === id;
  }

  apply(input: Input): void {
    const phase = this.phase;
    switch (input.type) {
      case 'start':
        if (phase.status === 'idle') this.attempt(undefined, undefined);
        return;
      case 'reconnect':
        this.reconnect();
        return;
      case 'opened':
        if (this.current(input.id, 'connecting')) this.opened(input);
        return;
      case 'stable':
        if (this.current(input.id, 'open')) {
          this.machine = { ...this.machine, outage: freshOutage };
          this.push({ type: 'cancelTimer', timer: 'stable' }); // when isReady beat the timer
        }
        return;
      case 'transportClosed':
        this.transportClosed(input.id, input.raw);
        return;
      case 'connectFailed':
        if (this.current(input.id, 'connecting')) {
          this.push({ type: 'cancelTimer', timer: 'connect' });
          this.ended(
            this.record({ code: 1006, reason: '', wasClean: false }, 'connecting', 'transport', true, input.error),
          );
        }
        return;
      case 'connectTimeout':
        if (this.current(input.id, 'connecting')) {
          this.push({
            type: 'dropSocket',
            id: input.id,
            code: this.env.reconnectCloseCode,
            reason: 'connect timeout',
          });
          this.ended(this.record({ code: 1006, reason: '', wasClean: false }, 'connecting', 'timeout', true));
        }
        return;
      case 'heartbeatTimeout':
        if (this.current(input.id, 'open')) {
          this.leaveOpen();
          this.push({
            type: 'dropSocket',
            id: input.id,
            code: this.env.reconnectCloseCode,
            reason: 'heartbeat timeout',
          });
          this.ended(this.record({ code: 1006, reason: '', wasClean: false }, 'open', 'heartbeat', true));
        }
        return;
      case 'closeTimeout':
        if (this.current(input.id, 'closing')) {
          // RFC 6455 §7.1.1: the client may stop waiting for the server's close; the close
          // handshake did not complete, so the close is abnormal.
          this.push({ type: 'dropSocket', id: input.id, code: 1000, reason: '' });
          this.closed(this.record({ code: 1006, reason: '', wasClean: false }, 'closing', 'client', true));
        }
        return;
      case 'retryDue':
        if (phase.status === 'waiting' && phase.hold === 'none')
          this.attempt(phase.record, phase.decision, phase.refresh);
        return;
      case 'refreshed':
        if (phase.status === 'waiting' && phase.refresh) this.connect();
        return;
      case 'refreshFailed':
        if (phase.status === 'waiting' && phase.refresh && phase.record) {
          this.emit({ name: 'refreshError', error: input.error });
          // A failed refresh is another failure of the same kind: the refresh rule's
          // maxConsecutive bounds how often it is tried.
          this.decideAfter(phase.record);
        }
        return;
      case 'environment':
        this.environment(input.change);
        return;
      case 'close':
        this.close(input.code, input.reason);
        return;
    }
  }

  private push(effect: Effect): void {
    this.effects.push(effect);
  }

  private emit(event: Emitted): void {
    this.effects.push({ type: 'emit', event });
  }

  private enter(phase: Phase): void {
    const from = this.phase.status;
    this.machine = { ...this.machine, phase };
    if (from !== phase.status) this.emit({ name: 'state', from, to: phase.status });
  }

  private record(
    raw: RawClose,
    phase: ClosePhase,
    initiator: CloseInitiator | undefined,
    synthetic: boolean,
    error?: unknown,
  ): CloseRecord {
    const context: Parameters<typeof normalizeClose>[1] = { phase, synthetic, now: this.env.now };
    if (initiator) context.initiator = initiator;
    if (raw.handshake) context.handshake = raw.handshake;
    const cause = error ?? raw.error;
    if (cause !== undefined) context.error = this.redactError(cause);
    return normalizeClose(raw, context);
  }

  /** A platform's error message may quote the URL, token and all. */
  private redactError(error: unknown): unknown {
    const { redact } = this.env;
    if (typeof error === 'string') return redact(error);
    try {
      const e = error as { name?: unknown; message?: unknown; code?: unknown };
      if (typeof e?.message !== 'string') return error;
      return { name: e.name, message: redact(e.message), code: e.code };
    } catch {
      return error;
    }
  }

  private connect(): void {
    const id = this.machine.nextId;
    this.machine = { ...this.machine, nextId: id + 1 };
    this.enter({ status: 'connecting', id });
    this.push({ type: 'startTimer', timer: 'connect', delayMs: this.env.connectTimeoutMs, id });
    this.push({ type: 'connect', id });
  }

  private opened(input: Extract<Input, { type: 'opened' }>): void {
    const { id, url, protocol, extensions } = input;
    const attempt = this.machine.outage.failures + 1;
    this.push({ type: 'cancelTimer', timer: 'connect' });
    this.enter({ status: 'open', id });
    // Queued messages go out before any `open` listener can send a new one.
    this.push({ type: 'flushQueue' });
    if (this.env.heartbeat) this.push({ type: 'startHeartbeat', id });
    if (this.env.stableAfterMs > 0)
      this.push({ type: 'startTimer', timer: 'stable', delayMs: this.env.stableAfterMs, id });
    else this.machine = { ...this.machine, outage: freshOutage };
    this.emit({ name: 'open', url, protocol, extensions, attempt });
    this.push({ type: 'resolveOpened' });
  }

  private leaveOpen(): void {
    this.push({ type: 'cancelTimer', timer: 'stable' });
    if (this.env.heartbeat) this.push({ type: 'stopHeartbeat' });
  }

  private transportClosed(id: number, raw: RawClose): void {
    const phase = this.phase;
    if (this.current(id, 'connecting')) {
      this.push({ type: 'cancelTimer', timer: 'connect' });
      this.ended(this.record(raw, 'connecting', undefined, false));
    } else if (this.current(id, 'open')) {
      this.leaveOpen();
      this.ended(this.record(raw, 'open', undefined, false));
    } else if (this.current(id, 'closing') && phase.status === 'closing') {
      this.push({ type: 'cancelTimer', timer: 'close' });
      this.closed(this.record(raw, 'closing', 'client', false));
    }
  }

  /** A connection ended without the app asking: the policy decides what is next. */
  private ended(record: CloseRecord): void {
    this.emit({ name: 'close', record });
    this.decideAfter(record);
  }

  private decideAfter(record: CloseRecord): void {
    const { outage } = this.machine;
    const { env } = this;
    const attempt = outage.failures + 1;
    const context: Parameters<typeof decide>[2] = {
      attempt,
      outageStartedAt: outage.startedAt ?? env.now,
      now: env.now,
      random: env.random,
      refreshAvailable: env.refreshAvailable,
    };
    if (outage.streak) context.consecutive = outage.streak;
    if (outage.previousDelayMs !== undefined) context.previousDelayMs = outage.previousDelayMs;
    const decision = decide(env.policy, record, context);
    this.machine = {
      ...this.machine,
      outage: {
        failures: decision.counts ? attempt : outage.failures,
        streak: { rule: decision.rule, count: decision.consecutive },
        startedAt: outage.startedAt ?? env.now,
        previousDelayMs: decision.delayMs,
      },
    };
    if (decision.action === 'stop') {
      this.enter({ status: 'failed', record, decision });
      this.emit({ name: 'failed', record, decision });
      this.push({ type: 'rejectOpened', status: 'failed', record });
      return;
    }
    const refresh = decision.action === 'refresh';
    this.enter({ status: 'waiting', refresh, record, decision, dueAt: env.now + decision.delayMs, hold: 'none' });
    this.emit({ name: 'reconnecting', attempt, record, decision });
    // No timer hop when the policy says "now": the next attempt starts in this same step.
    if (decision.delayMs <= 0) this.attempt(record, decision, refresh);
    else this.push({ type: 'startTimer', timer: 'retry', delayMs: decision.delayMs, id: 0 });
  }

  /**
   * The retry is due: refresh first if the policy said so, then connect — unless the device is
   * offline (or the page hidden with pauseWhenHidden): then hold until the environment changes.
   */
  private attempt(record: CloseRecord | undefined, decision: Decision | undefined, refresh = false): void {
    const { env } = this;
    if (!env.online || (env.pauseWhenHidden && !env.visible)) {
      this.enter({ status: 'waiting', refresh, record, decision, dueAt: undefined, hold: 'parked' });
      return;
    }
    if (refresh && record) {
      // Waiting with no timer and no hold: the refresh hook is running.
      this.enter({ status: 'waiting', refresh, record, decision, dueAt: undefined, hold: 'none' });
      this.push({ type: 'refresh', record, attempt: this.machine.outage.failures });
      return;
    }
    this.connect();
  }

  private environment(change: EnvironmentChange): void {
    const phase = this.phase;
    switch (change) {
      case 'online':
      case 'visible':
        if (phase.status !== 'waiting' || phase.hold === 'suspended') return;
        if (phase.hold === 'none' && phase.dueAt === undefined) return; // the refresh hook is running
        // Back online: attempt at once. Visible again: an overdue retry (its timer slowed down
        // in a background tab) happens now; one not yet due keeps its timer.
        if (
          phase.hold === 'parked' ||
          change === 'online' ||
          (phase.dueAt !== undefined && this.env.now >= phase.dueAt)
        ) {
          this.push({ type: 'cancelTimer', timer: 'retry' });
          this.machine = { ...this.machine, phase: { ...phase, hold: 'none' } };
          this.attempt(phase.record, phase.decision, phase.refresh);
        }
        return;
      case 'offline':
        // Offline emulation (and real captive networks) leave open sockets open: check it.
        if (phase.status === 'open') this.push({ type: 'probe' });
        return;
      case 'pagehide':
        this.suspend();
        return;
      case 'pageshow':
        if (phase.status === 'waiting' && phase.hold === 'suspended') {
          this.machine = { ...this.machine, phase: { ...phase, hold: 'none' } };
          this.attempt(phase.record, phase.decision, phase.refresh);
        }
        return;
      case 'hidden':
        return; // a due retry holds itself (attempt) when pauseWhenHidden is set
    }
  }

  /** The page is put away: close with 1000 (a page may send nothing else) and wait for pageshow. */
  private suspend(): void {
    const phase = this.phase;
    let record: CloseRecord | undefined;
    let decision: Decision | undefined;
    if (phase.status === 'connecting' || phase.status === 'open') {
      if (phase.status === 'open') this.leaveOpen();
      else this.push({ type: 'cancelTimer', timer: 'connect' });
      this.push({ type: 'dropSocket', id: phase.id, code: 1000, reason: 'pagehide' });
      record = this.record({ code: 1000, reason: 'pagehide', wasClean: false }, phase.status, 'client', true);
      this.emit({ name: 'close', record });
    } else if (phase.status === 'waiting') {
      this.push({ type: 'cancelTimer', timer: 'retry' });
      if (phase.refresh) this.push({ type: 'abortRefresh' });
      record = phase.record;
      decision = phase.decision;
    } else {
      return;
    }
    // A refresh cut short by pagehide is still owed: pageshow runs it before connecting.
    const refresh = phase.status === 'waiting' && phase.refresh;
    this.enter({ status: 'waiting', refresh, record, decision, dueAt: undefined, hold: 'suspended' });
  }

  private reconnect(): void {
    const phase = this.phase;
    if (phase.status === 'closing' || phase.status === 'closed') return;
    if (phase.status === 'connecting' || phase.status === 'open') {
      if (phase.status === 'open') this.leaveOpen();
      else this.push({ type: 'cancelTimer', timer: 'connect' });
      this.push({
        type: 'dropSocket',
        id: phase.id,
        code: this.env.reconnectCloseCode,
        reason: 'reconnect',
      });
      const record = this.record(
        { code: this.env.reconnectCloseCode, reason: 'reconnect', wasClean: false },
        phase.status,
        'client',
        true,
      );
      this.emit({ name: 'close', record });
    } else if (phase.status === 'waiting') {
      this.push({ type: 'cancelTimer', timer: 'retry' });
      if (phase.refresh) this.push({ type: 'abortRefresh' });
    }
    // The app asked for a fresh start: the outage's counters start over.
    this.machine = { ...this.machine, outage: freshOutage };
    this.connect();
  }

  private close(code: number, reason: string): void {
    const phase = this.phase;
    switch (phase.status) {
      case 'closing':
      case 'closed':
        return;
      case 'open':
        this.leaveOpen();
        this.push({ type: 'closeSocket', id: phase.id, code, reason });
        this.push({
          type: 'startTimer',
          timer: 'close',
          delayMs: this.env.closeTimeoutMs,
          id: phase.id,
        });
        this.enter({ status: 'closing', id: phase.id, code, reason });
        return;
      case 'connecting':
        this.push({ type: 'cancelTimer', timer: 'connect' });
        this.push({ type: 'dropSocket', id: phase.id, code, reason });
        this.closed(this.record({ code, reason, wasClean: false }, 'connecting', 'client', true));
        return;
      case 'waiting':
        this.push({ type: 'cancelTimer', timer: 'retry' });
        if (phase.refresh) this.push({ type: 'abortRefresh' });
        this.closed(this.record({ code, reason, wasClean: false }, 'closing', 'client', true));
        return;
      case 'idle':
      case 'failed':
        this.closed(this.record({ code, reason, wasClean: false }, 'closing', 'client', true));
        return;
    }
  }

  /** The app's close is done: final. */
  private closed(record: CloseRecord): void {
    this.emit({ name: 'close', record });
    this.enter({ status: 'closed', record });
    this.push({ type: 'rejectOpened', status: 'closed', record });
    this.push({ type: 'finish', record });
  }
}
