import { QueueFullError } from '../errors';
import { byteSize, type OfferResult, type OutboundMessage, type QueueLimits } from './queue';

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
    this.ack(id); // the same id again replaces the old copy
    const bytes = byteSize(data);
    const { maxMessages, maxBytes, overflow } = this.limits;
    const fits = () => this.entries.size < maxMessages && this.totalBytes + bytes <= maxBytes;
    if (!fits()) {
      const never = maxMessages === 0 || bytes > maxBytes;
      if (overflow === 'reject') {
        const full = this.entries.size >= maxMessages;
        throw new QueueFullError(full ? 'maxMessages' : 'maxBytes', full ? maxMessages : maxBytes);
      }
      if (overflow === 'drop-newest' || never) return { accepted: false };
    }
    const evicted: OutboundMessage[] = [];
    for (const [oldest, entry] of this.entries) {
      if (fits()) break;
      this.ack(oldest);
      evicted.push(entry.data);
    }
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
