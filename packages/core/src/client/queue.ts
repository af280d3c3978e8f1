import { type BlobLike, isBlob } from '../binary';
import { utf8ByteLength } from '../close/utf8';
import { QueueFullError } from '../errors';
import type { DropReason } from '../events/clientEvents';

export type OutboundMessage = string | ArrayBuffer | ArrayBufferView | BlobLike;
export type QueueOverflow = 'drop-oldest' | 'drop-newest' | 'reject';

export interface QueueLimits {
  readonly maxMessages: number;
  readonly maxBytes: number;
  readonly overflow: QueueOverflow;
  /** A message's `ttlMs` when its send gives none. */
  readonly ttlMs?: number | undefined;
}

export function byteSize(data: OutboundMessage): number {
  return typeof data === 'string' ? utf8ByteLength(data) : isBlob(data) ? data.size : data.byteLength;
}

/** What a send's options ask of a message while it waits (see sendOptions.ts). */
export interface WaitLimits {
  /** `ttlMs`: the clock time at which it stops waiting and is dropped as expired. */
  readonly until?: number | undefined;
  /** `signal`: it is not written once aborted (the app's own abort listener may run first). */
  readonly signal?: AbortSignal | undefined;
  /** Called once the message stops waiting, however: lets go of its abort listener and deadline. */
  readonly release?: (() => void) | undefined;
  /** `deliver()`'s: told what became of the message once that is known (see `Fate`). */
  settle?: Settle | undefined;
}

/**
 * What became of a message `deliver()` watches: written (`sent`), acknowledged under reliable
 * delivery (`acked`), replaced by a later copy under its id before that (`replaced`), or why it
 * will not go out (again): dropped (a `DropReason`), or handed back by `takeQueued()` (`taken`).
 */
export type Fate = 'sent' | 'acked' | 'replaced' | DropReason | 'taken';
/** The fates `deliver()` resolves with (the rest reject). */
export const resolves = (fate: Fate): fate is 'sent' | 'acked' | 'replaced' =>
  fate === 'sent' || fate === 'acked' || fate === 'replaced';
/** `written`: a tracked message that reached a socket at least once (the peer may have it). */
export type Settle = (fate: Fate, written?: boolean, cause?: unknown) => void;

export interface QueuedMessage extends WaitLimits {
  readonly data: OutboundMessage;
  readonly bytes: number;
  readonly seq: number;
  /** An outbox entry written to a socket at least once (a queued message never is while it waits). */
  readonly written?: boolean | undefined;
}

/** `stored`: the message as its store keeps it, for taking it out ahead of its turn. */
export type OfferResult<Stored = QueuedMessage> =
  | { readonly accepted: true; readonly evicted: readonly QueuedMessage[]; readonly stored: Stored }
  | { readonly accepted: false };

/**
 * A waiting message as its abort listener and its deadline hold it: `take` takes it out of its
 * store ahead of its turn (an abort, an expiry), and is gone once it stops waiting (so what
 * still holds it keeps no message alive). It returns undefined for the message being written:
 * going out, it is not taken (and `take` stays).
 */
export interface Waiting {
  take?: (() => QueuedMessage | undefined) | undefined;
}

/** Whether a message of `bytes` joins `count` messages of `totalBytes` within the limits. */
export const fits = ({ maxMessages, maxBytes }: QueueLimits, count: number, totalBytes: number, bytes: number) =>
  count < maxMessages && totalBytes + bytes <= maxBytes;

/**
 * Whether a message of `bytes` may join `count` messages of `totalBytes`: it fits, the oldest
 * must make room first (`drop-oldest`), or it is refused (`drop-newest`, or it could never
 * fit). With `reject` a full store throws `QueueFullError` instead. Shared by the queue and the
 * outbox so the two cannot disagree about the app's overflow choice.
 */
export function admission(
  limits: QueueLimits,
  count: number,
  totalBytes: number,
  bytes: number,
): 'fits' | 'evict' | 'refuse' {
  const { maxMessages, maxBytes, overflow } = limits;
  if (fits(limits, count, totalBytes, bytes)) return 'fits';
  if (overflow === 'reject') {
    if (bytes > maxBytes) throw new QueueFullError('maxBytes', maxBytes, bytes);
    const full = count >= maxMessages;
    throw new QueueFullError(full ? 'maxMessages' : 'maxBytes', full ? maxMessages : maxBytes);
  }
  return overflow === 'drop-newest' || maxMessages === 0 || bytes > maxBytes ? 'refuse' : 'evict';
}

/**
 * Messages sent while the socket is not open, bounded by count and bytes. What happens when
 * it is full is the app's choice, and it always hears about it: `drop-oldest` hands back what
 * it evicted, `drop-newest` refuses the new message, `reject` throws `QueueFullError` and keeps
 * everything already queued.
 */
export class OutboundQueue {
  #items: Array<Slot> = [];
  #head = 0;
  /** Slots of messages taken out ahead of their turn (`take`), skipped as the head reaches them. */
  #holes = 0;
  #totalBytes = 0;

  readonly #limits: QueueLimits;
  /** The message being written: nothing takes it out meanwhile (it is going out). */
  inFlight: QueuedMessage | undefined;

  constructor(limits: QueueLimits) {
    this.#limits = limits;
  }

  get length(): number {
    return this.#items.length - this.#head - this.#holes;
  }

  get bytes(): number {
    return this.#totalBytes;
  }

  /** `seq`: the message's place among everything the app sent (the outbox holds the rest). */
  offer(data: OutboundMessage, seq: number, limits?: WaitLimits): OfferResult {
    const bytes = byteSize(data);
    // The message being written (a send from app code its write runs) is going out: it takes
    // no room, and is not evicted.
    const going = this.inFlight;
    const room = () =>
      admission(this.#limits, this.length - (going ? 1 : 0), this.#totalBytes - (going?.bytes ?? 0), bytes);
    if (room() === 'refuse') return { accepted: false };
    const evicted: QueuedMessage[] = [];
    while (room() === 'evict') {
      const oldest = going ? this.#evictBehind(going) : this.shift();
      if (oldest === undefined) break;
      evicted.push(oldest);
    }
    const item = {
      data,
      bytes,
      seq,
      until: limits?.until,
      signal: limits?.signal,
      release: limits?.release,
      settle: limits?.settle,
    };
    // In send() order: ahead of what app code sent inside the writes made before this message
    // took its place (they come later).
    let at = this.#items.length;
    while (at > this.#head && (this.#items[at - 1] as QueuedMessage).seq > seq) at--;
    if (at === this.#items.length) this.#items.push(item);
    else this.#items.splice(at, 0, item);
    this.#totalBytes += bytes;
    return { accepted: true, evicted, stored: item };
  }

  /** The oldest message, left in place: a flush removes it only once it is sent. */
  peek(): QueuedMessage | undefined {
    this.#skipHoles();
    return this.#items[this.#head];
  }

  #skipHoles(): void {
    while (this.#items[this.#head]?.out) {
      this.#items[this.#head++] = undefined as never;
      this.#holes--;
    }
    // Also here, not only after a shift: a client whose queued messages all expire or are
    // aborted (its live sends going straight out) never shifts, and gained a slot for each.
    this.#closeUp();
  }

  /** The slots before the head go once they are most of the array (it never shrinks from the front). */
  #closeUp(): void {
    if (this.#head > 64 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }

  /** Takes out the oldest message (written, or evicted: the caller tells which). */
  shift(): QueuedMessage | undefined {
    this.#skipHoles();
    const item = this.#items[this.#head];
    if (!item) return undefined; // empty: every slot from the head on holds a message
    this.#items[this.#head++] = undefined as never; // let the message be collected
    this.#closeUp();
    this.#totalBytes -= item.bytes;
    item.release?.();
    return item;
  }

  /** Takes out the oldest message but `going`, the one being written at the head: it moves up into its slot. */
  #evictBehind(going: QueuedMessage): QueuedMessage | undefined {
    // (Over the holes behind it first, each moved past once.)
    while (this.#items[this.#head + 1]?.out) {
      this.#items[this.#head + 1] = going;
      this.#items[this.#head++] = undefined as never;
      this.#holes--;
    }
    const item = this.#items[this.#head + 1];
    if (!item) return undefined;
    this.#items[this.#head + 1] = going;
    this.#items[this.#head++] = undefined as never;
    this.#totalBytes -= item.bytes;
    item.release?.();
    return item;
  }

  /** Empties the queue, oldest first, each message with its `seq`. */
  drain(): QueuedMessage[] {
    // Not the message being written (app code its write ran took the queue): it went out.
    return this.remove(() => true);
  }

  /**
   * Takes out the messages that `leave` picks, keeping the others' order and closing up the
   * holes: `drain`, and the close-up once holes are most of the queue (an abort or an expiry
   * takes one message out with `take`). It sees each, but the one being written stays.
   */
  remove(leave: (item: QueuedMessage) => boolean): QueuedMessage[] {
    const gone: QueuedMessage[] = [];
    this.#items = this.#items
      .slice(this.#head)
      .filter((item) => !item.out && !(leave(item) && item !== this.inFlight && gone.push(item)));
    this.#head = 0;
    this.#holes = 0;
    for (const item of gone) {
      this.#totalBytes -= item.bytes;
      item.release?.();
    }
    return gone;
  }

  /**
   * Takes out `message` (one this queue stored) ahead of its turn, in constant time: its slot
   * becomes a hole the head skips (a pass over the queue for each abort or expiry was quadratic
   * in a burst).
   */
  take(message: QueuedMessage): QueuedMessage | undefined {
    const slot = message as Slot;
    if (message === this.inFlight || slot.out) return undefined;
    const taken = { ...message };
    // The hole keeps no payload: a message told gone counts against no limit, so it must hold
    // no memory either (offline, holes are closed up only once they are most of the queue).
    (slot as { data?: unknown }).data = undefined;
    slot.out = true;
    this.#holes++;
    this.#totalBytes -= message.bytes;
    message.release?.();
    // Mostly holes: closed up, so they cost neither memory nor a walk.
    if (this.#holes > 64 && this.#holes * 2 > this.#items.length - this.#head) this.remove(() => false);
    return taken;
  }
}

/** A message in the queue's array; `out` once taken ahead of its turn (a hole). */
type Slot = QueuedMessage & { out?: true };
