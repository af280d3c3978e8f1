import type { CloseInitiator, ClosePhase, CloseRecord } from '../close/closeRecord';
import { normalizeClose } from '../close/normalizeClose';
import type { Decision } from '../policy/decide';
import { decide } from '../policy/decide';
import type { RawClose } from '../transport';
import type { Effect, Emitted, Env, TimerName } from './machineTypes';
import type { Machine, Phase } from './state';

/**
 * What every step of the state machine shares: the effects it collects, entering a phase, making
 * close records, and the path after a connection ends — the policy's decision, waiting, the
 * next attempt (or holding it while offline or hidden). `StepBuilder` (transition.ts) maps each
 * input onto these.
 */
export abstract class StepCore {
  readonly effects: Effect[] = [];

  constructor(
    public machine: Machine,
    protected readonly env: Env,
  ) {}

  protected get phase(): Phase {
    return this.machine.phase;
  }

  protected current(id: number, ...statuses: Phase['status'][]): boolean {
    const phase = this.phase;
    return statuses.includes(phase.status) && 'id' in phase && phase.id === id;
  }

  protected push(effect: Effect): void {
    this.effects.push(effect);
  }

  protected emit(event: Emitted): void {
    this.effects.push({ type: 'emit', event });
  }

  protected cancel(timer: TimerName): void {
    this.effects.push({ type: 'cancelTimer', timer });
  }

  protected start(timer: TimerName, delayMs: number, id = 0): void {
    this.effects.push({ type: 'startTimer', timer, delayMs, id });
  }

  /** Let go of connection `id`'s socket (terminate where the transport can). */
  protected drop(id: number, code: number, reason: string): void {
    this.effects.push({ type: 'dropSocket', id, code, reason });
  }

  /** A close resock makes up (no close event reported it): never clean. */
  protected synthetic(
    phase: ClosePhase,
    initiator: CloseInitiator,
    code = 1006,
    reason = '',
    error?: unknown,
  ): CloseRecord {
    return this.record({ code, reason, wasClean: false }, phase, initiator, true, error);
  }

  protected enter(phase: Phase): void {
    const from = this.phase.status;
    this.machine = { ...this.machine, phase };
    if (from !== phase.status) this.emit({ name: 'state', from, to: phase.status });
  }

  protected record(
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
  protected redactError(error: unknown): unknown {
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

  protected connect(): void {
    const id = this.machine.nextId;
    this.machine = { ...this.machine, nextId: id + 1 };
    this.enter({ status: 'connecting', id });
    this.start('connect', this.env.connectTimeoutMs, id);
    this.push({ type: 'connect', id });
  }

  protected leaveOpen(): void {
    this.cancel('stable');
    this.cancel('close'); // a refused send's deadline (sendFailed)
    if (this.env.heartbeat) this.push({ type: 'stopHeartbeat' });
  }

  /** A connection ended without the app asking: the policy decides what is next. */
  protected ended(record: CloseRecord): void {
    this.emit({ name: 'close', record });
    this.decideAfter(record);
  }

  protected decideAfter(record: CloseRecord): void {
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
      this.push({ type: 'rejectOpened', stopReason: decision.stopReason ?? 'rule', record });
      return;
    }
    const refresh = decision.action === 'refresh';
    this.enter({ status: 'waiting', refresh, record, decision, dueAt: env.now + decision.delayMs, hold: 'none' });
    this.emit({ name: 'reconnecting', attempt, record, decision });
    // No timer hop when the policy says "now": the next attempt starts in this same step.
    if (decision.delayMs <= 0) this.attempt(record, decision, refresh);
    else this.start('retry', decision.delayMs);
  }

  /**
   * The retry is due: refresh first if the policy said so, then connect — unless the device is
   * offline (or the page hidden with pauseWhenHidden): then hold until the environment changes.
   */
  protected attempt(record: CloseRecord | undefined, decision: Decision | undefined, refresh = false): void {
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

  /** The app's close is done: final. */
  protected closed(record: CloseRecord): void {
    this.emit({ name: 'close', record });
    this.enter({ status: 'closed', record });
    this.push({ type: 'rejectOpened', stopReason: undefined, record });
    this.push({ type: 'finish', record });
  }
}
