import {
  admission,
  byteSize,
  type OfferResult,
  type OutboundMessage,
  type QueuedMessage,
  type QueueLimits,
  type WaitLimits,
} from './queue';

/** What identifies a message in reliable delivery: the app's `id(message)`. */
export type MessageId = string | number;

export interface OutboxEntry extends WaitLimits {
  readonly id: MessageId;
  readonly data: OutboundMessage;
  readonly bytes: number;
  /** Its place among everything the app sent (the queue holds the untracked rest). */
  readonly seq: number;
  /** Written to a socket at least once: after a reconnect it is sent again. */
  sent: boolean;
}

/**
 * Reliable delivery's outbox: every message with an id stays here, in send order, until the
 * peer acknowledges it, and is sent again after each reconnect (at-least-once; the receiver
 * dedupes by id). Bounded like the queue, with the same overflow policy.
 */
export class Outbox {
  #entries = new Map<MessageId, OutboxEntry>();
  #lastSeq = -1;
  /**
   * Entries not written to this connection yet, in send order: they go out with the queue's.
   * Kept apart, so a flush that stops at a refusal reads only what it writes (copying the whole
   * outbox on every send while a socket refused made a burst quadratic).
   */
  #unsent = new Map<MessageId, OutboxEntry>();
  #totalBytes = 0;
  /** The entry being written: nothing takes it out meanwhile (it is going out). */
  inFlight: QueuedMessage | undefined;
  /** Their bytes: what `bufferedAmount` still counts (sent ones only wait for an ack). */
  unsentBytes = 0;

  readonly #limits: QueueLimits;

  constructor(limits: QueueLimits) {
    this.#limits = limits;
  }

  get length(): number {
    return this.#entries.size;
  }

  get unsent(): number {
    return this.#unsent.size;
  }

  get bytes(): number {
    return this.#totalBytes;
  }

  add(id: MessageId, data: OutboundMessage, seq: number, limits?: WaitLimits): OfferResult<OutboxEntry> {
    const bytes = byteSize(data);
    // The same id again replaces the old copy, so its place counts as free; but the old copy
    // is removed only once the new one is accepted (a refused or rejected send loses nothing).
    const room = () => {
      const old = this.#entries.get(id);
      return admission(this.#limits, this.#entries.size - (old ? 1 : 0), this.#totalBytes - (old?.bytes ?? 0), bytes);
    };
    if (room() === 'refuse') return { accepted: false };
    const evicted: OutboundMessage[] = [];
    for (const [oldest, entry] of this.#entries) {
      if (room() === 'fits') break;
      if (oldest === id) continue;
      this.ack(oldest);
      evicted.push(entry.data);
    }
    this.ack(id);
    const { until, signal, release } = limits ?? {};
    const entry: OutboxEntry = { id, data, bytes, seq, sent: false, until, signal, release };
    this.#entries.set(id, entry);
    this.#unsent.set(id, entry);
    // In send() order: ahead of what app code sent inside the writes made before this message
    // took its place (they come later). Rare, so a re-sort.
    if (seq < this.#lastSeq) {
      this.#entries = bySeq(this.#entries);
      this.#unsent = bySeq(this.#unsent);
    }
    this.#lastSeq = Math.max(this.#lastSeq, seq);
    this.#totalBytes += bytes;
    this.unsentBytes += bytes;
    return { accepted: true, evicted, stored: entry };
  }

  /** The peer has it: forget it, and return it (undefined for an id not, or no longer, here). */
  ack(id: MessageId): OutboundMessage | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.#totalBytes -= entry.bytes;
    if (!entry.sent) {
      this.#unsent.delete(id);
      this.unsentBytes -= entry.bytes;
    }
    entry.release?.();
    return entry.data;
  }

  /**
   * Takes out the entries that `leave` picks (`drain`; an abort or an expiry takes one out with
   * `take`): they are no longer sent again. It sees each, but the one being written stays.
   */
  remove(leave: (entry: OutboxEntry) => boolean): OutboxEntry[] {
    const gone: OutboxEntry[] = [];
    for (const [id, entry] of this.#entries)
      if (leave(entry) && entry !== this.inFlight) {
        this.ack(id);
        gone.push(entry);
      }
    return gone;
  }

  /** Takes out `entry` ahead of its turn (an abort, an expiry), unless it is being written. */
  take(entry: OutboxEntry): OutboxEntry | undefined {
    if (entry === this.inFlight || this.#entries.get(entry.id) !== entry) return undefined;
    this.ack(entry.id);
    return entry;
  }

  /** A message sent straight out: it waits for its ack only. */
  markSent(id: MessageId): void {
    const entry = this.#entries.get(id);
    if (entry && !entry.sent) {
      entry.sent = true;
      this.#unsent.delete(id);
      this.unsentBytes -= entry.bytes;
    }
  }

  /** The entry under `id`, if any. */
  entry(id: MessageId): OutboxEntry | undefined {
    return this.#entries.get(id);
  }

  /** Whether `entry` is still the unsent copy under its id (not sent, replaced or taken out since). */
  isUnsent([id, entry]: [MessageId, OutboxEntry]): boolean {
    return this.#unsent.get(id) === entry;
  }

  /**
   * A new connection: every entry the last ones may have swallowed is owed to it again. As
   * unsent entries they keep their places in send order — before anything not yet sent, as
   * everything sent was — and one the socket refuses is tried again like any other.
   */
  resend(): void {
    for (const entry of this.#entries.values()) {
      if (!entry.sent) continue;
      entry.sent = false;
      this.unsentBytes += entry.bytes;
    }
    this.#unsent = new Map(this.#entries);
  }

  /** Entries not yet written to this connection, oldest first, with their ids (read as they go). */
  unsentEntries(): IterableIterator<[MessageId, OutboxEntry]> {
    return this.#unsent.entries();
  }

  /** Empties the outbox, each message with its `seq`. */
  drain(): QueuedMessage[] {
    // Not the entry being written (app code its write ran closed the client): it went out.
    return this.remove(() => true);
  }
}

const bySeq = (entries: Map<MessageId, OutboxEntry>) => new Map([...entries].sort(([, a], [, b]) => a.seq - b.seq));
