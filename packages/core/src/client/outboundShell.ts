import { isBinary, isMessage } from '../binary';
import { InvalidMessageError } from '../errors';
import { DroppingShell } from './droppingShell';
import { countOf, grew, progressOf } from './heartbeat';
import { IDLE_LOOKS, idleLookMs } from './machineTypes';
import type { MessageId, Outbox, OutboxEntry } from './outbox';
import { byteSize, fits, type OutboundMessage, type QueuedMessage } from './queue';

/**
 * Bytes the link may move between two idle looks in the heartbeat's traffic (control frames of
 * ≤ 127 B, either side's, or a small app-level ping and its pong): more is a message arriving.
 */
const CONTROL_FRAME_BYTES = 4096;

/**
 * Writing to the current socket: one message, or what waits (the outbox's unsent entries and
 * the queue, in send() order), a refusal keeping its place; the probes' hold on sends; and the idle check.
 */
export abstract class OutboundShell<TMessage> extends DroppingShell<TMessage> {
  /** The probe's answer is being heard: what it held goes out after it, unless close() lets it go first. */
  protected answering = false;

  /** Ends the wait for a probe's answer: what sends it held go out now, in order. */
  protected trust(): void {
    if (!this.untrusted && !this.answering) return;
    this.untrusted = false;
    this.answering = false;
    this.flushPending();
  }

  /** Throws send()'s `InvalidMessageError`: no message, or one this transport's WebSocket would send as text. */
  protected assertMessage(data: unknown): void {
    if (!isMessage(data)) throw new InvalidMessageError(data, isBinary(data));
    // A Blob of a library's, which this transport's WebSocket would send as "[object Blob]".
    if (this.resolvedOptions.transport.accepts?.(data) === false) throw new InvalidMessageError(data, 'foreign');
  }

  /** Whether messages wait: then a new one goes behind them, not straight out. */
  protected hasPending(): boolean {
    return (this.queue?.length ?? 0) > 0 || (this.outbox?.unsent ?? 0) > 0;
  }

  /** Whether a message finds its store (the outbox when tracked, else the queue) full. */
  protected storeFull(tracked: boolean, data: OutboundMessage): boolean {
    const store = tracked ? this.outbox : this.queue;
    return store !== undefined && !fits(this.resolvedOptions.queue, store.length, store.bytes, byteSize(data));
  }

  /** Writes one message to the socket; false when the socket refuses it. */
  protected writeOut(data: OutboundMessage): boolean {
    const { connection } = this;
    if (!connection) return false;
    try {
      connection.send(data);
      this.tally.sentCount++;
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
   * Whether a message may be written now: the client is open and trusts its socket (the one a
   * flush began with: app code a write runs may close the client or let the socket go).
   */
  protected writable(connection = this.connection): boolean {
    return (
      this.machine.phase.status === 'open' &&
      connection !== undefined &&
      connection === this.connection &&
      !this.untrusted
    );
  }

  /**
   * Sends what waits, in send() order across the queue and the outbox's unsent entries, up to the
   * message numbered `before` (a send() in progress), and stops at the first refusal (the rest
   * keep their places). True when nothing waits before it any more.
   */
  protected flushPending(before = Number.POSITIVE_INFINITY): boolean {
    // A flush from inside a write (app code the transport ran: an abort listener that sends)
    // would write the message in flight again: the flush under way writes what waits, in order.
    if (this.#flushing) return false;
    // Done before what the section held is told: a listener's send may go straight out then.
    return this.sending(() => {
      this.#flushing = true;
      try {
        return this.flush(before);
      } finally {
        this.#flushing = false;
      }
    });
  }

  /** A write is under way: a send from app code it runs waits its turn behind it. */
  #flushing = false;

  /** Whether a message may go straight out: writable, and no write under way it would overtake. */
  protected clearToWrite(): boolean {
    return !this.#flushing && this.writable();
  }

  /**
   * Writes a message straight out (nothing waits before it); when it waits for its ack (`id`),
   * in flight meanwhile. What app code the write runs sends meanwhile goes out next.
   */
  protected writeNow(data: OutboundMessage, id?: MessageId): boolean {
    const { outbox } = this;
    const entry = id === undefined ? undefined : outbox?.entry(id);
    this.#flushing = true;
    let sent = false;
    try {
      sent = entry ? this.writeInFlight(outbox as Outbox, entry) : this.writeOut(data);
      if (entry) this.wrote(outbox as Outbox, id as MessageId, entry, sent);
    } finally {
      this.#flushing = false;
    }
    if (sent && this.hasPending()) this.flushPending();
    return sent;
  }

  /**
   * Writes a waiting message, in flight meanwhile: app code the write runs (its signal's abort
   * listener, an expiry it notices) must not take it out as dropped, for it is going out.
   */
  private writeInFlight(store: { inFlight: QueuedMessage | undefined }, message: QueuedMessage): boolean {
    store.inFlight = message;
    try {
      return this.writeOut(message.data);
    } finally {
      store.inFlight = undefined;
    }
  }

  /**
   * An outbox entry went out: it waits for its ack, unless app code its write ran aborted its
   * signal or closed the client (which could not take it out while in flight). A copy that
   * replaced it under its id stays unsent.
   */
  private wrote(outbox: Outbox, id: MessageId, entry: OutboxEntry, sent: boolean): void {
    if (outbox.entry(id) !== entry) return;
    const closed = this.closedForGood();
    // Refused, it keeps its place; gone with the client otherwise.
    if (!closed && !(sent && entry.signal?.aborted)) {
      if (sent) outbox.markSent(id);
      return;
    }
    outbox.ack(id);
    this.tell(() => this.dropMessage(entry.data, closed ? 'closed' : 'aborted', entry.settle, sent || entry.written));
  }

  /**
   * The idle timer's callback for connection `id`, after `looks` quiet looks in a row: a look
   * is quiet when nothing crossed since the last — no message either way (heartbeat traffic
   * aside), no bytes still leaving (`bufferedAmount`) nor arriving (`progress` past what
   * control frames can account for: a large message on its way) — and nothing waits: queued,
   * unacknowledged, held for a probe's answer, being validated, or refused by a socket whose
   * close may be coming. A quiet look arms the next itself (its count in the closure, not on
   * every client); IDLE_LOOKS in a row, or a busy one, go to the reducer.
   */
  protected idleCheck(id: number, looks = 0): () => void {
    const { connection, tally: counts } = this;
    const moved = counts.sentCount + counts.heard;
    const before = progressOf(connection);
    return () => {
      if (id !== this.connectionId) return;
      const after = progressOf(connection);
      const quiet =
        counts.sentCount + counts.heard === moved &&
        !(grew(before, after) && (after as number) - (before as number) > CONTROL_FRAME_BYTES) &&
        !((countOf(connection, 'bufferedAmount') ?? 0) > 0) &&
        !this.hasPending() &&
        !this.outbox?.length &&
        !this.untrusted &&
        !this.inbound?.validating &&
        this.refusedBy !== id;
      if (quiet && looks + 1 < IDLE_LOOKS)
        this.timers.setTimer('idle', idleLookMs(this.resolvedOptions.idleTimeoutMs), this.idleCheck(id, looks + 1));
      else this.dispatch({ type: 'idleDue', id, quiet });
    };
  }

  /** Closed for good (app code a write ran may have closed it, and it could not take that message out). */
  protected closedForGood(): boolean {
    return this.machine.phase.status === 'closed';
  }

  /** A waiting message (taken out: `gone`) whose signal was aborted before its turn came. */
  private abortedWaiting(gone: unknown, message: QueuedMessage): void {
    if (gone !== undefined) this.tell(() => this.dropMessage(message.data, 'aborted', message.settle, message.written));
  }

  private flush(before: number): boolean {
    const { connection } = this;
    let tracked: IterableIterator<[MessageId, OutboxEntry]> | undefined;
    let entry: [MessageId, OutboxEntry] | undefined;
    // Everything is read again after each write: app code it ran may have closed the client,
    // sent more (of either kind), replaced a copy, aborted a signal, or let a deadline pass.
    for (;;) {
      // A late timer (a throttled tab), or a ttlMs of 0: an expired message is not let out (and,
      // as before a flush that cannot write, is told so before a close that follows).
      this.expireOverdue();
      if (!this.writable(connection)) return false;
      const { queue, outbox } = this;
      // The oldest unsent entry, read on as the flush goes (a live iterator sees entries added
      // since, and a copy replaced under its id at its new place); one that ran out starts again.
      if (!outbox?.unsent) entry = undefined;
      else
        while (!entry || !outbox.isUnsent(entry)) {
          tracked ??= outbox.unsentEntries();
          const next = tracked.next();
          if (next.done) tracked = undefined;
          else entry = next.value;
        }
      const queued = queue?.peek();
      const first = entry && !(queued && queued.seq < entry[1].seq) ? entry[1] : queued;
      if (!first || first.seq >= before) return true;
      if (entry && outbox && first === entry[1]) {
        const [id, waiting] = entry;
        // A signal aborted already (the app's own abort listener ran first and sent): not written.
        if (waiting.signal?.aborted) this.abortedWaiting(outbox.ack(id), waiting);
        else {
          const sent = this.writeInFlight(outbox, waiting);
          this.wrote(outbox, id, waiting, sent);
          if (!sent) return false;
        }
      } else if (queue && queued) {
        if (queued.signal?.aborted) this.abortedWaiting(queue.shift(), queued);
        else {
          const sent = this.writeInFlight(queue, queued);
          // Written, it is out; refused in a client closed meanwhile, it is gone with it.
          if ((sent || this.closedForGood()) && queue.peek() === queued) queue.shift();
          if (sent) queued.settle?.('sent');
          else if (this.closedForGood()) this.dropMessage(queued.data, 'closed', queued.settle);
          if (!sent) return false;
        }
      }
    }
  }
}
