import type { CloseInitiator, CloseRecord } from '../close/closeRecord';
import type { EnvironmentChange } from '../environment';
import type { Decision } from '../policy/decide';
import type { RawClose } from '../transport';
import type { Env, Input, Step } from './machineTypes';
import { freshOutage, type Machine } from './state';
import { StepCore } from './stepCore';

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

class StepBuilder extends StepCore {
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
          this.cancel('stable'); // when isReady beat the timer
        }
        return;
      case 'transportClosed':
        this.transportClosed(input.id, input.raw);
        return;
      case 'connectFailed':
        if (this.current(input.id, 'connecting')) {
          this.cancel('connect');
          this.ended(this.synthetic('connecting', 'transport', 1006, '', input.error));
        }
        return;
      case 'connectTimeout':
        if (this.current(input.id, 'connecting')) {
          this.drop(input.id, this.env.reconnectCloseCode, 'connect timeout');
          this.ended(this.synthetic('connecting', 'timeout'));
        }
        return;
      case 'heartbeatTimeout':
        if (this.current(input.id, 'open')) this.lost(input.id, 'heartbeat', 'heartbeat timeout');
        return;
      case 'sendFailed':
        // The close that follows carries the peer's code; give it closeTimeoutMs to arrive.
        if (this.current(input.id, 'open')) this.start('close', this.env.closeTimeoutMs, input.id);
        return;
      case 'closeTimeout':
        if (this.current(input.id, 'closing')) {
          // RFC 6455 §7.1.1: the client may stop waiting for the server's close; the close
          // handshake did not complete, so the close is abnormal.
          this.drop(input.id, 1000, '');
          this.closed(this.synthetic('closing', 'client'));
        } else if (this.current(input.id, 'open')) {
          // The socket refused data and its close never came (undici waits for ever on a server
          // that sent its close frame but holds the TCP connection): let it go.
          this.lost(input.id, 'timeout', 'close timeout');
        }
        return;
      case 'retryDue':
        // Only a wait with its timer (dueAt) is due: not one parked, suspended or running the hook.
        if (phase.status === 'waiting' && phase.hold === 'none' && phase.dueAt !== undefined)
          this.attempt(phase.record, phase.decision, phase.refresh);
        return;
      case 'refreshed':
        // Connect — unless the device went offline (or the page hidden) while the hook ran.
        if (phase.status === 'waiting' && phase.refresh) this.attempt(phase.record, phase.decision);
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

  protected opened(input: Extract<Input, { type: 'opened' }>): void {
    const { id, url, protocol, extensions } = input;
    const attempt = this.machine.outage.failures + 1;
    this.cancel('connect');
    // Queued messages go out before any listener (of `state` or `open`) can send a new one.
    this.push({ type: 'flushQueue' });
    this.enter({ status: 'open', id });
    if (this.env.heartbeat) this.push({ type: 'startHeartbeat', id });
    if (this.env.stableAfterMs > 0) this.start('stable', this.env.stableAfterMs, id);
    else this.machine = { ...this.machine, outage: freshOutage };
    this.emit({ name: 'open', url, protocol, extensions, attempt });
    this.push({ type: 'resolveOpened' });
  }

  /** An open connection resock no longer trusts: let go of its socket, and the policy decides. */
  protected lost(id: number, initiator: CloseInitiator, why: string, reason = ''): void {
    this.leaveOpen();
    this.drop(id, this.env.reconnectCloseCode, why);
    this.ended(this.synthetic('open', initiator, 1006, reason));
  }

  protected transportClosed(id: number, raw: RawClose): void {
    const phase = this.phase;
    if (this.current(id, 'connecting')) {
      this.cancel('connect');
      this.ended(this.record(raw, 'connecting', undefined, false));
    } else if (this.current(id, 'open')) {
      this.leaveOpen();
      this.ended(this.record(raw, 'open', undefined, false));
    } else if (this.current(id, 'closing') && phase.status === 'closing') {
      this.cancel('close');
      this.closed(this.record(raw, 'closing', 'client', false));
    }
  }

  protected environment(change: EnvironmentChange): void {
    const phase = this.phase;
    switch (change) {
      case 'online':
      case 'visible':
        if (phase.status !== 'waiting' || phase.hold === 'suspended') return;
        if (phase.hold === 'none' && phase.dueAt === undefined) return; // the refresh hook is running
        // The server said when (1013, 429, Retry-After): a network blip does not shorten its wait.
        if (phase.hold === 'none' && this.throttled(phase)) return;
        // Back online: attempt at once. Visible again: an overdue retry (its timer slowed down
        // in a background tab) happens now; one not yet due keeps its timer.
        if (
          phase.hold === 'parked' ||
          change === 'online' ||
          (phase.dueAt !== undefined && this.env.now >= phase.dueAt)
        ) {
          this.cancel('retry');
          this.machine = { ...this.machine, phase: { ...phase, hold: 'none' } };
          this.attempt(phase.record, phase.decision, phase.refresh);
        }
        return;
      case 'offline':
        if (phase.status !== 'open') return;
        // Browsers leave open sockets open when the network goes (holding their frames): check
        // the socket with the heartbeat. One nothing can check is let go — sends then wait in
        // the queue instead of a socket that may be dead — and the next attempt waits for online.
        if (this.env.probing) {
          this.push({ type: 'probe' });
          return;
        }
        this.lost(phase.id, 'transport', 'offline', 'offline');
        return;
      case 'pagehide':
        this.suspend();
        return;
      case 'pageshow':
        if (phase.status === 'waiting' && phase.hold === 'suspended') {
          const { dueAt } = phase;
          if (dueAt !== undefined && this.throttled(phase)) {
            // Back before the server's wait is over: wait out the rest of it.
            this.enter({ ...phase, hold: 'none' });
            this.start('retry', dueAt - this.env.now);
            return;
          }
          this.machine = { ...this.machine, phase: { ...phase, hold: 'none' } };
          this.attempt(phase.record, phase.decision, phase.refresh);
        }
        return;
      case 'hidden':
        return; // a due retry holds itself (attempt) when pauseWhenHidden is set
    }
  }

  /** A throttle decision whose wait is not over yet. */
  protected throttled(phase: { decision: Decision | undefined; dueAt: number | undefined }): boolean {
    return phase.decision?.action === 'throttle' && phase.dueAt !== undefined && this.env.now < phase.dueAt;
  }

  /** The page is put away: close with 1000 (a page may send nothing else) and wait for pageshow. */
  protected suspend(): void {
    const phase = this.phase;
    let record: CloseRecord | undefined;
    let decision: Decision | undefined;
    if (phase.status === 'connecting' || phase.status === 'open') {
      record = this.letGo(phase, 1000, 'pagehide');
    } else if (phase.status === 'waiting') {
      this.stopWaiting(phase);
      record = phase.record;
      decision = phase.decision;
    } else {
      return;
    }
    // A refresh cut short by pagehide is still owed: pageshow runs it before connecting. The
    // due time is kept, so a server-ordered wait (throttle) is still honoured after pageshow.
    const waiting = phase.status === 'waiting';
    const dueAt = waiting ? phase.dueAt : undefined;
    this.enter({ status: 'waiting', refresh: waiting && phase.refresh, record, decision, dueAt, hold: 'suspended' });
  }

  /** The app (or the page) lets go of a live connection: its socket, and a close record of its own. */
  protected letGo(phase: { status: 'connecting' | 'open'; id: number }, code: number, reason: string): CloseRecord {
    if (phase.status === 'open') this.leaveOpen();
    else this.cancel('connect');
    this.drop(phase.id, code, reason);
    const record = this.synthetic(phase.status, 'client', code, reason);
    this.emit({ name: 'close', record });
    return record;
  }

  /** A wait is abandoned: its timer, and the refresh hook if it runs. */
  protected stopWaiting(phase: { refresh: boolean }): void {
    this.cancel('retry');
    if (phase.refresh) this.push({ type: 'abortRefresh' });
  }

  protected reconnect(): void {
    const phase = this.phase;
    if (phase.status === 'closing' || phase.status === 'closed') return;
    if (phase.status === 'connecting' || phase.status === 'open')
      this.letGo(phase, this.env.reconnectCloseCode, 'reconnect');
    else if (phase.status === 'waiting') this.stopWaiting(phase);
    // The app asked for a fresh start: the outage's counters start over.
    this.machine = { ...this.machine, outage: freshOutage };
    this.connect();
  }

  protected close(code: number, reason: string): void {
    const phase = this.phase;
    switch (phase.status) {
      case 'closing':
      case 'closed':
        return;
      case 'open':
        this.leaveOpen();
        this.push({ type: 'closeSocket', id: phase.id, code, reason });
        this.start('close', this.env.closeTimeoutMs, phase.id);
        this.enter({ status: 'closing', id: phase.id, code, reason });
        return;
      case 'connecting':
        this.cancel('connect');
        this.drop(phase.id, code, reason);
        this.closed(this.synthetic('connecting', 'client', code, reason));
        return;
      case 'waiting':
        this.stopWaiting(phase);
        this.closed(this.synthetic('closing', 'client', code, reason));
        return;
      case 'idle':
      case 'failed':
        this.closed(this.synthetic('closing', 'client', code, reason));
        return;
    }
  }
}
