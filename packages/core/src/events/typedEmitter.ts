import { EventEmitter } from 'eventemitter3';
import { onAbort } from '../abortListeners';

// biome-ignore lint/suspicious/noExplicitAny: the event map's listeners take any payload
type Listener = (payload: any) => void;

/** Who hears about a listener that threw (keyed by a symbol, so it is no public method). */
export const listenerError = Symbol();
export interface ListenerErrorSink {
  [listenerError](error: unknown, event: PropertyKey): void;
}

// Who is emitting what, for `guard`: emits are synchronous and may nest, so `emit` saves and
// restores them (two variables, not an object: no allocation per message).
let emittingOwner: ListenerErrorSink | undefined;
let emittingEvent: PropertyKey = '';

/**
 * The one function registered with eventemitter3 for every listener, which it gets as its
 * context: it calls the listener, and hands a throw to the emitting owner. Shared by all
 * emitters, so a listener costs no wrapper (measured in the memory benchmark), and `off` still
 * finds it by the (guard, listener) pair.
 */
function guard(this: Listener, payload: unknown): void {
  try {
    this(payload);
  } catch (error) {
    emittingOwner?.[listenerError](error, emittingEvent);
  }
}

const noop = (): void => {};

/** A registration with a function of its own (see `own`): its event, and how it is taken back. */
interface Owned {
  readonly event: PropertyKey;
  readonly end: () => void;
}

/**
 * eventemitter3 with a typed event map, where `on` and `once` return their unsubscribe
 * function. A listener that throws cannot corrupt the emitter's owner mid-transition, nor keep
 * the listeners after it from hearing the event: each call is guarded, and the throw goes to
 * the owner.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly emitter = new EventEmitter();
  /** The registrations with a function of their own, by listener; weak, so none outlives its listener. */
  private owned: WeakMap<Listener, Owned[]> | undefined;
  /** How each registration with a signal lets go of it, until it ends. */
  private signalled: Set<() => void> | undefined;

  constructor(private readonly owner: ListenerErrorSink) {}

  /**
   * Without a signal, its unsubscribe takes back the listener's plain `on` registrations for the
   * event (once: a stale one run again takes back nothing later), not its `once` or signal ones.
   * With `signal`, see `own`.
   */
  on<E extends keyof Events>(event: E, listener: Events[E], signal?: AbortSignal): () => void {
    if (signal) return this.own(event, listener, signal, false);
    this.emitter.on(event as string, guard, listener);
    let done = false;
    return () => {
      if (!done) this.emitter.off(event as string, guard, listener);
      done = true;
    };
  }

  once<E extends keyof Events>(event: E, listener: Events[E], signal?: AbortSignal): () => void {
    return this.own(event, listener, signal, true);
  }

  /** Takes back every registration of the listener for the event, letting go of their signals. */
  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.emitter.off(event as string, guard, listener);
    for (const owned of this.owned?.get(listener) ?? []) if (owned.event === event) owned.end();
  }

  /**
   * A registration taken back by itself alone: a once-listener (eventemitter3 drops a fired
   * once-entry by its function, which would take every other one sharing `guard`), or one with
   * a signal. As addEventListener's `signal`: one already aborted registers nothing, aborting
   * takes back this registration only, and one taken back during an event (by its signal, by
   * off() or by its unsubscribe) does not hear the rest of it. Its end lets go of the signal: a
   * long-lived signal must not keep every listener it ever guarded.
   */
  private own(event: PropertyKey, listener: Listener, signal: AbortSignal | undefined, once: boolean): () => void {
    if (signal?.aborted) return noop;
    let live = true;
    const fire = (payload: unknown) => {
      if (!live) return;
      if (once) end();
      guard.call(listener, payload);
    };
    const end = () => {
      if (!live) return;
      live = false;
      if (release) {
        release();
        this.signalled?.delete(release);
      }
      this.emitter.off(event as string, fire);
      const left = this.owned?.get(listener)?.filter((owned) => owned !== entry);
      if (left?.length) this.owned?.set(listener, left);
      else this.owned?.delete(listener);
    };
    const entry: Owned = { event, end };
    // First: a signal that throws leaves nothing registered.
    const release = signal && onAbort(signal, end);
    if (release) {
      this.signalled ??= new Set();
      this.signalled.add(release);
    }
    this.owned ??= new WeakMap();
    this.owned.set(listener, [...(this.owned.get(listener) ?? []), entry]);
    this.emitter.on(event as string, fire);
    return end;
  }

  /**
   * The owner is done for good (a closed client): its registrations let go of their signals, so
   * a long-lived one (a worker's shutdown) does not keep every client closed since. They stay
   * registered; nothing is emitted to them any more.
   */
  letGoOfSignals(): void {
    for (const release of this.signalled ?? []) release();
    this.signalled = undefined;
  }

  /** Whether anyone listens: lets hot paths skip building a payload nobody reads. */
  has(event: keyof Events): boolean {
    return this.emitter.listenerCount(event as string) > 0;
  }

  /** Every event carries one payload: no argument list to spread on the hot path (messages). */
  emit<E extends keyof Events>(event: E, payload: Parameters<Events[E]>[0]): void {
    const outerOwner = emittingOwner;
    const outerEvent = emittingEvent;
    emittingOwner = this.owner;
    emittingEvent = event;
    // No try/finally: every listener runs inside `guard`, so nothing can throw out of here.
    this.emitter.emit(event as string, payload);
    emittingOwner = outerOwner;
    emittingEvent = outerEvent;
  }
}
