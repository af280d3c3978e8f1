import { byteSize, fits, type OutboundMessage, type QueuedMessage } from './queue';
import { ShellState } from './shellState';

/**
 * Writing to the current socket: one message, or what waits (the outbox's unsent entries and
 * the queue, in send() order), a refusal keeping its place; and the offline probe's hold on sends.
 */
export abstract class OutboundShell<TMessage> extends ShellState<TMessage> {
  /** The probe's answer is being heard: what it held goes out after it, unless close() lets it go first. */
  protected answering = false;

  /** Ends the wait for a probe's answer: what sends it held go out now, in order. */
  protected trust(): void {
    if (!this.untrusted && !this.answering) return;
    this.untrusted = false;
    this.answering = false;
    this.flushPending();
  }

  /** Whether messages wait: then a new one goes behind them, not straight out. */
  protected pending(): boolean {
    return (this.queue?.length ?? 0) > 0 || (this.outbox?.unsent ?? 0) > 0;
  }

  /** Whether a message finds its store (the outbox when tracked, else the queue) full. */
  protected full(tracked: boolean, data: OutboundMessage): boolean {
    const store = tracked ? this.outbox : this.queue;
    return store !== undefined && !fits(this.options.queue, store.length, store.bytes, byteSize(data));
  }

  /** Writes one message to the socket; false when the socket refuses it. */
  protected write(data: OutboundMessage): boolean {
    const { connection } = this;
    if (!connection) return false;
    try {
      connection.send(data);
      this.counts.sent++;
      // A refusal that passed: the socket carries messages again, so its close is not coming.
      if (this.refusedBy === this.connectionId) {
        this.refusedBy = 0;
        this.dispatch({ type: 'sendAccepted', id: this.connectionId });
      }
      return true;
    } catch {
      this.refused();
      return false;
    }
  }

  /**
   * The socket refused a message: its close has begun (the peer's close frame arrived) or the
   * link is going. The message keeps its place; the reducer gives the close `closeTimeoutMs` to
   * arrive, because undici never delivers it while a server holds the TCP connection open.
   */
  private refused(): void {
    const id = this.connectionId;
    if (id === 0 || this.refusedBy === id) return;
    this.refusedBy = id;
    this.dispatch({ type: 'sendFailed', id });
  }

  /** On open, before anyone hears of it: what the last connections may have swallowed, then the rest. */
  protected flushQueue(): void {
    // Unacknowledged messages first, in the order they were sent: the peer may or may not
    // have them, so they go again (at-least-once).
    this.outbox?.resend();
    this.flushPending();
  }

  /**
   * Sends what waits, in send() order across the queue and the outbox's unsent entries, and stops
   * at the first refusal (the rest keep their places). True when nothing waits any more.
   */
  protected flushPending(): boolean {
    // A flush from inside a write (app code the transport ran: an abort listener that sends)
    // would write the message in flight again: the flush under way writes what waits, in order.
    if (this.#flushing) return false;
    this.#flushing = true;
    try {
      return this.sending(() => this.#flush());
    } finally {
      this.#flushing = false;
    }
  }

  #flushing = false;

  /**
   * Writes a waiting message, in flight meanwhile: app code the write runs (its signal's abort
   * listener, an expiry it notices) must not take it out as dropped, for it is going out.
   */
  #written(store: { inFlight: QueuedMessage | undefined }, message: QueuedMessage): boolean {
    store.inFlight = message;
    try {
      return this.write(message.data);
    } finally {
      store.inFlight = undefined;
    }
  }

  #aborted(data: OutboundMessage | undefined): void {
    if (data !== undefined) this.tell(() => this.dropped(data, 'aborted'));
  }

  #flush(): boolean {
    // A late timer (a throttled tab) must not let an expired message out.
    this.expireOverdue();
    const { queue, outbox } = this;
    const tracked = outbox?.unsent ? outbox.unsentEntries() : undefined;
    for (let entry = tracked?.next().value; ; ) {
      const queued = queue?.peek();
      // A signal aborted already (the app's own abort listener ran first and sent): not written.
      if (entry && outbox && !(queued && queued.seq < entry[1].seq)) {
        const [id, waiting] = entry;
        if (waiting.signal?.aborted) this.#aborted(outbox.ack(id));
        else if (!this.#written(outbox, waiting)) return false;
        // Unless app code run inside the write replaced it under its id: the copy waits its turn.
        else outbox.markSent(id, waiting);
        entry = tracked?.next().value;
      } else if (queue && queued) {
        if (queued.signal?.aborted) this.#aborted(queue.shift());
        else if (!this.#written(queue, queued)) return false;
        else if (queue.peek() === queued) queue.shift();
      } else {
        return true;
      }
    }
  }
}
