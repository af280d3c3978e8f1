import { EventEmitter } from 'eventemitter3';

// biome-ignore lint/suspicious/noExplicitAny: the event map's listeners take any payload
type Listener = (payload: any) => void;

/** Who hears about a listener that threw (keyed by a symbol, so it is no public method). */
export const listenerError = Symbol('resock.listenerError');
export interface ListenerErrorSink {
  [listenerError](error: unknown, event: PropertyKey): void;
}

/**
 * eventemitter3 with a typed event map, where `on` and `once` return their unsubscribe
 * function. A listener that throws cannot corrupt the emitter's owner mid-transition, nor keep
 * the listeners after it from hearing the event: each call is guarded, and the throw goes to
 * the owner. The guard is one function per event, registered with the app's listener as its
 * eventemitter3 context, so no wrapper is kept per listener and `off` still finds it.
 */
export class TypedEmitter<Events extends { [K in keyof Events]: Listener }> {
  private readonly emitter = new EventEmitter();
  private guards: Partial<Record<PropertyKey, Listener>> | undefined;

  constructor(private readonly owner: ListenerErrorSink) {}

  on<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    this.emitter.on(event as string, this.guard(event), listener);
    return () => this.off(event, listener);
  }

  once<E extends keyof Events>(event: E, listener: Events[E]): () => void {
    this.emitter.once(event as string, this.guard(event), listener);
    return () => this.off(event, listener);
  }

  off<E extends keyof Events>(event: E, listener: Events[E]): void {
    const guard = this.guards?.[event];
    if (guard) this.emitter.off(event as string, guard, listener);
  }

  /** Whether anyone listens: lets hot paths skip building a payload nobody reads. */
  has(event: keyof Events): boolean {
    return this.emitter.listenerCount(event as string) > 0;
  }

  /** Every event carries one payload: no argument list to spread on the hot path (messages). */
  emit<E extends keyof Events>(event: E, payload: Parameters<Events[E]>[0]): void {
    this.emitter.emit(event as string, payload);
  }

  /** Calls the listener it is given as `this`; a throw goes to the owner. */
  private guard(event: PropertyKey): Listener {
    this.guards ??= {};
    let guard = this.guards[event];
    if (!guard) {
      const { owner } = this;
      guard = function (this: Listener, payload: unknown) {
        try {
          this(payload);
        } catch (error) {
          owner[listenerError](error, event);
        }
      };
      this.guards[event] = guard;
    }
    return guard;
  }
}
