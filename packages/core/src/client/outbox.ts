import { admission, byteSize, type OfferResult, type OutboundMessage, type QueueLimits } from './queue';

/** What identifies a message in reliable delivery: the app's `id(message)`. */
export type MessageId = string | number;

/**
 * Reliable delivery's outbox: every message with an id stays here, in send order, until the
 * peer acknowledges it, and is sent again after each reconnect (at-least-once; the receiver
 * dedupes by id). Bounded like the queue, with the same overflow policy.
 */
export class Outbox {
  private readonly entries = new Map<MessageId, { data: OutboundMessage; bytes: number }>();
  private totalBytes = 0;

  constructor(private readonly limits: QueueLimits) {}

  get length(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  add(id: MessageId, data: OutboundMessage): OfferResult {
    const bytes = byteSize(data);
    // The same id again replaces the old copy, so its place counts as free; but the old copy
    // is removed only once the new one is accepted (a refused or rejected send loses nothing).
    const room = () => {
      const old = this.entries.get(id);
      return admission(this.limits, this.entries.size - (old ? 1 : 0), this.totalBytes - (old?.bytes ?? 0), bytes);
    };
    if (room() === 'refuse') return { accepted: false };
    const evicted: OutboundMessage[] = [];
    for (const [oldest, entry] of this.entries) {
      if (room() === 'fits') break;
      if (oldest === id) continue;
      this.ack(oldest);
      evicted.push(entry.data);
    }
    this.ack(id);
    this.entries.set(id, { data, bytes });
    this.totalBytes += bytes;
    return { accepted: true, evicted };
  }

  /** The peer has it: forget it, and return it (undefined for an id not, or no longer, here). */
  ack(id: MessageId): OutboundMessage | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    this.totalBytes -= entry.bytes;
    return entry.data;
  }

  /** Unacknowledged messages, oldest first. */
  messages(): OutboundMessage[] {
    return [...this.entries.values()].map((entry) => entry.data);
  }

  drain(): OutboundMessage[] {
    const all = this.messages();
    this.entries.clear();
    this.totalBytes = 0;
    return all;
  }
}
