import { EventEmitter } from 'eventemitter3';

// biome-ignore lint/suspicious/noExplicitAny: the event map's listeners take any payload
type Listener = (payload: any) => void;

/** Who hears about a listener that threw (keyed by a symbol, so it is no public method). */
export const listenerError = Symbol('resock.listenerError');
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

/**
 * `undo` also run when `signal` aborts; the function returned runs it and lets go of the
 * signal (a long-lived signal must not keep every listener it ever guarded).
 */
function tie(signal: AbortSignal | undefined, undo: () => void): () => void {
  if (!signal) return undo;
  const abort = () => undo();
  signal.addEventListener('abort', abort);
  return () => {
    signal.removeEventListener('abort', abort);
    undo();
  };
}

/**
 * eventemitter3 with a typed event map, where `on` and `once` return their unsubscribe
 * function. A listener that throws cannot corrupt the emitter's owner mid-transition, nor keep
 * the listeners after it from hearing the event: each call is guarded, and the throw goes to
 * the owner.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly emitter = new EventEmitter();
  /** Each once-listener's own functions, by event (see `once`); weak, so none outlives its listener. */
  private onces: WeakMap<Listener, Array<[PropertyKey, Listener]>> | undefined;

  constructor(private readonly owner: ListenerErrorSink) {}

  /**
   * Its unsubscribe takes back the listener's `on` registrations for the event, not its `once`
   * ones. Aborting `signal` does the same; one already aborted registers nothing.
   */
  on<E extends keyof Events>(event: E, listener: Events[E], signal?: AbortSignal): () => void {
    if (signal?.aborted) return noop;
    // Tied first: a signal that throws leaves nothing registered.
    const unsubscribe = tie(signal, () => this.emitter.off(event as string, guard, listener));
    this.emitter.on(event as string, guard, listener);
    return unsubscribe;
  }

  /**
   * A once-listener gets a function of its own: eventemitter3 drops a fired once-entry by its
   * function alone, which would take every other once-listener sharing `guard` with it.
   */
  once<E extends keyof Events>(event: E, listener: Events[E], signal?: AbortSignal): () => void {
    if (signal?.aborted) return noop;
    this.onces ??= new WeakMap();
    const { onces } = this;
    const fire = (payload: unknown) => {
      unsubscribe();
      guard.call(listener, payload);
    };
    // Takes back this registration only: not an on() of the same listener, nor another once().
    const unsubscribe = tie(signal, () => {
      this.emitter.off(event as string, fire);
      this.forget(event, listener, fire);
    });
    onces.set(listener, [...(onces.get(listener) ?? []), [event, fire]]);
    this.emitter.once(event as string, fire);
    return unsubscribe;
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    this.emitter.off(event as string, guard, listener);
    for (const [name, fire] of this.onces?.get(listener) ?? [])
      if (name === event) {
        this.emitter.off(event as string, fire);
        this.forget(event, listener, fire);
      }
  }

  private forget(event: PropertyKey, listener: Listener, fire: Listener): void {
    const left = this.onces?.get(listener)?.filter(([name, f]) => name !== event || f !== fire);
    if (left?.length) this.onces?.set(listener, left);
    else this.onces?.delete(listener);
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
