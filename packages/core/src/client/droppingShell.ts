import type { DropReason } from '../events/clientEvents';
import type { OutboundMessage, QueuedMessage, Settle } from './queue';
import { ShellState } from './shellState';

/**
 * Telling the app of messages that will not go out (again): the `dropped` event, and the
 * `deliver()` promise of each, in send() order.
 */
export abstract class DroppingShell<TMessage> extends ShellState<TMessage> {
  /**
   * `settle`: the message's `deliver()` promise (its handlers run after the event's listeners,
   * however early it is settled: first, so a listener that throws cannot leave it pending).
   */
  protected dropMessage(data: OutboundMessage, reason: DropReason, settle?: Settle, written?: boolean): void {
    this.tally.droppedCount++;
    settle?.(reason, written);
    this.emitter.emit('dropped', { data, reason });
  }

  /** Takes out what is past its `ttlMs` while the timer is late; told once the section ends. */
  protected expireOverdue(): void {
    const expired = this.takeExpired();
    if (expired.length) this.tell(() => this.dropAll(expired, []));
  }

  /**
   * Tells of messages taken out for good, in send() order: `expired` ones as expired, the rest
   * as aborted (their signal is) or closed.
   */
  protected dropAll(expired: readonly QueuedMessage[], rest: readonly QueuedMessage[]): void {
    const isExpired = new Set(expired); // not a search per message: thousands may expire together
    // Reasons fixed before any is told: a `dropped` listener may abort a later message's signal.
    const told = [...expired, ...rest]
      .sort((a, b) => a.seq - b.seq)
      .map(
        (m) =>
          [
            m.data,
            isExpired.has(m) ? 'expired' : m.signal?.aborted ? 'aborted' : 'closed',
            m.settle,
            m.written,
          ] as const,
      );
    for (const [data, reason, settle, written] of told) this.dropMessage(data, reason, settle, written);
  }

  /** What is past its `ttlMs` while the timer is late, taken out, in send order. */
  protected takeExpired(): QueuedMessage[] {
    return this.expiry?.overdue() ? this.expiry.due() : [];
  }
}
