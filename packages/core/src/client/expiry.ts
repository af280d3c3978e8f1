import { type Clock, MAX_TIMER_DELAY_MS } from '../clock';
import type { NamedTimers } from './namedTimers';
import type { QueuedMessage, WaitLimits } from './queue';

/** The queue and the outbox, as expiry sees them: stores a message can be taken out of. */
type Store = { remove(leave: (message: WaitLimits) => boolean): QueuedMessage[] } | undefined;

/**
 * The `ttlMs` deadlines of the messages that wait: one `expire` timer, armed for the earliest.
 * A throttled tab fires it late, so what sends, flushes or takes the queue first asks `overdue()`
 * and takes out what has expired itself: an expired message is never written, nor counted as
 * taking room, after its deadline.
 */
export class Expiry {
  /** When the timer is due: no waiting message has an earlier deadline. */
  #at: number | undefined;
  /** Messages with a deadline still waiting: with none left, no timer keeps the process alive. */
  #waiting = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timers: NamedTimers<'expire'>,
    private readonly stores: () => readonly Store[],
    /** The timer fired: take out what is due (`due()`) and tell the app. */
    private readonly fired: () => void,
  ) {}

  /** A message waits until `until` (each is `left()` once, however it stops waiting). */
  track(until: number): void {
    this.#waiting++;
    this.#arm(until);
  }

  left(): void {
    if (--this.#waiting > 0) return;
    this.#at = undefined;
    this.timers.cancel('expire');
  }

  /** The timer is armed for `until` unless it is due sooner already. */
  #arm(until: number): void {
    if (this.#at !== undefined && this.#at <= until) return;
    this.#at = until;
    const delayMs = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, until - this.clock.now()));
    this.timers.start('expire', delayMs, this.fired);
  }

  /** A deadline has passed that the timer has not handled yet (it is late, or about to fire). */
  overdue(): boolean {
    return this.#at !== undefined && this.#at <= this.clock.now();
  }

  /** Takes out what has expired, in send order, and re-arms for the earliest deadline left. */
  due(): QueuedMessage[] {
    const now = this.clock.now();
    let next = Number.POSITIVE_INFINITY;
    let due = 0;
    const expired = ({ until }: WaitLimits) => {
      if (until === undefined) return false;
      if (until <= now) {
        due++;
        return true;
      }
      next = Math.min(next, until);
      return false;
    };
    const gone = this.stores().flatMap((store) => store?.remove(expired) ?? []); // each `left()`
    // One that is due but being written stays (app code its write ran got here): the timer
    // comes back for it once the write is done.
    if (gone.length < due) next = now;
    this.#at = undefined;
    this.timers.cancel('expire');
    if (next < Number.POSITIVE_INFINITY) this.#arm(next);
    return gone.sort((a, b) => a.seq - b.seq);
  }
}
