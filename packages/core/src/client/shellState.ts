import { onAbort } from '../abortListeners';
import type { CloseRecord } from '../close/closeRecord';
import { ClientClosedError, ClientRuntimeError, InvalidOptionsError, type ResockError } from '../errors';
import type { ClientEvents, InboundMessage, OpenEvent } from '../events/clientEvents';
import { listenerError, TypedEmitter } from '../events/typedEmitter';
import type { ClientOptions, Protocols, ResolvedOptions, UrlInput } from '../options';
import { resolveOptions } from '../resolveOptions';
import type { TransportConnection } from '../transport';
import type { Expiry } from './expiry';
import type { ConnectionHeartbeat } from './heartbeat';
import { InboundPipeline, type InboundSinks } from './inbound';
import { NamedTimers } from './namedTimers';
import type { Outbox } from './outbox';
import { failedEvent, reconnectingEvent } from './publicEvents';
import type { OutboundQueue } from './queue';
import { redactUrl, redactUrlsIn } from './redactUrl';
import { SendingSections } from './sendingSections';
import { initialMachine, type Machine } from './state';
import type { Emitted, Input, TimerName } from './transition';

/**
 * The bottom of the client's class chain: everything a client holds, its construction, and how
 * it tells the app what happened. Every field is declared here, with its initial value, because
 * the constructor may already dispatch (a signal aborted already closes the client) before a
 * subclass's own fields would be set; the first connection starts only once every layer is
 * built (`ReconnectingClient`'s constructor).
 * Those the constructor sets before anything else are only `declare`d: no field definition is
 * emitted for them, and every client still gets its fields in the same order.
 * Below it: `SendingSections`. Above it: `OutboundShell` (writing), `GreetingShell` (what a
 * connection says first), `InboundShell` (what it brings in), `ConnectionShell` (dialing it and
 * its callbacks), `ClientShell` (the reducer and its effects), `AcceptShell` (send()'s side),
 * `ReconnectingClient` (the public surface).
 * No class in the chain has a `#method`: in V8 each class with one gives every instance a field
 * (the brand its calls check), 8 B a class on every client; their methods are `private` instead.
 */
export abstract class ShellState<TMessage> extends SendingSections {
  /** The app's close; the abort signal ends the client through it. */
  abstract close(code?: number, reason?: string): Promise<CloseRecord>;

  protected machine: Machine = initialMachine;
  declare protected readonly resolvedOptions: ResolvedOptions<TMessage>;
  declare protected readonly emitter: TypedEmitter<ClientEvents<TMessage>>;
  // Created when first needed: an idle client holds as little as possible (memory bench).
  protected queue: OutboundQueue | undefined;
  protected outbox: Outbox | undefined;
  declare protected readonly inbound: InboundPipeline<TMessage> | undefined;
  /** The reducer's timers, and the refresh hook's deadline (the shell's own). */
  declare protected readonly timers: NamedTimers<TimerName | 'refresh' | 'expire' | 'turn'>;
  /** The last attempt failed before it dialled: the next dials after a 0 ms timer. */
  declare protected failedEarly: true | undefined;
  /** While createClient runs: what the transport reports from inside the first connect(). */
  declare protected early: Array<() => void> | undefined;
  /** Messages that came with their connection's open, until they are heard (after it). */
  declare protected beforeOpen: InboundMessage[] | undefined;
  /** The `ttlMs` deadlines of waiting messages; made for the first message that has one. */
  declare protected expiry: Expiry | undefined;
  protected mailbox: Input[] | undefined;
  protected running = false;
  /** The next message's place in send order, shared by the queue and the outbox. */
  protected seq = 0;

  /** The live connection; callbacks carrying any other id are ignored. */
  protected connection: TransportConnection | undefined;
  protected connectionId = 0;
  protected connectionError: unknown;
  /** The attempt's signal (AttemptContext), until it dials or is given up. */
  protected attemptAbort: AbortController | undefined;
  /**
   * A probe is out (the device went offline, or the page was shown with a check owed): sends
   * wait in the queue until the peer answers, rather than go into a socket that may be dead
   * (then they go on the next one).
   */
  protected untrusted = false;
  /** The connection whose socket refused a message (its close has begun); reported once. */
  protected refusedBy = 0;
  protected liveHeartbeat: ConnectionHeartbeat | undefined;
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
  /**
   * `reconnects`: opens but the first and those after an idle close (fresh starts); `heard`:
   * messages (and invalid ones) handed to the app, and acks (the idle check's traffic, with
   * `sentCount`).
   */
  protected readonly tally = {
    attempts: 0,
    reconnects: 0,
    sentCount: 0,
    receivedCount: 0,
    droppedCount: 0,
    uptimeMs: 0,
    heard: 0,
  };
  /** The next open is a fresh start (the first, or the first after an idle close), not a reconnect. */
  #fresh = true;
  protected openedAt: number | undefined;
  lastClose: CloseRecord | undefined;

  // Getters, not fields: a field per client for what every client of one setting shares.
  /** For a URL, unless `redactUrls: false`. */
  protected get redact(): (url: string) => string {
    return this.resolvedOptions.redactUrls ? redactUrl : unchanged;
  }
  /** For free text that may quote a URL (a platform's error message), unless `redactUrls: false`. */
  protected get redactText(): (text: string) => string {
    return this.resolvedOptions.redactUrls ? redactUrlsIn : unchanged;
  }

  constructor(input: ClientOptions<TMessage>) {
    super();
    const o = resolveOptions(input);
    this.resolvedOptions = o;
    this.timers = new NamedTimers(o.clock);
    this.emitter = new TypedEmitter(this);
    // Only a schema or an isReady needs the pipeline; otherwise a message goes straight out.
    this.inbound =
      o.messages || o.isReady ? new InboundPipeline(o.messages, o.isReady, this.inboundSinks(), o.clock) : undefined;
    const { signal } = o;
    if (signal?.aborted) {
      this.dispatch({ type: 'close', code: 1000, reason: '' });
      return;
    }
    try {
      this.listenToEnvironment();
    } catch (error) {
      // The app's own environment failed at the call that made the client: a typed error there,
      // and nothing left behind (no abort listener yet).
      throw new InvalidOptionsError([{ path: 'environment', message: `subscribe threw (${String(error)})` }]);
    }
    if (signal) {
      this.removeAbortListener = onAbort(signal, () => void this.close());
    }
  }

  /**
   * The page's events (online, visibility, pagehide). Let go of while the client has failed —
   * nothing there needs them, and a page that makes a new client after each failure must not
   * keep the old ones alive through its listeners — and taken up again when it leaves `failed`.
   */
  protected listenToEnvironment(): void {
    const { environment } = this.resolvedOptions;
    if (environment && !this.removeEnvironmentListener) {
      const remove = environment.subscribe((change) => {
        if (change !== 'offline' || !this.dialsHere()) this.dispatch({ type: 'environment', change });
      });
      // Only a function can be called later to let go; anything else would throw then.
      this.removeEnvironmentListener = typeof remove === 'function' ? remove : () => {};
    }
  }

  /** Back from `failed`: a custom environment that throws now must not cut the step short. */
  private listenAgain(): void {
    try {
      this.listenToEnvironment();
    } catch (error) {
      this.emitter.emit('error', new ClientRuntimeError('listener', 'environment.subscribe threw', error));
    }
  }

  /** A custom environment whose remover throws must not cut a close or a stop short either. */
  protected stopListeningToEnvironment(): void {
    const remove = this.removeEnvironmentListener;
    this.removeEnvironmentListener = undefined;
    try {
      remove?.();
    } catch (error) {
      this.emitter.emit('error', new ClientRuntimeError('listener', 'environment unsubscribe threw', error));
    }
  }

  /**
   * A custom environment's online() or visible(), read for every step: one that throws counts
   * as true (as no environment) and is reported — it threw out of reconnect(), and into a
   * transport's close callback, which left the client open on a closed socket for good.
   */
  protected pageSays(what: 'online' | 'visible'): boolean {
    const { environment } = this.resolvedOptions;
    try {
      return environment ? environment[what]() || (what === 'online' && this.dialsHere()) : true;
    } catch (error) {
      this.emitter.emit('error', new ClientRuntimeError('listener', `environment.${what} threw`, error));
      return true;
    }
  }

  /** The client dials this machine, whatever the network (ConnectionShell). */
  protected abstract dialsHere(): boolean;
  /** Feeds the reducer (ClientShell). */
  protected abstract dispatch(input: Input): void;
  /** Where the inbound pipeline's results go (InboundShell). */
  protected abstract inboundSinks(): InboundSinks<TMessage>;

  // ── telling the app ─────────────────────────────────────────────────────────────────────

  /** An input of this type waits in the mailbox: a listener of the step under way asked for it. */
  protected asked(type: Input['type']): boolean {
    return this.mailbox?.some((next) => next.type === type) === true;
  }

  /** The app asked (from a listener, inside this step) to close or disconnect: dial nothing, refresh nothing. */
  protected leaving(): boolean {
    return this.asked('close') || this.asked('disconnect');
  }

  protected emit(event: Emitted): void {
    const { emitter } = this;
    switch (event.name) {
      case 'state':
        if (event.from === 'open' && this.openedAt !== undefined) {
          this.tally.uptimeMs += this.resolvedOptions.clock.now() - this.openedAt;
          this.openedAt = undefined;
        }
        // A failed client runs nothing (a Node process may exit): no validation deadline either.
        this.inbound?.hold(event.to === 'failed');
        if (event.to === 'idle' || event.to === 'disconnected') this.#fresh = true;
        if (event.to === 'failed') this.stopListeningToEnvironment();
        else if (event.from === 'failed' && event.to !== 'closed') this.listenAgain();
        emitter.emit('state', { from: event.from, to: event.to });
        break;
      case 'open':
        this.openedAt = this.resolvedOptions.clock.now();
        if (this.#fresh) this.#fresh = false;
        else this.tally.reconnects++;
        this.inbound?.connectionOpened();
        this.openInfo = Object.freeze({
          url: this.redact(event.url),
          protocol: event.protocol,
          extensions: event.extensions,
          attempt: event.attempt,
        });
        emitter.emit('open', this.openInfo);
        break;
      case 'close':
        this.lastClose = event.record;
        emitter.emit('close', event.record);
        break;
      case 'reconnecting':
        emitter.emit('reconnecting', reconnectingEvent(event));
        break;
      case 'failed':
        emitter.emit('failed', failedEvent(event));
        break;
      case 'refreshError':
        emitter.emit(
          'error',
          new ClientRuntimeError('refresh', 'The refresh hook failed; the credentials are as they were.', event.error),
        );
        break;
      case 'policyError':
        emitter.emit(
          'error',
          new ClientRuntimeError('policy', `The when of rule ${event.rule} failed: no match`, event.error),
        );
        break;
    }
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
}

const unchanged = (text: string) => text;

/** Runs `work` on the next tick. */
export function later(work: () => void): void {
  Promise.resolve().then(work);
}
