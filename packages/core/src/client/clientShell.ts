import type { CloseRecord } from '../close/closeRecord';
import { ClientClosedError, ClientFailedError, ClientRuntimeError, type ResockError } from '../errors';
import type { ClientEvents, InboundMessage, OpenEvent } from '../events/clientEvents';
import { listenerError, TypedEmitter } from '../events/typedEmitter';
import type { ClientOptions, Protocols, ResolvedOptions, UrlInput } from '../options';
import { resolveOptions } from '../resolveOptions';
import type { RawClose, TransportConnection, TransportHandlers } from '../transport';
import { ConnectionHeartbeat, sharedScheduler } from './heartbeat';
import { InboundPipeline } from './inbound';
import { NamedTimers } from './namedTimers';
import type { Outbox } from './outbox';
import type { OutboundMessage, OutboundQueue } from './queue';
import { redactUrl, redactUrlsIn } from './redactUrl';
import { runRefresh } from './refreshRunner';
import { initialMachine, type Machine } from './state';
import { resolveTarget, type Target } from './target';
import { type Effect, type Emitted, type Env, type Input, type TimerName, transition } from './transition';

/** Keyed by a symbol no one else holds: the shell's entry point for transport callbacks. */
const fromTransport = Symbol('resock.fromTransport');

/**
 * The imperative shell around `transition`: it feeds the reducer inputs (app calls, transport
 * callbacks, timers) and runs the effects it returns. All decisions live in the reducer; the
 * public surface (`ReconnectingClient`) sits on top.
 */
export abstract class ClientShell<TMessage> {
  /** The app's close; the abort signal ends the client through it. */
  abstract close(code?: number, reason?: string): Promise<CloseRecord>;

  protected machine: Machine = initialMachine;
  protected readonly options: ResolvedOptions<TMessage>;
  protected readonly emitter: TypedEmitter<ClientEvents<TMessage>>;
  // Created when first needed: an idle client holds as little as possible (memory bench).
  protected queue: OutboundQueue | undefined;
  protected outbox: Outbox | undefined;
  protected readonly inbound: InboundPipeline<TMessage> | undefined;
  protected readonly timers: NamedTimers<TimerName>;
  protected mailbox: Input[] | undefined;
  protected running = false;

  /** The live connection; callbacks carrying any other id are ignored. */
  protected connection: TransportConnection | undefined;
  protected connectionId = 0;
  protected connectionError: unknown;
  protected heartbeat: ConnectionHeartbeat | undefined;
  protected refreshing: AbortController | undefined;
  protected override: { url?: UrlInput; protocols?: Protocols } | undefined;
  protected currentUrl: string | undefined;
  protected openInfo: OpenEvent | undefined;
  protected closeWaiters: Array<(record: CloseRecord) => void> | undefined;
  protected openedWaiters:
    | Array<{ resolve: (event: OpenEvent) => void; reject: (error: ResockError) => void }>
    | undefined;
  protected removeAbortListener: (() => void) | undefined;
  protected removeEnvironmentListener: (() => void) | undefined;
  protected readonly counts = {
    attempts: 0,
    opens: 0,
    sent: 0,
    received: 0,
    dropped: 0,
    uptimeMs: 0,
  };
  protected openedAt: number | undefined;
  lastClose: CloseRecord | undefined;

  constructor(input: ClientOptions<TMessage>) {
    const o = resolveOptions(input);
    this.options = o;
    this.timers = new NamedTimers(o.clock);
    this.emitter = new TypedEmitter(this);
    // Only a schema or an isReady needs the pipeline; otherwise a message goes straight out.
    this.inbound =
      o.messages || o.isReady
        ? new InboundPipeline(o.messages, o.isReady, {
            message: (message) => this.emitter.emit('message', message),
            invalid: (event) => this.emitter.emit('invalidMessage', event),
            ready: () => {
              const phase = this.machine.phase;
              if (phase.status === 'open') this.dispatch({ type: 'stable', id: phase.id });
            },
            readyThrew: (error) =>
              this.emitter.emit('error', new ClientRuntimeError('listener', 'isReady threw', error)),
          })
        : undefined;
    const { signal } = o;
    if (signal?.aborted) {
      this.dispatch({ type: 'close', code: 1000, reason: '' });
      return;
    }
    if (signal) {
      const onAbort = () => void this.close();
      signal.addEventListener('abort', onAbort, { once: true });
      this.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
    }
    const { environment } = o;
    if (environment) {
      this.removeEnvironmentListener = environment.subscribe((change) =>
        this.dispatch({ type: 'environment', change }),
      );
    }
    if (!o.lazy) this.dispatch({ type: 'start' });
  }

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
    const o = this.options;
    const { environment } = o;
    return {
      now: o.clock.now(),
      random: o.random,
      policy: o.policy,
      refreshAvailable: o.refresh !== undefined,
      connectTimeoutMs: o.connectTimeoutMs,
      closeTimeoutMs: o.closeTimeoutMs,
      stableAfterMs: o.stableAfterMs,
      reconnectCloseCode: o.reconnectCloseCode,
      heartbeat: o.heartbeat !== undefined,
      redact: o.redactUrls ? redactUrlsIn : unchanged,
      pauseWhenHidden: o.pauseWhenHidden,
      online: environment ? environment.online() : true,
      visible: environment ? environment.visible() : true,
    };
  }

  protected run(effect: Effect): void {
    switch (effect.type) {
      case 'connect':
        this.connect(effect.id);
        break;
      case 'closeSocket':
        if (effect.id === this.connectionId) this.safely(() => this.connection?.close(effect.code, effect.reason));
        break;
      case 'dropSocket':
        this.drop(effect.id, effect.code, effect.reason);
        break;
      case 'startTimer': {
        // A deadline that fires over a second late was throttled or frozen with its tab: events
        // queued meanwhile (the open, the close) get one more second to be handled first.
        const grace = effect.timer === 'connect' || effect.timer === 'close' ? LATE_GRACE_MS : undefined;
        this.timers.start(
          effect.timer,
          effect.delayMs,
          () => this.dispatch(timerInput(effect.timer, effect.id)),
          grace,
        );
        break;
      }
      case 'probe':
        if (this.heartbeat) sharedScheduler(this.options.clock).probe(this.heartbeat);
        break;
      case 'cancelTimer':
        this.timers.cancel(effect.timer);
        break;
      case 'startHeartbeat':
        this.startHeartbeat(effect.id);
        break;
      case 'stopHeartbeat':
        this.stopHeartbeat();
        break;
      case 'flushQueue':
        this.flushQueue();
        break;
      case 'refresh':
        this.refresh(effect.record, effect.attempt);
        break;
      case 'abortRefresh':
        this.refreshing?.abort();
        this.refreshing = undefined;
        break;
      case 'emit':
        this.emit(effect.event);
        break;
      case 'resolveOpened':
        for (const waiter of this.takeOpenedWaiters()) waiter.resolve(this.openInfo ?? this.openEvent(effect));
        break;
      case 'rejectOpened': {
        const phase = this.machine.phase;
        const error =
          effect.status === 'closed'
            ? new ClientClosedError('wait for open')
            : new ClientFailedError(
                phase.status === 'failed' ? (phase.decision.stopReason ?? 'rule') : 'rule',
                effect.record,
              );
        for (const waiter of this.takeOpenedWaiters()) waiter.reject(error);
        break;
      }
      case 'finish':
        this.finish(effect.record);
        break;
    }
  }

  // ── connections ─────────────────────────────────────────────────────────────────────────

  protected connect(id: number): void {
    this.connection = undefined;
    this.connectionId = id;
    this.connectionError = undefined;
    this.openInfo = undefined;
    this.counts.attempts++;
    let target: Target | Promise<Target>;
    try {
      target = resolveTarget(
        this.override?.url ?? this.options.url,
        this.override?.protocols ?? this.options.protocols,
        (url) => this.redact(url),
        this.options.requireTls,
      );
    } catch (error) {
      // On the next tick, so listeners attached right after createClient hear it.
      this.later(() => this.attemptFailed(id, error));
      return;
    }
    if (target instanceof Promise) {
      target.then(
        (resolved) => this.dial(id, resolved),
        (error: unknown) => this.attemptFailed(id, error),
      );
    } else {
      this.dial(id, target);
    }
  }

  /** The URL could not be resolved: a misconfiguration the app must hear of, and a failed attempt. */
  protected attemptFailed(id: number, error: unknown): void {
    if (error instanceof ClientRuntimeError) this.emitter.emit('error', error);
    this.dispatch({ type: 'connectFailed', id, error });
  }

  protected dial(id: number, target: Target): void {
    const phase = this.machine.phase;
    if (id !== this.connectionId || phase.status !== 'connecting' || phase.id !== id) return;
    this.currentUrl = target.url;
    // Callbacks the transport makes from inside connect() queue up until it has returned.
    const nested = this.running;
    this.running = true;
    try {
      const request = { url: target.url, protocols: target.protocols, connectTimeoutMs: this.options.connectTimeoutMs };
      const connection = this.options.transport.connect(request, new ConnectionHandlers(this, id));
      if (id === this.connectionId) this.connection = connection;
      else this.safely(() => (connection.terminate ? connection.terminate() : connection.close()));
    } catch (error) {
      this.later(() => this.dispatch({ type: 'connectFailed', id, error }));
    } finally {
      this.running = nested;
    }
    const pending = nested ? undefined : this.mailbox?.shift();
    if (pending) this.dispatch(pending);
  }

  /** The shell's side of one connection's callbacks (see ConnectionHandlers). */
  [fromTransport](id: number, event: TransportEvent): void {
    if (id !== this.connectionId) return; // a connection resock has already let go of
    switch (event.type) {
      case 'open':
        this.dispatch({
          type: 'opened',
          id,
          url: this.currentUrl ?? '',
          protocol: event.protocol,
          extensions: event.extensions,
        });
        return;
      case 'message':
        this.received(event.data);
        return;
      case 'close': {
        const { raw } = event;
        const error = this.connectionError;
        this.dispatch({
          type: 'transportClosed',
          id,
          raw: raw.error === undefined && error !== undefined ? { ...raw, error } : raw,
        });
        return;
      }
      case 'error':
        this.connectionError = event.error;
        return;
      case 'pong':
        this.heartbeat?.alive(this.options.clock.now());
        return;
    }
  }

  /** Stops listening to a connection and ends it: at once where the transport can. */
  protected drop(id: number, code: number, reason: string): void {
    if (id !== this.connectionId) return;
    const { connection } = this;
    this.connection = undefined;
    this.connectionId = 0;
    if (connection) this.safely(() => (connection.terminate ? connection.terminate() : connection.close(code, reason)));
  }

  /** A message from connection `id` (the hot path: no event object, one id check). */
  deliver(id: number, data: InboundMessage): void {
    if (id === this.connectionId) this.received(data);
  }

  /** The hot path: one counter, the liveness mark, then the pipeline. */
  protected received(data: InboundMessage): void {
    this.counts.received++;
    const { reliable } = this.options;
    if (reliable) {
      const id = this.guarded('reliable.ackOf', reliable.ackOf, data);
      if (id !== undefined) {
        const message = this.outbox?.ack(id);
        this.heartbeat?.alive(this.options.clock.now());
        if (message !== undefined) this.emitter.emit('acked', { id, data: message });
        return; // an acknowledgement is reliable delivery's own traffic
      }
    }
    if (this.heartbeat) {
      this.heartbeat.alive(this.options.clock.now());
      const { isPong } = this.options.heartbeat ?? {};
      if (isPong && this.guarded('heartbeat.isPong', isPong, data)) return; // heartbeat traffic, not the app's
    }
    if (this.inbound) this.inbound.receive(data);
    else this.emitter.emit('message', data as TMessage);
  }

  /**
   * The app's recognizers run on server data, so they meet hostile input: one that throws is
   * reported as an `error` and the message is treated as ordinary, never thrown into the transport.
   */
  private guarded<T>(name: string, recognize: (data: InboundMessage) => T, data: InboundMessage): T | undefined {
    try {
      return recognize(data);
    } catch (error) {
      this.emitter.emit('error', new ClientRuntimeError('listener', `${name} threw`, error));
      return undefined;
    }
  }

  protected flushQueue(): void {
    const { connection } = this;
    if (!connection) return;
    // Unacknowledged messages first, in the order they were sent: the peer may or may not
    // have them, so they go again (at-least-once).
    for (const data of this.outbox?.messages() ?? []) {
      try {
        connection.send(data);
        this.counts.sent++;
      } catch {
        return; // still in the outbox for the next connection
      }
    }
    const { queue } = this;
    if (!queue) return;
    for (let data = queue.shift(); data !== undefined; data = queue.shift()) {
      try {
        connection.send(data);
        this.counts.sent++;
      } catch {
        queue.unshift(data); // keeps its place for the next connection
        return;
      }
    }
  }

  protected startHeartbeat(id: number): void {
    const settings = this.options.heartbeat;
    const { connection } = this;
    if (!settings || !connection) return;
    const { message } = settings;
    if (!connection.ping && message === undefined) {
      const why =
        'Heartbeat is on, but the transport has no ping and no heartbeat.message is set: the connection is not checked.';
      this.emitter.emit('error', new ClientRuntimeError('heartbeat', why));
      return;
    }
    const ping = connection.ping
      ? () => connection.ping?.()
      : () => connection.send(typeof message === 'function' ? message() : (message as OutboundMessage));
    const { clock } = this.options;
    this.heartbeat = new ConnectionHeartbeat(
      settings,
      clock.now(),
      () => this.safely(ping),
      () => this.dispatch({ type: 'heartbeatTimeout', id }),
    );
    sharedScheduler(clock).add(this.heartbeat);
  }

  protected stopHeartbeat(): void {
    if (!this.heartbeat) return;
    sharedScheduler(this.options.clock).delete(this.heartbeat);
    this.heartbeat = undefined;
  }

  protected refresh(record: CloseRecord, attempt: number): void {
    const { refresh } = this.options;
    if (!refresh) return; // the policy stops `refresh` without a hook; nothing to run
    this.refreshing = runRefresh(refresh, record, attempt, (outcome) => {
      this.refreshing = undefined;
      if (!outcome.ok) {
        this.dispatch({ type: 'refreshFailed', error: outcome.error });
        return;
      }
      if (outcome.url !== undefined) this.override = { ...this.override, url: outcome.url };
      if (outcome.protocols !== undefined) this.override = { ...this.override, protocols: outcome.protocols };
      this.dispatch({ type: 'refreshed' });
    });
  }

  // ── telling the app ─────────────────────────────────────────────────────────────────────

  protected emit(event: Emitted): void {
    const { emitter } = this;
    switch (event.name) {
      case 'state':
        if (event.from === 'open' && this.openedAt !== undefined) {
          this.counts.uptimeMs += this.options.clock.now() - this.openedAt;
          this.openedAt = undefined;
        }
        emitter.emit('state', { from: event.from, to: event.to });
        break;
      case 'open':
        this.openedAt = this.options.clock.now();
        this.counts.opens++;
        this.inbound?.connectionOpened();
        this.openInfo = this.openEvent(event);
        emitter.emit('open', this.openInfo);
        break;
      case 'close':
        this.lastClose = event.record;
        emitter.emit('close', event.record);
        break;
      case 'reconnecting': {
        const { decision, record, attempt } = event;
        const action = decision.action === 'stop' ? 'retry' : decision.action;
        emitter.emit('reconnecting', {
          attempt,
          delayMs: decision.delayMs,
          action,
          rule: decision.rule,
          record,
          decision,
        });
        break;
      }
      case 'failed':
        emitter.emit('failed', {
          reason: event.decision.stopReason ?? 'rule',
          record: event.record,
          decision: event.decision,
        });
        break;
      case 'refreshError':
        emitter.emit(
          'error',
          new ClientRuntimeError('refresh', 'The refresh hook failed; the policy decides again.', event.error),
        );
        break;
    }
  }

  protected openEvent(event: { url: string; protocol: string; extensions: string; attempt: number }): OpenEvent {
    const { protocol, extensions, attempt } = event;
    return Object.freeze({ url: this.redact(event.url), protocol, extensions, attempt });
  }

  /** The app's close is complete: nothing of the client may be left running. */
  protected finish(record: CloseRecord): void {
    this.timers.cancelAll();
    this.stopHeartbeat();
    this.refreshing?.abort();
    this.refreshing = undefined;
    this.connection = undefined;
    this.connectionId = 0;
    this.removeAbortListener?.();
    this.removeAbortListener = undefined;
    this.removeEnvironmentListener?.();
    this.removeEnvironmentListener = undefined;
    for (const data of this.outbox?.drain() ?? []) this.dropped(data, 'closed');
    for (const data of this.queue?.drain() ?? []) this.dropped(data, 'closed');
    const waiters = this.closeWaiters ?? [];
    this.closeWaiters = undefined;
    for (const resolve of waiters) resolve(record);
  }

  protected dropped(data: OutboundMessage, reason: 'overflow' | 'closed'): void {
    this.counts.dropped++;
    this.emitter.emit('dropped', { data, reason });
  }

  [listenerError](error: unknown, event: PropertyKey): void {
    if (event !== 'error' && this.emitter.has('error')) {
      this.emitter.emit('error', new ClientRuntimeError('listener', `A "${String(event)}" listener threw`, error));
      return;
    }
    // Nobody can hear it here: surface it as an uncaught error, outside the client's state.
    setTimeout(() => {
      throw error;
    }, 0);
  }

  // ── small helpers ───────────────────────────────────────────────────────────────────────

  protected takeOpenedWaiters() {
    const waiters = this.openedWaiters ?? [];
    this.openedWaiters = undefined;
    return waiters;
  }

  protected assertNotClosed(what: string): void {
    const status = this.machine.phase.status;
    if (status === 'closed' || status === 'closing') throw new ClientClosedError(what);
  }

  protected redact(url: string): string {
    return this.options.redactUrls ? redactUrl(url) : url;
  }

  /** Runs `work` on the next tick. */
  protected later(work: () => void): void {
    Promise.resolve().then(work);
  }

  protected safely(work: () => void): void {
    try {
      work();
    } catch {
      // A transport that throws while closing is already gone; the deadlines finish the job.
    }
  }
}

const LATE_GRACE_MS = 1000;

type TransportEvent =
  | { readonly type: 'open'; readonly protocol: string; readonly extensions: string }
  | { readonly type: 'message'; readonly data: InboundMessage }
  | { readonly type: 'close'; readonly raw: RawClose }
  | { readonly type: 'error'; readonly error: unknown }
  | { readonly type: 'pong' };

/**
 * One small object per connection instead of five closures (an idle client should cost little
 * more than its socket). It tags every callback with its connection's id, so the shell can
 * ignore a connection it has already let go of. Messages skip the event object: the hot path.
 */
class ConnectionHandlers implements TransportHandlers {
  constructor(
    private readonly shell: {
      [fromTransport](id: number, event: TransportEvent): void;
      deliver(id: number, data: InboundMessage): void;
    },
    private readonly id: number,
  ) {}
  onOpen(info: { protocol: string; extensions: string }): void {
    this.shell[fromTransport](this.id, { type: 'open', protocol: info.protocol, extensions: info.extensions });
  }
  onMessage(data: InboundMessage): void {
    this.shell.deliver(this.id, data);
  }
  onClose(raw: RawClose): void {
    this.shell[fromTransport](this.id, { type: 'close', raw });
  }
  onError(error: unknown): void {
    this.shell[fromTransport](this.id, { type: 'error', error });
  }
  onPong(): void {
    this.shell[fromTransport](this.id, { type: 'pong' });
  }
}

const unchanged = (text: string) => text;

function timerInput(timer: TimerName, id: number): Input {
  switch (timer) {
    case 'retry':
      return { type: 'retryDue' };
    case 'connect':
      return { type: 'connectTimeout', id };
    case 'close':
      return { type: 'closeTimeout', id };
    case 'stable':
      return { type: 'stable', id };
  }
}
