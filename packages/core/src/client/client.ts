import { isBinary, isBlob, isDetached } from '../binary';
import { assertCloseArguments } from '../close/closeArguments';
import type { CloseRecord } from '../close/closeRecord';
import { ClientClosedError, ClientFailedError, InvalidMessageError } from '../errors';
import type { ClientEvents, InboundMessage, OpenEvent } from '../events/clientEvents';
import type { ClientOptions } from '../options';
import { ClientShell } from './clientShell';
import type { Client, ClientStats, SendResult } from './clientTypes';
import { Expiry } from './expiry';
import { checkListener, type ListenerOptions } from './listenerOptions';
import { Outbox } from './outbox';
import { type OfferResult, type OutboundMessage, OutboundQueue, type QueuedMessage, type WaitLimits } from './queue';
import { checkSendOptions, type SendOptions } from './sendOptions';
import { later } from './shellState';
import type { ClientStatus } from './state';
import { WaitingSignals } from './waitingSignals';

/** Creates a client and, unless `lazy`, starts connecting. Throws `InvalidOptionsError`. */
export function createClient<TMessage = InboundMessage>(options: ClientOptions<TMessage>): Client<TMessage> {
  return new ReconnectingClient(options);
}

/** A waiting message's limits, and how its abort listener is added once it waits. */
type Limits = WaitLimits & { readonly listen?: () => void };

/** How the facade closes as `WebSocket.close()` does (a symbol: no public method). */
const closeWithoutStatus = Symbol('resock.closeWithoutStatus');

/** The facade's close(): `code` undefined sends a close frame without a status (checked by the caller). */
export const closeAsWebSocket = (client: Client, code: number | undefined, reason: string): Promise<CloseRecord> =>
  (client as unknown as ReconnectingClient<unknown>)[closeWithoutStatus](code, reason);

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/** The public surface of a client; the machinery is in `ClientShell`. */
class ReconnectingClient<TMessage> extends ClientShell<TMessage> implements Client<TMessage> {
  /** The signals of waiting messages, each with one abort listener. */
  #signals: WaitingSignals | undefined;

  constructor(options: ClientOptions<TMessage>) {
    super(options);
    // Only now, with every layer's fields and private methods in place: a transport may call
    // back from inside connect() (a loopback opens at once), and a signal may have closed it.
    if (this.options.lazy || this.machine.phase.status !== 'idle') return;
    // What it reports from inside that first connect() is heard a microtask later: the app
    // attaches its listeners right after createClient returns.
    // (Until they are, what it reports next waits behind them.)
    this.early = [];
    this.dispatch({ type: 'start' });
    if (this.early.length === 0) this.early = undefined;
    else
      later(() => {
        // One list to the end: what the transport reports meanwhile joins it, in order.
        const early = this.early ?? [];
        for (let i = 0; i < early.length; i++) early[i]?.();
        this.early = undefined;
      });
  }

  // ── the public surface ──────────────────────────────────────────────────────────────────

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
    // Sent but unacknowledged messages are no longer buffered: they wait for an ack, not a socket.
    return (this.connection?.bufferedAmount ?? 0) + (this.queue?.bytes ?? 0) + (this.outbox?.unsentBytes ?? 0);
  }

  get stats(): ClientStats {
    const openFor = this.openedAt === undefined ? 0 : this.options.clock.now() - this.openedAt;
    return {
      attempts: this.counts.attempts,
      reconnects: Math.max(0, this.counts.opens - 1),
      uptimeMs: this.counts.uptimeMs + openFor,
      messagesSent: this.counts.sent,
      messagesReceived: this.counts.received,
      messagesQueued: this.queue?.length ?? 0,
      messagesUnacked: this.outbox?.length ?? 0,
      messagesDropped: this.counts.dropped,
    };
  }

  send(data: OutboundMessage, options?: SendOptions): SendResult {
    // Options first: reading them runs the app's getters, which may close the client.
    const asked = checkSendOptions(options);
    this.assertNotClosed('send');
    if (typeof data !== 'string' && (isBinary(data) ? isDetached(data) : !isBlob(data)))
      throw new InvalidMessageError(data, isBinary(data));
    // A Blob of a library's, which this transport's WebSocket would send as "[object Blob]".
    if (this.options.transport.accepts?.(data) === false) throw new InvalidMessageError(data, 'foreign');
    if (this.machine.phase.status !== 'idle') return this.sending(() => this.#accept(data, asked));
    try {
      return this.sending(() => this.#accept(data, asked));
    } finally {
      // A lazy client starts on its first send, even one the queue refused.
      this.dispatch({ type: 'start' });
    }
  }

  #accept(data: OutboundMessage, asked: SendOptions | undefined): SendResult {
    const { reliable } = this.options;
    const id = reliable && !asked?.volatile ? reliable.id(data) : undefined;
    // id() is the app's code: it may have closed the client, or aborted this message's signal.
    this.assertNotClosed('send');
    if (asked?.signal?.aborted) return this.#refuse(data, 'aborted');
    // A late expiry timer (a throttled tab): what expired must not take room from this message;
    // nor one whose signal the app aborted, its own abort listener (sending this) before resock's.
    // Only a full store needs that room (else resock's own listener takes them out next): no
    // walk over every waiting signal on each send.
    this.expireOverdue();
    // Nor may a copy replaced under its id leave untold (its hold on the signal let go).
    if (this.#signals?.size && (this.full(id !== undefined, data) || (id !== undefined && this.outbox?.has(id))))
      this.#signals.withdrawAborted();
    // Straight out only when nothing sent earlier still waits (a refused write keeps its place).
    const clear =
      this.machine.phase.status === 'open' &&
      this.connection !== undefined &&
      !this.untrusted &&
      (!this.pending() || this.flushPending());
    if (asked?.volatile) return clear && this.write(data) ? 'sent' : this.#refuse(data, 'volatile');
    const seq = this.seq++;
    const limits = asked && this.#limits(asked);
    let offered: OfferResult;
    let result: SendResult;
    if (id !== undefined) {
      // Into the outbox (until acknowledged) before the socket, so a refused write loses nothing.
      this.outbox ??= new Outbox(this.options.queue);
      // add() throws QueueFullError with overflow 'reject'
      offered = this.outbox.add(id, data, seq, limits);
      result = !offered.accepted ? 'dropped' : clear && this.write(data) ? 'sent' : 'queued';
      if (result === 'sent') this.outbox.markSent(id);
    } else {
      if (clear && this.write(data)) return 'sent';
      this.queue ??= new OutboundQueue(this.options.queue);
      // offer() throws QueueFullError with overflow 'reject'
      offered = this.queue.offer(data, seq, limits);
      result = offered.accepted ? 'queued' : 'dropped';
    }
    // It waits (queued, or for its ack): its limits start to count.
    if (limits && offered.accepted) this.#watch(limits);
    // Only now tell the app what the offer cost: a listener that sends again must find this
    // message already written or waiting in its place.
    if (!offered.accepted) this.dropped(data, 'overflow');
    else for (const evicted of offered.evicted) this.dropped(evicted, 'overflow');
    return result;
  }

  #refuse(data: OutboundMessage, reason: 'aborted' | 'volatile'): SendResult {
    this.dropped(data, reason);
    return 'dropped';
  }

  /**
   * A message's `ttlMs` deadline and abort hook; undefined when it asked for neither. The abort
   * listener is added only once the message waits (`listen`), and let go of when it stops.
   */
  #limits({ ttlMs, signal }: SendOptions): Limits | undefined {
    if (ttlMs === undefined && !signal) return undefined;
    const until = ttlMs === undefined ? undefined : this.options.clock.now() + ttlMs;
    let listening = false;
    return {
      until,
      signal,
      release: () => {
        if (listening && signal) this.#signals?.letGo(signal);
        if (until !== undefined) this.expiry?.left();
      },
      listen: () => {
        if (!signal) return;
        listening = true;
        this.#signals ??= new WaitingSignals((aborted) => this.#withdraw((m) => m.signal === aborted));
        this.#signals.hold(signal);
      },
    };
  }

  #watch({ until, listen }: Limits): void {
    listen?.();
    if (until === undefined) return;
    this.expiry ??= new Expiry(
      this.options.clock,
      this.timers,
      () => [this.queue, this.outbox],
      () => this.dropAll(this.expiry?.due() ?? [], []),
    );
    this.expiry.track(until);
  }

  /** The app aborted waiting messages' signal: they leave the queue (and outbox). */
  #withdraw(mine: (message: QueuedMessage) => boolean): void {
    const gone = [...(this.queue?.remove(mine) ?? []), ...(this.outbox?.remove(mine) ?? [])];
    // Aborted from the app's code inside a send (its reliable.id): told once that send is done.
    if (gone.length) this.tell(() => this.dropAll([], gone));
  }

  close(code = 1000, reason = ''): Promise<CloseRecord> {
    assertCloseArguments(code, reason);
    return this[closeWithoutStatus](code, reason);
  }

  /** `close` with its arguments checked; `code` undefined for a close frame without a status. */
  [closeWithoutStatus](code: number | undefined, reason: string): Promise<CloseRecord> {
    const phase = this.machine.phase;
    if (phase.status === 'closed') return Promise.resolve(phase.record);
    const waiters = this.closeWaiters ?? [];
    this.closeWaiters = waiters;
    const done = new Promise<CloseRecord>((resolve) => waiters.push(resolve));
    // Sends held for a probe's answer: the app is leaving anyway, so they go ahead of its close
    // frame, as without the probe, rather than be dropped with the queue.
    this.trust();
    this.dispatch({ type: 'close', code, reason });
    return done;
  }

  reconnect(): void {
    this.assertNotClosed('reconnect');
    this.dispatch({ type: 'reconnect' });
  }

  open(): void {
    this.assertNotClosed('open');
    this.dispatch({ type: 'start' });
  }

  opened(): Promise<OpenEvent> {
    const phase = this.machine.phase;
    if (phase.status === 'open' && this.openInfo) return Promise.resolve(this.openInfo);
    if (phase.status === 'closed' || phase.status === 'closing') {
      return Promise.reject(new ClientClosedError('wait for open'));
    }
    // Failed, unless a reconnect() from a listener waits its turn (the mailbox): it revives it.
    if (phase.status === 'failed' && !this.asked('reconnect')) {
      return Promise.reject(new ClientFailedError(phase.decision.stopReason ?? 'rule', phase.record));
    }
    const waiters = this.openedWaiters ?? [];
    this.openedWaiters = waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  takeQueued(): OutboundMessage[] {
    // What expired (a late timer) is dropped as such, not handed back; nor one whose signal is
    // aborted (the app's own abort listener ran before resock's). Told in send() order.
    const expired = this.takeExpired();
    const taken = this.queue?.drain() ?? [];
    // Sorted before telling: a `dropped` listener that aborts a signal cannot unhand a message.
    const kept: OutboundMessage[] = [];
    const aborted: typeof taken = [];
    for (const m of taken) m.signal?.aborted ? aborted.push(m) : kept.push(m.data);
    this.dropAll(expired, aborted);
    return kept;
  }

  on<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
    options?: ListenerOptions,
  ): () => void {
    return this.emitter.on(event, listener, checkListener('on', event, listener, options));
  }

  once<E extends keyof ClientEvents<TMessage>>(
    event: E,
    listener: ClientEvents<TMessage>[E],
    options?: ListenerOptions,
  ): () => void {
    return this.emitter.once(event, listener, checkListener('once', event, listener, options));
  }

  off<E extends keyof ClientEvents<TMessage>>(event: E, listener: ClientEvents<TMessage>[E]): void {
    this.emitter.off(event, listener);
  }

  async [asyncDispose](): Promise<void> {
    await this.close();
  }
}
