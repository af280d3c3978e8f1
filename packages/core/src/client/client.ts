import { onAbort } from '../abortListeners';
import { assertCloseArguments } from '../close/closeArguments';
import type { CloseRecord } from '../close/closeRecord';
import {
  ClientClosedError,
  ClientFailedError,
  isClientClosedError,
  isQueueFullError,
  MessageDroppedError,
  type ResockError,
} from '../errors';
import type { ClientEvents, InboundMessage, OpenEvent } from '../events/clientEvents';
import type { ClientOptions, WithoutSchema, WithSchema } from '../options';
import { AcceptShell } from './acceptShell';
import { heldFor } from './attempts';
import type { Client, ClientStats, Delivered, OpenedOptions, SendResult, WaitingFor } from './clientTypes';
import { checkListener, type ListenerOptions, signalOption } from './listenerOptions';
import { type OutboundMessage, resolves, type Settle } from './queue';
import { checkSendOptions, type SendOptions } from './sendOptions';
import { later } from './shellState';
import type { ClientStatus } from './state';

/**
 * Creates a client and, unless `lazy`, starts connecting. Throws `InvalidOptionsError`. Its
 * messages are what the `messages` schema outputs, or without one raw (`InboundMessage`): never a
 * type only the caller expects (`const c: Client<Tick> = createClient({ url })` is a type error,
 * as is a `() => Client<Tick>` that returns one; a type given outright, `createClient<Tick>(…)`,
 * is the caller's word).
 */
export function createClient<TMessage = InboundMessage>(
  options: WithSchema<ClientOptions<TMessage>, TMessage>,
): Client<TMessage>;
export function createClient(options: WithoutSchema<ClientOptions>): Client;
export function createClient<TMessage = InboundMessage>(options: ClientOptions<TMessage>): Client<NoInfer<TMessage>>;
export function createClient<TMessage>(options: ClientOptions<TMessage>): Client<TMessage> {
  return new ReconnectingClient(options);
}

/** How the facade closes as `WebSocket.close()` does (a symbol: no public method). */
const closeWithoutStatus = Symbol();

/** The facade's close(): `code` undefined sends a close frame without a status (checked by the caller). */
export const closeAsWebSocket = (
  client: Client<unknown>,
  code: number | undefined,
  reason: string,
): Promise<CloseRecord> => (client as unknown as ReconnectingClient<unknown>)[closeWithoutStatus](code, reason);

/** The URL connected to, unredacted (a symbol: no public property), for the facade's message origin. */
const unredactedUrl = Symbol();

/** Where the client connects, as given: its origin is no secret (scheme, host and port). */
export const socketUrlOf = (client: Client<unknown>): string | undefined =>
  (client as unknown as ReconnectingClient<unknown>)[unredactedUrl];

/** How send() checks a message (a symbol: no public method), for the facade's discarded sends. */
const checkMessage = Symbol();

/** Throws the `InvalidMessageError` send() would for `data` on this client's transport. */
export const assertMessageFor = (client: Client<unknown>, data: unknown): void =>
  (client as unknown as ReconnectingClient<unknown>)[checkMessage](data);

const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose');

/** The public surface of a client; the machinery is in `AcceptShell` and below. */
class ReconnectingClient<TMessage> extends AcceptShell<TMessage> implements Client<TMessage> {
  constructor(options: ClientOptions<TMessage>) {
    super(options);
    // Only now, with every layer's fields and private methods in place: a transport may call
    // back from inside connect() (a loopback opens at once), and a signal may have closed it.
    if (this.resolvedOptions.lazy || this.machine.phase.status !== 'idle') return;
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

  get waitingFor(): WaitingFor | undefined {
    const { phase } = this.machine;
    if (phase.status !== 'waiting') return undefined;
    return phase.hold === 'suspended' ? 'pageshow' : heldFor(this.env(), phase.record);
  }

  get url(): string | undefined {
    return this.currentUrl === undefined ? undefined : this.redact(this.currentUrl);
  }

  get [unredactedUrl](): string | undefined {
    return this.currentUrl;
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
    const openFor = this.openedAt === undefined ? 0 : this.resolvedOptions.clock.now() - this.openedAt;
    return {
      attempts: this.tally.attempts,
      reconnects: this.tally.reconnects,
      uptimeMs: this.tally.uptimeMs + openFor,
      messagesSent: this.tally.sentCount,
      messagesReceived: this.tally.receivedCount,
      messagesQueued: this.queue?.length ?? 0,
      messagesUnacked: this.outbox?.length ?? 0,
      messagesDropped: this.tally.droppedCount,
    };
  }

  send(data: OutboundMessage, options?: SendOptions): SendResult {
    return this.submit(data, options, undefined);
  }

  deliver(data: OutboundMessage, options?: SendOptions): Promise<Delivered> {
    let settle: Settle = () => undefined;
    const delivered = new Promise<Delivered>((resolve, reject) => {
      settle = (fate, written = false, cause) =>
        resolves(fate) ? resolve(fate) : reject(new MessageDroppedError(fate, data, written, cause));
    });
    try {
      this.submit(data, options, settle);
    } catch (error) {
      // Bad input throws here, as from send() (a promise never settled: no unhandled rejection);
      // what the client's state refuses (closed, a full queue under 'reject') is the promise's.
      if (isQueueFullError(error)) settle('overflow', false, error);
      else if (isClientClosedError(error)) {
        this.assertMessage(data); // bad input is thrown on a closed client too
        settle('closed', false, error);
      } else throw error;
    }
    return delivered;
  }

  private submit(data: OutboundMessage, options: SendOptions | undefined, settle: Settle | undefined): SendResult {
    // Options first: reading them runs the app's getters, which may close the client.
    const asked = checkSendOptions(options);
    this.assertNotClosed('send');
    this.assertMessage(data);
    if (this.machine.phase.status !== 'idle') return this.sending(() => this.acceptSend(data, asked, settle));
    try {
      return this.sending(() => this.acceptSend(data, asked, settle));
    } finally {
      // A lazy client starts on its first send, even one the queue refused.
      this.dispatch({ type: 'start' });
    }
  }

  /** The facade's way to send()'s check (assertMessage is protected). */
  [checkMessage](data: unknown): void {
    this.assertMessage(data);
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
    this.dispatch({ type: 'start', asked: true });
  }

  disconnect(): void {
    this.assertNotClosed('disconnect');
    this.dispatch({ type: 'disconnect' });
  }

  opened(options?: OpenedOptions): Promise<OpenEvent> {
    const signal = signalOption('opened', options);
    // Aborted: the wait is given up (the client goes on), as fetch() gives up on its signal.
    if (signal?.aborted) return Promise.reject(signal.reason);
    const phase = this.machine.phase;
    if (phase.status === 'open' && this.openInfo) return Promise.resolve(this.openInfo);
    if (phase.status === 'closed' || phase.status === 'closing') {
      return Promise.reject(new ClientClosedError('wait for open'));
    }
    // Failed, unless a reconnect() from a listener waits its turn (the mailbox): it revives it.
    if (phase.status === 'failed' && !this.asked('reconnect') && !this.asked('disconnect')) {
      return Promise.reject(new ClientFailedError(phase.decision.stopReason ?? 'rule', phase.record));
    }
    const waiters = this.openedWaiters ?? [];
    this.openedWaiters = waiters;
    const open = new Promise<OpenEvent>((resolve, reject) => {
      if (!signal) return void waiters.push({ resolve, reject });
      const abort = () => {
        // Out of the list it is in now (taken waiters are settled already: settling is a no-op).
        const at = this.openedWaiters?.indexOf(waiter) ?? -1;
        if (at >= 0) this.openedWaiters?.splice(at, 1);
        reject(signal.reason);
      };
      let done = () => {};
      const waiter = {
        resolve: (event: OpenEvent) => {
          done();
          resolve(event);
        },
        reject: (error: ResockError) => {
          done();
          reject(error);
        },
      };
      done = onAbort(signal, abort);
      waiters.push(waiter);
    });
    // Waiting for the open is asking for it: a lazy client not started yet starts (as on its
    // first send), or `await client.opened()` would wait for ever.
    if (phase.status === 'idle') this.dispatch({ type: 'start' });
    return open;
  }

  takeQueued(): OutboundMessage[] {
    // What expired (a late timer) is dropped as such, not handed back; nor one whose signal is
    // aborted (the app's own abort listener ran before resock's). Told in send() order.
    const expired = this.takeExpired();
    const taken = this.queue?.drain() ?? [];
    // Sorted before telling: a `dropped` listener that aborts a signal cannot unhand a message.
    const kept: OutboundMessage[] = [];
    const aborted: typeof taken = [];
    for (const m of taken) {
      if (m.signal?.aborted) aborted.push(m);
      else {
        kept.push(m.data);
        m.settle?.('taken');
      }
    }
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
    // Checked as on()'s: without a listener eventemitter3 would take back every listener of the
    // event, the facade's own among them (its onmessage never heard again).
    checkListener('off', event, listener, undefined);
    this.emitter.off(event, listener);
  }

  async [asyncDispose](): Promise<void> {
    await this.close();
  }
}
