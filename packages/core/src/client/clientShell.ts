import { LATE_TIMER_MS } from '../clock';
import type { CloseRecord } from '../close/closeRecord';
import { ClientClosedError, ClientFailedError, ClientRuntimeError } from '../errors';
import type { OpenEvent } from '../events/clientEvents';
import type { TransportConnection } from '../transport';
import { ConnectionShell } from './connectionShell';
import { safely } from './endConnection';
import { ConnectionHeartbeat, type HeartbeatSettings, heartbeatSettings, peerSilent, sendPing } from './heartbeat';
import type { OutboundMessage, QueuedMessage } from './queue';
import { runRefresh } from './refreshRunner';
import { sharedScheduler } from './sharedScheduler';
import { type Effect, type Env, type Input, type TimerName, transition } from './transition';

/**
 * The imperative shell around `transition`: it feeds the reducer inputs (app calls, transport
 * callbacks, timers) and runs the effects it returns. All decisions live in the reducer; the
 * public surface (`ReconnectingClient`) sits on top. It declares no fields (see ShellState).
 */
export abstract class ClientShell<TMessage> extends ConnectionShell<TMessage> {
  // ── feeding the reducer ─────────────────────────────────────────────────────────────────

  /**
   * Inputs raised while effects run (a listener calling `close()`, a transport calling back
   * synchronously) wait in the mailbox, so each transition completes before the next starts.
   */
  protected dispatch(input: Input): void {
    if (this.running) {
      this.mailbox ??= [];
      this.mailbox.push(input);
      return;
    }
    this.running = true;
    try {
      for (let next: Input | undefined = input; next; next = this.mailbox?.shift()) {
        const step = transition(this.machine, next, this.env());
        this.machine = step.machine;
        for (const effect of step.effects) this.run(effect);
      }
    } finally {
      this.running = false;
    }
  }

  /** What the reducer reads besides its state, read fresh for each step (the time, the page). */
  protected env(): Env {
    const o = this.resolvedOptions;
    return {
      random: o.random,
      policy: o.policy,
      connectTimeoutMs: o.connectTimeoutMs,
      closeTimeoutMs: o.closeTimeoutMs,
      stableAfterMs: o.stableAfterMs,
      idleTimeoutMs: o.idleTimeoutMs,
      maxConnectionAgeMs: o.maxConnectionAgeMs,
      reconnectCloseCode: o.reconnectCloseCode,
      pauseWhenHidden: o.pauseWhenHidden,
      now: o.clock.now(),
      refreshAvailable: o.refresh !== undefined,
      heartbeat: o.heartbeat !== undefined,
      greeting: o.greeting !== undefined,
      // A keep-alive heartbeat (timeoutMs 0) awaits no answer: it cannot tell a dead socket.
      probing: this.liveHeartbeat !== undefined && o.heartbeat?.timeoutMs !== 0,
      redact: this.redactText,
      online: this.pageSays('online'),
      visible: this.pageSays('visible'),
    };
  }

  protected run(effect: Effect): void {
    switch (effect.type) {
      case 'connect':
        // A listener of this same step already closed the client (a retry "now" shares its step
        // with the close event): dial nothing the close would drop at once.
        if (!this.leaving()) this.connectAttempt(effect.id, effect.afterMs);
        break;
      case 'closeSocket':
        if (effect.id !== this.connectionId) break;
        this.ungreeted(effect.id, true);
        this.onBacklog(false); // read again: the server's close frame must not wait behind a backlog
        safely(() => this.connection?.close(effect.code, effect.reason));
        break;
      case 'dropSocket':
        this.dropConnection(effect.id, effect.code, effect.reason, effect.say);
        break;
      case 'startTimer': {
        // A deadline that fires over a second late was throttled or frozen with its tab: events
        // queued meanwhile (the open, the close) get one more second to be handled first.
        const grace = effect.timer === 'connect' || effect.timer === 'close' ? LATE_TIMER_MS : undefined;
        const { timer, id } = effect;
        const fire = timer === 'idle' ? this.idleCheck(id) : () => this.dispatch(timerInput(timer, id));
        this.timers.setTimer(
          effect.timer,
          effect.delayMs,
          effect.timer === 'close' ? this.whileMoving(effect.delayMs, fire, grace) : fire,
          grace,
        );
        break;
      }
      case 'probe': {
        const now = this.resolvedOptions.clock.now();
        if (!this.liveHeartbeat || (effect.ifDue && !this.liveHeartbeat.due(now))) break;
        // Sends wait for the answer while a probe is out: set first, as the answer may come
        // within probe() itself (a transport that answers at once).
        this.untrusted = true;
        // (A ping builder that throws stops the heartbeat, and what is held goes: [sendPing].)
        this.rescheduleIf(this.liveHeartbeat.probe(now));
        break;
      }
      case 'cancelTimer':
        this.timers.cancel(effect.timer);
        break;
      case 'startHeartbeat':
        this.startHeartbeat(effect.id);
        break;
      case 'stopHeartbeat':
        this.stopHeartbeat();
        break;
      case 'greet':
        this.greet(effect.opened);
        break;
      case 'flushQueue':
        // At open, before it is told: a reply to what goes out now (a loopback answers inside
        // send()) is heard after the open, as what came with it is (deliverEarly).
        this.beforeOpen ??= [];
        this.flushQueue();
        break;
      case 'refresh':
        // As for 'connect': a listener of this step closed the client; no hook for a retry that
        // will not come (a token fetched for nothing).
        if (!this.leaving()) this.refreshNow(effect.record, effect.attempt);
        break;
      case 'retryNow':
        this.dispatch({ type: 'retryDue', decision: effect.decision }); // into the mailbox, behind the listeners' calls
        break;
      case 'abortRefresh':
        this.refreshing?.abort();
        this.refreshing = undefined;
        this.timers.cancel('refresh');
        break;
      case 'emit':
        this.emit(effect.event);
        if (effect.event.name === 'open') this.deliverEarly();
        break;
      case 'resolveOpened':
        // The 'open' emitted just before, in the same step, set openInfo.
        for (const waiter of this.takeOpenedWaiters()) waiter.resolve(this.openInfo as OpenEvent);
        break;
      case 'rejectOpened': {
        const error = effect.stopReason
          ? new ClientFailedError(effect.stopReason, effect.record)
          : new ClientClosedError('wait for open');
        for (const waiter of this.takeOpenedWaiters()) waiter.reject(error);
        break;
      }
      case 'finish':
        this.finish(effect.record);
        break;
    }
  }

  // ── per-connection services ─────────────────────────────────────────────────────────────

  protected startHeartbeat(id: number): void {
    const settings = this.resolvedOptions.heartbeat;
    const { connection } = this;
    if (!settings || !connection) return;
    if (!connection.ping && settings.message === undefined) {
      const why =
        'Heartbeat is on, but the transport has no ping and no heartbeat.message is set: the connection is not checked.';
      this.emitter.emit('error', new ClientRuntimeError('heartbeat', why));
      return;
    }
    const { clock } = this.resolvedOptions;
    this.liveHeartbeat = new ConnectionHeartbeat(clock.now(), this, id, connection);
    sharedScheduler(clock).add(this.liveHeartbeat);
  }

  get [heartbeatSettings](): HeartbeatSettings {
    return this.resolvedOptions.heartbeat as HeartbeatSettings; // set whenever a heartbeat runs
  }

  [sendPing](connection: TransportConnection): void {
    const message = this.resolvedOptions.heartbeat?.message;
    // The app's own ping wins over a protocol one: the same options put the same frames on the
    // wire on every platform, and a proxy or gateway that answers protocol pings itself cannot
    // vouch for a server that is gone behind it.
    if (message === undefined) {
      safely(() => connection.ping?.());
      return;
    }
    let data: OutboundMessage;
    try {
      data = typeof message === 'function' ? message() : (message as OutboundMessage);
    } catch (error) {
      // The app's ping builder is broken, not the peer: say so, and stop checking this
      // connection rather than drop a healthy one as dead — and hold no sends for an answer to
      // a probe that will not come.
      this.stopHeartbeat();
      this.trust();
      this.emitter.emit('error', new ClientRuntimeError('heartbeat', 'heartbeat.message threw', error));
      return;
    }
    safely(() => connection.send(data));
  }

  [peerSilent](id: number): void {
    // The client stopped reading this one (an async schema's backlog): its pong may wait unread.
    if (this.inbound?.pausedFor === id) this.liveHeartbeat?.alive(this.resolvedOptions.clock.now());
    else this.dispatch({ type: 'heartbeatTimeout', id });
  }

  protected stopHeartbeat(): void {
    if (!this.liveHeartbeat) return;
    sharedScheduler(this.resolvedOptions.clock).delete(this.liveHeartbeat);
    this.liveHeartbeat = undefined;
  }

  protected refreshNow(record: CloseRecord, attempt: number): void {
    const { refresh, requireTls, connectTimeoutMs } = this.resolvedOptions;
    if (!refresh) return; // the policy stops `refresh` without a hook; nothing to run
    const check = { requireTls, redact: this.redact };
    const done = () => {
      this.refreshing = undefined;
      this.timers.cancel('refresh');
    };
    this.refreshing = runRefresh(refresh, record, attempt, check, (outcome) => {
      done();
      if (!outcome.ok) {
        this.dispatch({ type: 'refreshFailed', error: outcome.error });
        return;
      }
      // The outcome holds a url and protocols only where the hook gave them (readResult).
      const { ok, ...given } = outcome;
      this.override = { ...this.override, ...given };
      this.dispatch({ type: 'refreshed' });
    });
    // A hook that never settles (a token fetch with no timeout) gets an attempt's time, like a URL
    // function, and the same grace second when the deadline fires late (a frozen tab).
    this.timers.setTimer(
      'refresh',
      connectTimeoutMs,
      () => {
        this.refreshing?.abort();
        done();
        const error = new ClientRuntimeError(
          'refresh',
          `The refresh hook did not settle within ${connectTimeoutMs} ms`,
        );
        this.dispatch({ type: 'refreshFailed', error });
      },
      LATE_TIMER_MS,
    );
  }

  /** Messages whose send() waits for the flush ahead of them, taken out (see AcceptShell). */
  protected unplaced(): QueuedMessage[] {
    return [];
  }

  /** The app's close is complete: nothing of the client may be left running. */
  protected finish(record: CloseRecord): void {
    this.abortAttempt(); // closed during an attempt's back-off: its signal is let go too
    this.timers.cancelAll();
    this.stopHeartbeat();
    this.refreshing?.abort();
    this.refreshing = undefined;
    this.inbound?.stop();
    this.connection = undefined;
    this.connectionId = 0;
    this.removeAbortListener?.();
    this.removeAbortListener = undefined;
    this.stopListeningToEnvironment();
    this.beforeOpen = undefined;
    // What never reached the peer goes back to the app, tracked or not: past its ttlMs (a late
    // timer) as expired, not to be sent again; with its signal aborted as aborted.
    const expired = this.takeExpired();
    this.dropAll(expired, [...(this.outbox?.drain() ?? []), ...(this.queue?.drain() ?? []), ...this.unplaced()]);
    const waiters = this.closeWaiters ?? [];
    this.closeWaiters = undefined;
    for (const resolve of waiters) resolve(record);
    this.emitter.letGoOfSignals();
  }
}

function timerInput(timer: Exclude<TimerName, 'idle'>, id: number): Input {
  switch (timer) {
    case 'retry':
      return { type: 'retryDue' };
    case 'connect':
      return { type: 'connectTimeout', id };
    case 'close':
      return { type: 'closeTimeout', id };
    case 'stable':
      return { type: 'stable', id };
    case 'age':
      return { type: 'ageDue', id };
  }
}
