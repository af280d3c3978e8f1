/**
 * The abort signals of the messages that wait: one listener per signal, however many messages
 * hold it (one per message made the platform walk them all on each add, and warn of a leak past
 * ten), and aborting it takes them all out in one pass (`withdraw`).
 */
export class WaitingSignals {
  readonly #held = new Map<AbortSignal, { count: number; readonly listener: () => void }>();

  constructor(private readonly withdraw: (signal: AbortSignal) => void) {}

  get size(): number {
    return this.#held.size;
  }

  /** A message with `signal` waits: each `hold` is let go of once, however it stops waiting. */
  hold(signal: AbortSignal): void {
    const held = this.#held.get(signal);
    if (held) {
      held.count++;
      return;
    }
    const listener = () => this.withdraw(signal);
    signal.addEventListener('abort', listener, { once: true });
    this.#held.set(signal, { count: 1, listener });
  }

  letGo(signal: AbortSignal): void {
    const held = this.#held.get(signal);
    if (!held || --held.count > 0) return;
    signal.removeEventListener('abort', held.listener);
    this.#held.delete(signal);
  }

  /** Takes out now the messages whose signal is aborted but whose listener has not run yet. */
  withdrawAborted(): void {
    for (const signal of this.#held.keys()) if (signal.aborted) this.withdraw(signal);
  }
}
