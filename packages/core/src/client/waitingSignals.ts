import { onAbort } from '../abortListeners';
import type { Waiting } from './queue';

/**
 * The abort signals of the messages that wait: one callback per signal, however many messages
 * hold it (one per message made the platform walk them all on each add), and aborting it takes out the messages that hold it, each in constant time (a pass over
 * the queue for each aborted signal was quadratic in a burst).
 */
export class WaitingSignals {
  readonly #held = new Map<AbortSignal, { readonly waiting: Set<Waiting>; readonly release: () => void }>();

  constructor(private readonly withdraw: (waiting: readonly Waiting[]) => void) {}

  get size(): number {
    return this.#held.size;
  }

  /** A message with `signal` waits: each `hold` is let go of once, however it stops waiting. */
  hold(signal: AbortSignal, waiting: Waiting): void {
    let held = this.#held.get(signal);
    if (!held) {
      held = { waiting: new Set(), release: onAbort(signal, () => this.#aborted(signal)) };
      this.#held.set(signal, held);
    }
    held.waiting.add(waiting);
  }

  letGo(signal: AbortSignal, waiting: Waiting): void {
    const held = this.#held.get(signal);
    if (!held?.waiting.delete(waiting) || held.waiting.size > 0) return;
    held.release();
    this.#held.delete(signal);
  }

  #aborted(signal: AbortSignal): void {
    const held = this.#held.get(signal);
    if (held) this.withdraw([...held.waiting]);
  }

  /** Takes out now the messages whose signal is aborted but whose listener has not run yet. */
  withdrawAborted(): void {
    for (const signal of this.#held.keys()) if (signal.aborted) this.#aborted(signal);
  }
}
