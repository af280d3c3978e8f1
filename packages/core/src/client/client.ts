import type { TimerHandle } from '../clock';
import { assertCloseArguments } from '../close/closeArguments';
import type { CloseRecord } from '../close/closeRecord';
import {
  ClientClosedError,
  ClientFailedError,
  ClientRuntimeError,
  InvalidMessageError,
  type ResockError,
} from '../errors';
import type { ClientEvents, InboundMessage, MessageIssue, OpenEvent } from '../events/clientEvents';
import { TypedEmitter } from '../events/typedEmitter';
import {
  type ClientOptions,
  isBinary,
  type Protocols,
  protocolList,
  type ResolvedOptions,
  resolveOptions,
  type UrlInput,
  urlText,
} from '../options';
import type { StandardIssue, StandardResult } from '../standardSchema';
import type { TransportConnection, TransportHandlers } from '../transport';
import { ConnectionHeartbeat, sharedScheduler } from './heartbeat';
import { type OutboundMessage, OutboundQueue } from './queue';
import { isSocketUrl, redactUrl } from './redactUrl';
import { type ClientStatus, initialMachine, type Machine } from './state';
import {
  type Effect,
  type Emitted,
  type Env,
  type Input,
  type TimerName,
  transition,
} from './transition';

export type SendResult = 'sent' | 'queued' | 'dropped';

export interface ClientStats {
  /** Connection attempts started. */
  readonly attempts: number;
  /** Opens after the first. */
  readonly reconnects: number;
  /** Time spent open, all connections together, ms. */
  readonly uptimeMs: number;
  readonly messagesSent: number;
  readonly messagesReceived: number;
  /** Waiting in the queue now. */
  readonly messagesQueued: number;
  readonly messagesDropped: number;
}

/** A reconnecting WebSocket client. Create one with `createClient`. */
export interface Client<TMessage = InboundMessage> {
  readonly state: ClientStatus;
  /** The URL of the current or last connection, redacted unless `redactUrls: false`. */
  readonly url: string | undefined;
  readonly protocol: string;
  readonly extensions: string;
  /** Bytes the transport has not sent yet plus bytes waiting in the queue. */
  readonly bufferedAmount: number;
  readonly stats: ClientStats;
  /** The record of the last close, if any. */
  readonly lastClose: CloseRecord | undefined;
  /** Sends now when open, else queues. Throws `ClientClosedError` after `close()`. */
  send(data: OutboundMessage): SendResult;
  /** Closes for good (1000 and 3000–4999 only; reason ≤ 123 UTF-8 bytes). Resolves with the final record. */
  close(code?: number, reason?: string): Promise<CloseRecord>;
  /** Drops the current connection and starts a fresh attempt now; also revives a `failed` client. */
  reconnect(): void;
  /** Starts a `lazy` client. */
  open(): void;
  /** The next open; rejects when the client fails or is closed first. */
  opened(): Promise<OpenEvent>;
  /** Takes every queued message out of the queue, oldest first. */
  takeQueued(): OutboundMessage[];
  on<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
  ): () => void;
  once<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
  ): () => void;
  off<E extends keyof ClientEvents<TMessage>>(event: E, listener: ClientEvents<TMessage>[E]): void;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a client and, unless `lazy`, starts connecting. Throws `InvalidOptionsError`. */
export function createClient<TMessage = InboundMessage>(
  options: ClientOptions<TMessage>,
): Client<TMessage> {
  return new ReconnectingClient(options);
}

const asyncDispose: typeof Symbol.asyncDispose =
  Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

class ReconnectingClient<TMessage> implements Client<TMessage> {
  private machine: Machine = initialMachine;
  private readonly options: ResolvedOptions<TMessage>;
  private readonly emitter: TypedEmitter<ClientEvents<TMessage>>;
  private readonly queue: OutboundQueue;
  private readonly staticEnv: Omit<Env, 'now'>;
  private mailbox: Input[] = [];
  private running = false;

  /** The live connection; events of any other id are ignored. */
  private connection: TransportConnection | undefined;
  private connectionId = 0;
  private connectionError: unknown;
  private readonly timers = new Map<TimerName, TimerHandle>();
  private heartbeat: ConnectionHeartbeat | undefined;
  private refreshing: AbortController | undefined;
  private override: { url?: UrlInput; protocols?: Protocols } = {};
  private awaitingReady = false;
  private inboundChain: Promise<void> | undefined;

  private currentUrl: string | undefined;
  private openInfo: OpenEvent | undefined;
  private closeWaiters: Array<(record: CloseRecord) => void> = [];
  private openedWaiters: Array<{
    resolve: (event: OpenEvent) => void;
    reject: (error: ResockError) => void;
  }> = [];
  private removeAbortListener: (() => void) | undefined;
  lastClose: CloseRecord | undefined;

  private counts = { attempts: 0, opens: 0, sent: 0, received: 0, dropped: 0, uptimeMs: 0 };
  private openedAt: number | undefined;

  constructor(input: ClientOptions<TMessage>) {
    this.options = resolveOptions(input);
    const o = this.options;
    this.queue = new OutboundQueue(o.queue);
    this.emitter = new TypedEmitter((error, event) => this.listenerThrew(error, event));
    this.staticEnv = {
      random: o.random,
      policy: o.policy,
      refreshAvailable: o.refresh !== undefined,
      connectTimeoutMs: o.connectTimeoutMs,
      closeTimeoutMs: o.closeTimeoutMs,
      stableAfterMs: o.stableAfterMs,
      reconnectCloseCode: o.reconnectCloseCode,
      heartbeat: o.heartbeat !== undefined,
    };
    const signal = o.signal;
    if (signal?.aborted) {
      this.dispatch({ type: 'close', code: 1000, reason: '' });
      return;
    }
    if (signal) {
      const onAbort = () => void this.close().catch(() => undefined);
      signal.addEventListener('abort', onAbort, { once: true });
      this.removeAbortListener = () => signal.removeEventListener('abort', onAbort);
    }
    if (!o.lazy) this.dispatch({ type: 'start' });
  }

  // ── the public surface ────────────────────────────────────────────────────────────────

  get state(): ClientStatus {
    return this.machine.phase.status;
  }

  get url(): string | undefined {
    return this.currentUrl === undefined ? undefined : this.redact(this.currentUrl);
  }

  get protocol(): string {
    return this.openInfo?.protocol ?? '';
  }

  get extensions(): string {
    return this.openInfo?.extensions ?? '';
  }

  get bufferedAmount(): number {
    return (this.connection?.bufferedAmount ?? 0) + this.queue.bytes;
  }

  get stats(): ClientStats {
    const openFor = this.openedAt === undefined ? 0 : this.options.clock.now() - this.openedAt;
    return {
      attempts: this.counts.attempts,
      reconnects: Math.max(0, this.counts.opens - 1),
      uptimeMs: this.counts.uptimeMs + openFor,
      messagesSent: this.counts.sent,
      messagesReceived: this.counts.received,
      messagesQueued: this.queue.length,
      messagesDropped: this.counts.dropped,
    };
  }

  send(data: OutboundMessage): SendResult {
    const status = this.machine.phase.status;
    if (status === 'closed' || status === 'closing') throw new ClientClosedError('send');
    if (typeof data !== 'string' && !isBinary(data)) throw new InvalidMessageError(data);
    const connection = this.connection;
    if (status === 'open' && connection && this.queue.length === 0) {
      try {
        connection.send(data);
        this.counts.sent++;
        return 'sent';
      } catch {
        // The socket is going away under us; keep the message for the next one.
      }
    }
    const offered = this.queue.offer(data); // throws QueueFullError with overflow 'reject'
    if (!offered.accepted) {
      this.dropped(data, 'overflow');
      return 'dropped';
    }
    for (const evicted of offered.evicted) this.dropped(evicted, 'overflow');
    if (status === 'idle') this.dispatch({ type: 'start' });
    return 'queued';
  }

  close(code = 1000, reason = ''): Promise<CloseRecord> {
    assertCloseArguments(code, reason);
    const phase = this.machine.phase;
    if (phase.status === 'closed') return Promise.resolve(phase.record);
    const done = new Promise<CloseRecord>((resolve) => this.closeWaiters.push(resolve));
    this.dispatch({ type: 'close', code, reason });
    return done;
  }

  reconnect(): void {
    const status = this.machine.phase.status;
    if (status === 'closed' || status === 'closing') throw new ClientClosedError('reconnect');
    this.dispatch({ type: 'reconnect' });
  }

  open(): void {
    const status = this.machine.phase.status;
    if (status === 'closed' || status === 'closing') throw new ClientClosedError('open');
    this.dispatch({ type: 'start' });
  }

  opened(): Promise<OpenEvent> {
    const phase = this.machine.phase;
    if (phase.status === 'open' && this.openInfo) return Promise.resolve(this.openInfo);
    if (phase.status === 'closed' || phase.status === 'closing')
      return Promise.reject(new ClientClosedError('wait for open'));
    if (phase.status === 'failed') {
      return Promise.reject(
        new ClientFailedError(phase.decision.stopReason ?? 'rule', phase.record),
      );
    }
    return new Promise((resolve, reject) => this.openedWaiters.push({ resolve, reject }));
  }

  takeQueued(): OutboundMessage[] {
    return this.queue.drain();
  }

  on<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
  ): () => void {
    return this.emitter.on(event, listener);
  }

  once<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
  ): () => void {
    return this.emitter.once(event, listener);
  }

  off<E extends keyof ClientEvents<TMessage>>(event: E, listener: ClientEvents<TMessage>[E]): void {
    this.emitter.off(event, listener);
  }

  async [asyncDispose](): Promise<void> {
    await this.close();
  }

  // ── the shell: feed inputs to the reducer, run its effects ────────────────────────────────

  /**
   * Inputs raised while effects run (a listener calling `close()`, a transport calling back
   * synchronously) wait in the mailbox, so each transition completes before the next starts.
   */
  private dispatch(input: Input): void {
    this.mailbox.push(input);
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.mailbox.shift(); next; next = this.mailbox.shift()) {
        const step = transition(this.machine, next, {
          ...this.staticEnv,
          now: this.options.clock.now(),
        });
        this.machine = step.machine;
        for (const effect of step.effects) this.run(effect);
      }
    } finally {
      this.running = false;
    }
  }

  /** Runs `work` as part of a step, so callbacks it triggers queue up instead of nesting. */
  private batch(work: () => void): void {
    if (this.running) {
      work();
      return;
    }
    this.running = true;
    try {
      work();
    } finally {
      this.running = false;
    }
    const pending = this.mailbox.shift();
    if (pending) this.dispatch(pending);
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'connect':
        this.connect(effect.id);
        return;
      case 'closeSocket':
        if (effect.id === this.connectionId)
          this.safely(() => this.connection?.close(effect.code, effect.reason));
        return;
      case 'dropSocket':
        this.drop(effect.id, effect.code, effect.reason);
        return;
      case 'startTimer':
        this.startTimer(effect.timer, effect.delayMs, effect.id);
        return;
      case 'cancelTimer':
        this.cancelTimer(effect.timer);
        return;
      case 'startHeartbeat':
        this.startHeartbeat(effect.id);
        return;
      case 'stopHeartbeat':
        this.stopHeartbeat();
        return;
      case 'flushQueue':
        this.flushQueue();
        return;
      case 'refresh':
        this.runRefresh(effect.record, effect.attempt);
        return;
      case 'abortRefresh':
        this.refreshing?.abort();
        this.refreshing = undefined;
        return;
      case 'emit':
        this.emit(effect.event);
        return;
      case 'resolveOpened': {
        const waiters = this.openedWaiters;
        this.openedWaiters = [];
        for (const waiter of waiters) waiter.resolve(this.openInfo ?? this.openEvent(effect));
        return;
      }
      case 'rejectOpened': {
        const waiters = this.openedWaiters;
        this.openedWaiters = [];
        const phase = this.machine.phase;
        const error =
          effect.status === 'closed'
            ? new ClientClosedError('wait for open')
            : new ClientFailedError(
                phase.status === 'failed' ? (phase.decision.stopReason ?? 'rule') : 'rule',
                effect.record,
              );
        for (const waiter of waiters) waiter.reject(error);
        return;
      }
      case 'finish':
        this.finish(effect.record);
        return;
    }
  }

  private connect(id: number): void {
    this.connection = undefined;
    this.connectionId = id;
    this.connectionError = undefined;
    this.openInfo = undefined;
    this.counts.attempts++;
    let target:
      | { url: string; protocols: string[] }
      | Promise<{ url: string; protocols: string[] }>;
    try {
      target = this.resolveTarget();
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

  /** The URL and protocols of the next attempt: a refresh's, else the options' (called each time). */
  private resolveTarget():
    | { url: string; protocols: string[] }
    | Promise<{ url: string; protocols: string[] }> {
    const urlSource = this.override.url ?? this.options.url;
    const protocolSource = this.override.protocols ?? this.options.protocols;
    const url = typeof urlSource === 'function' ? urlSource() : urlSource;
    const protocols = typeof protocolSource === 'function' ? protocolSource() : protocolSource;
    if (url instanceof Promise || protocols instanceof Promise) {
      return Promise.all([url, protocols]).then(([u, p]) => this.checkTarget(u, p));
    }
    return this.checkTarget(url, protocols);
  }

  private checkTarget(url: unknown, protocols: unknown): { url: string; protocols: string[] } {
    const text = urlText(url);
    if (text === undefined || !isSocketUrl(text)) {
      throw new ClientRuntimeError(
        'url',
        `The url option produced ${text === undefined ? 'no URL' : this.redact(text)}: expected an absolute ws:, wss:, http: or https: URL`,
      );
    }
    const list = protocolList(protocols);
    if (!list)
      throw new ClientRuntimeError(
        'url',
        'The protocols option produced an invalid subprotocol list',
      );
    return { url: text, protocols: list };
  }

  /** The URL could not be resolved: a misconfiguration the app must hear of, and a failed attempt. */
  private attemptFailed(id: number, error: unknown): void {
    if (error instanceof ClientRuntimeError) this.emitter.emit('error', error);
    this.dispatch({ type: 'connectFailed', id, error });
  }

  private dial(id: number, target: { url: string; protocols: string[] }): void {
    const phase = this.machine.phase;
    if (id !== this.connectionId || phase.status !== 'connecting' || phase.id !== id) return;
    this.currentUrl = target.url;
    this.batch(() => {
      try {
        const connection = this.options.transport.connect(target, this.handlers(id));
        if (id === this.connectionId) this.connection = connection;
        else
          this.safely(() => (connection.terminate ? connection.terminate() : connection.close()));
      } catch (error) {
        // Reported on the next tick, so listeners attached right after createClient hear it.
        this.later(() => this.dispatch({ type: 'connectFailed', id, error }));
      }
    });
  }

  private handlers(id: number): TransportHandlers {
    return {
      onOpen: ({ protocol, extensions }) => {
        if (id !== this.connectionId) return;
        this.dispatch({ type: 'opened', id, url: this.currentUrl ?? '', protocol, extensions });
      },
      onMessage: (data) => {
        if (id === this.connectionId) this.received(data);
      },
      onClose: (raw) => {
        if (id !== this.connectionId) return;
        const withError =
          raw.error === undefined && this.connectionError !== undefined
            ? { ...raw, error: this.connectionError }
            : raw;
        this.dispatch({ type: 'transportClosed', id, raw: withError });
      },
      onError: (error) => {
        if (id === this.connectionId) this.connectionError = error;
      },
      onPong: () => {
        if (id === this.connectionId) this.heartbeat?.alive(this.options.clock.now());
      },
    };
  }

  /** Stops listening to a connection and ends it: at once where the transport can. */
  private drop(id: number, code: number, reason: string): void {
    if (id !== this.connectionId) return;
    const connection = this.connection;
    this.connection = undefined;
    this.connectionId = 0;
    if (connection)
      this.safely(() =>
        connection.terminate ? connection.terminate() : connection.close(code, reason),
      );
  }

  private startTimer(timer: TimerName, delayMs: number, id: number): void {
    this.cancelTimer(timer);
    const { clock } = this.options;
    const input: Input =
      timer === 'retry'
        ? { type: 'retryDue' }
        : timer === 'connect'
          ? { type: 'connectTimeout', id }
          : timer === 'close'
            ? { type: 'closeTimeout', id }
            : { type: 'stable', id };
    this.timers.set(
      timer,
      clock.setTimeout(() => {
        this.timers.delete(timer);
        this.dispatch(input);
      }, delayMs),
    );
  }

  private cancelTimer(timer: TimerName): void {
    const handle = this.timers.get(timer);
    if (handle === undefined) return;
    this.options.clock.clearTimeout(handle);
    this.timers.delete(timer);
  }

  private startHeartbeat(id: number): void {
    const settings = this.options.heartbeat;
    const connection = this.connection;
    if (!settings || !connection) return;
    const { message } = settings;
    if (!connection.ping && message === undefined) {
      this.emitter.emit(
        'error',
        new ClientRuntimeError(
          'heartbeat',
          'Heartbeat is on, but the transport has no ping and no heartbeat.message is set: the connection is not checked.',
        ),
      );
      return;
    }
    const ping = connection.ping
      ? () => connection.ping?.()
      : () =>
          connection.send(typeof message === 'function' ? message() : (message as OutboundMessage));
    const { clock } = this.options;
    this.heartbeat = new ConnectionHeartbeat(
      settings,
      clock.now(),
      () => this.safely(ping),
      () => this.dispatch({ type: 'heartbeatTimeout', id }),
    );
    sharedScheduler(clock).add(this.heartbeat);
  }

  private stopHeartbeat(): void {
    if (!this.heartbeat) return;
    sharedScheduler(this.options.clock).delete(this.heartbeat);
    this.heartbeat = undefined;
  }

  private flushQueue(): void {
    const connection = this.connection;
    if (!connection) return;
    for (let data = this.queue.shift(); data !== undefined; data = this.queue.shift()) {
      try {
        connection.send(data);
        this.counts.sent++;
      } catch {
        this.queue.unshift(data); // keeps its place for the next connection
        return;
      }
    }
  }

  private runRefresh(record: CloseRecord, attempt: number): void {
    const hook = this.options.refresh;
    if (!hook) {
      this.dispatch({
        type: 'refreshFailed',
        error: new ClientRuntimeError('refresh', 'no refresh hook'),
      });
      return;
    }
    const controller = new AbortController();
    this.refreshing = controller;
    const settle = (input: Input) => {
      if (this.refreshing !== controller) return; // aborted: the app closed or reconnected meanwhile
      this.refreshing = undefined;
      this.dispatch(input);
    };
    let result: unknown;
    try {
      result = hook({ record, attempt, signal: controller.signal });
    } catch (error) {
      this.later(() => settle({ type: 'refreshFailed', error }));
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        if (this.refreshing === controller && typeof value === 'object' && value !== null) {
          const next = value as { url?: UrlInput; protocols?: Protocols };
          if (next.url !== undefined) this.override.url = next.url;
          if (next.protocols !== undefined) this.override.protocols = next.protocols;
        }
        settle({ type: 'refreshed' });
      },
      (error: unknown) => settle({ type: 'refreshFailed', error }),
    );
  }

  private emit(event: Emitted): void {
    const { emitter } = this;
    switch (event.name) {
      case 'state':
        if (event.from === 'open' && this.openedAt !== undefined) {
          this.counts.uptimeMs += this.options.clock.now() - this.openedAt;
          this.openedAt = undefined;
        }
        emitter.emit('state', { from: event.from, to: event.to });
        return;
      case 'open':
        this.openedAt = this.options.clock.now();
        this.counts.opens++;
        this.awaitingReady = this.options.isReady !== undefined;
        this.openInfo = this.openEvent(event);
        emitter.emit('open', this.openInfo);
        return;
      case 'close':
        this.lastClose = event.record;
        emitter.emit('close', event.record);
        return;
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
        return;
      }
      case 'failed':
        emitter.emit('failed', {
          reason: event.decision.stopReason ?? 'rule',
          record: event.record,
          decision: event.decision,
        });
        return;
      case 'refreshError':
        emitter.emit(
          'error',
          new ClientRuntimeError(
            'refresh',
            'The refresh hook failed; the policy decides again.',
            event.error,
          ),
        );
        return;
    }
  }

  private openEvent(event: {
    url: string;
    protocol: string;
    extensions: string;
    attempt: number;
  }): OpenEvent {
    return Object.freeze({
      url: this.redact(event.url),
      protocol: event.protocol,
      extensions: event.extensions,
      attempt: event.attempt,
    });
  }

  /** The app's close is complete: nothing of the client may be left running. */
  private finish(record: CloseRecord): void {
    for (const timer of [...this.timers.keys()]) this.cancelTimer(timer);
    this.stopHeartbeat();
    this.refreshing?.abort();
    this.refreshing = undefined;
    this.connection = undefined;
    this.connectionId = 0;
    this.removeAbortListener?.();
    this.removeAbortListener = undefined;
    for (const data of this.queue.drain()) this.dropped(data, 'closed');
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const resolve of waiters) resolve(record);
  }

  // ── inbound messages: the hot path ─────────────────────────────────────────────────────────

  private received(data: InboundMessage): void {
    this.counts.received++;
    const { heartbeat } = this;
    if (heartbeat) {
      heartbeat.alive(this.options.clock.now());
      const isPong = this.options.heartbeat?.isPong;
      if (isPong?.(data)) return; // heartbeat traffic, not the app's
    }
    const schema = this.options.messages;
    if (!schema) {
      this.deliver(data as TMessage);
      return;
    }
    let value: unknown = data;
    if (typeof data === 'string') {
      try {
        value = JSON.parse(data);
      } catch (error) {
        this.emitter.emit('invalidMessage', {
          data,
          issues: [{ message: `not JSON: ${String((error as Error).message ?? error)}` }],
        });
        return;
      }
    }
    let result: StandardResult<TMessage> | Promise<StandardResult<TMessage>>;
    try {
      result = schema['~standard'].validate(value);
    } catch (error) {
      this.emitter.emit('invalidMessage', {
        data,
        issues: [{ message: `the schema threw: ${String(error)}` }],
      });
      return;
    }
    if (result instanceof Promise) {
      // An async schema: keep delivery in arrival order.
      const validated = result;
      this.inboundChain = (this.inboundChain ?? Promise.resolve())
        .then(() => validated)
        .then(
          (r) => this.validated(data, r),
          (error: unknown) =>
            this.emitter.emit('invalidMessage', {
              data,
              issues: [{ message: `the schema threw: ${String(error)}` }],
            }),
        );
      return;
    }
    this.validated(data, result);
  }

  private validated(data: InboundMessage, result: StandardResult<TMessage>): void {
    if (result.issues) {
      this.emitter.emit('invalidMessage', { data, issues: result.issues.map(toIssue) });
      return;
    }
    this.deliver(result.value);
  }

  private deliver(message: TMessage): void {
    if (this.awaitingReady) {
      let ready = false;
      try {
        ready = this.options.isReady?.(message) === true;
      } catch (error) {
        this.emitter.emit('error', new ClientRuntimeError('listener', 'isReady threw', error));
      }
      if (ready) {
        this.awaitingReady = false;
        this.cancelTimer('stable');
        const phase = this.machine.phase;
        if (phase.status === 'open') this.dispatch({ type: 'stable', id: phase.id });
      }
    }
    this.emitter.emit('message', message);
  }

  // ── helpers ──────────────────────────────────────────────────────────────────────────────

  private dropped(data: OutboundMessage, reason: 'overflow' | 'closed'): void {
    this.counts.dropped++;
    this.emitter.emit('dropped', { data, reason });
  }

  private redact(url: string): string {
    return this.options.redactUrls ? redactUrl(url) : url;
  }

  /** Runs `work` on the next tick: a reply that must not arrive before listeners can be attached. */
  private later(work: () => void): void {
    Promise.resolve().then(work);
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch {
      // A transport that throws while closing is already gone; the deadlines finish the job.
    }
  }

  private listenerThrew(error: unknown, event: PropertyKey): void {
    if (event !== 'error' && this.emitter.has('error')) {
      this.emitter.emit(
        'error',
        new ClientRuntimeError('listener', `A "${String(event)}" listener threw`, error),
      );
      return;
    }
    // Nobody can hear it here: surface it as an uncaught error, outside the client's state.
    setTimeout(() => {
      throw error;
    }, 0);
  }
}

function toIssue(issue: StandardIssue): MessageIssue {
  const path = issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment));
  return path ? { message: issue.message, path } : { message: issue.message };
}
