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
  /** Written to this connection: after a reconnect it is sent again. */
  sent: boolean;
  /** Written to a socket at least once, on any connection: an ack can be its. */
  written?: boolean;
  /** Its neighbours in send order (drop-oldest evicts the oldest without a walk). */
  older?: OutboxEntry | undefined;
  newer?: OutboxEntry | undefined;
}

/**
 * Reliable delivery's outbox: every message with an id stays here, in send order, until the
 * peer acknowledges it, and is sent again after each reconnect (at-least-once; the receiver
 * dedupes by id). Bounded like the queue, with the same overflow policy.
 */
export class Outbox {
  /** By id; their order is the list from `#oldest` (a Map's own order costs its holes: below). */
  #entries = new Map<MessageId, OutboxEntry>();
  /**
   * The entries in send order, linked. Acks leave their holes at a Map's front, which a new
   * iterator walks: looking for the oldest that way cost 22 µs a send with 50 000 unacked.
   */
  #oldest: OutboxEntry | undefined;
  #newest: OutboxEntry | undefined;
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
    const old = this.#entries.get(id);
    const room = admission(
      this.#limits,
      this.#entries.size - (old ? 1 : 0),
      this.#totalBytes - (old?.bytes ?? 0),
      bytes,
    );
    if (room === 'refuse') return { accepted: false };
    this.ack(id);
    // (A promise settled here runs no app code before this add is done.)
    old?.settle?.('replaced');
    const evicted: OutboxEntry[] = [];
    if (room === 'evict')
      for (let oldest = this.#oldest; oldest; oldest = this.#oldest) {
        if (admission(this.#limits, this.#entries.size, this.#totalBytes, bytes) === 'fits') break;
        this.ack(oldest.id);
        // The entry being written (app code its write runs sent this one) still goes out: the
        // peer may have it.
        if (oldest === this.inFlight) oldest.written = true;
        evicted.push(oldest);
      }
    const { until, signal, release, settle } = limits ?? {};
    const entry: OutboxEntry = { id, data, bytes, seq, sent: false, until, signal, release, settle };
    this.#entries.set(id, entry);
    this.#link(entry);
    this.#unsent.set(id, entry);
    // In send() order: ahead of what app code sent inside the writes made before this message
    // took its place (they come later). Rare, so a re-sort.
    if (seq < this.#lastSeq) this.#unsent = bySeq(this.#unsent);
    this.#lastSeq = Math.max(this.#lastSeq, seq);
    this.#totalBytes += bytes;
    this.unsentBytes += bytes;
    return { accepted: true, evicted, stored: entry };
  }

  /** Into send order: at the end, but for one sent by app code inside earlier writes. */
  #link(entry: OutboxEntry): void {
    let older = this.#newest;
    while (older && older.seq > entry.seq) older = older.older;
    const newer = older ? older.newer : this.#oldest;
    entry.older = older;
    entry.newer = newer;
    if (older) older.newer = entry;
    else this.#oldest = entry;
    if (newer) newer.older = entry;
    else this.#newest = entry;
  }

  #unlink(entry: OutboxEntry): void {
    const { older, newer } = entry;
    if (older) older.newer = newer;
    else this.#oldest = newer;
    if (newer) newer.older = older;
    else this.#newest = older;
    // Held by nothing of ours now, it holds none of the others either.
    entry.older = entry.newer = undefined;
  }

  /**
   * The entry an acknowledgement of `id` is for: none when the copy under it has never been
   * written (nor is being written) — the ack is for the copy it replaced, and it must still go.
   */
  acked(id: MessageId): OutboxEntry | undefined {
    const entry = this.#entries.get(id);
    return entry && (entry.written || entry === this.inFlight) ? entry : undefined;
  }

  /** The peer has it: forget it, and return it (undefined for an id not, or no longer, here). */
  ack(id: MessageId): OutboundMessage | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    this.#unlink(entry);
    this.#totalBytes -= entry.bytes;
    if (!entry.sent) {
      this.#unsent.delete(id);
      this.unsentBytes -= entry.bytes;
    }
    entry.release?.();
    return entry.data;
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
      entry.sent = entry.written = true;
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
    this.#unsent = new Map();
    for (let entry = this.#oldest; entry; entry = entry.newer) {
      this.#unsent.set(entry.id, entry);
      if (!entry.sent) continue;
      entry.sent = false;
      this.unsentBytes += entry.bytes;
    }
  }

  /** Entries not yet written to this connection, oldest first, with their ids (read as they go). */
  unsentEntries(): IterableIterator<[MessageId, OutboxEntry]> {
    return this.#unsent.entries();
  }

  /**
   * Empties the outbox, each message with its `seq`: the client closed, so each is told closed in
   * send() order — also the one being written (app code its write ran closed the client), which
   * would be told closed once its write is done, after the later ones.
   */
  drain(): QueuedMessage[] {
    const gone: OutboxEntry[] = [];
    for (let entry = this.#oldest; entry; entry = this.#oldest) {
      this.ack(entry.id);
      gone.push(entry);
    }
    return gone;
  }
}

const bySeq = (entries: Map<MessageId, OutboxEntry>) => new Map([...entries].sort(([, a], [, b]) => a.seq - b.seq));
