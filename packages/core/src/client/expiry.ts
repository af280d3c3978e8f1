import { type Clock, MAX_TIMER_DELAY_MS } from '../clock';
import { heapFrom, type Placed, placeAt, unplace } from './minHeap';
import type { NamedTimers } from './namedTimers';
import type { QueuedMessage, Waiting } from './queue';

interface Deadline extends Placed {
  readonly waiting: Waiting;
}

/**
 * The `ttlMs` deadlines of the messages that wait: one `expire` timer, armed for the earliest.
 * A throttled tab fires it late, so what sends, flushes or takes the queue first asks `overdue()`
 * and takes out what has expired itself: an expired message is never written, nor counted as
 * taking room, after its deadline.
 */
export class Expiry {
  /**
   * Deadlines by time, so a firing reads only what is due (a walk over every waiting message
   * on each firing took a worker buffering 30 000 messages for 30 s a third of a core). A
   * message gone early (sent, aborted) leaves its entry behind, holding no message; they are
   * swept once they outnumber the waiting ones.
   */
  #heap: Deadline[] = [];
  /** When the timer is due: no waiting message has an earlier deadline. */
  #at: number | undefined;
  /** Messages with a deadline still waiting: with none left, no timer keeps the process alive. */
  #waiting = 0;

  constructor(
    private readonly clock: Clock,
    private readonly timers: NamedTimers<'expire'>,
    /** The timer fired: take out what is due (`due()`) and tell the app. */
    private readonly fired: () => void,
  ) {}

  /** Deadlines held, stale ones included (for tests and leak checks). */
  get size(): number {
    return this.#heap.length;
  }

  /** A message waits until `at` (each is `left()` once, however it stops waiting). */
  track(at: number, waiting: Waiting): void {
    this.#waiting++;
    placeAt(this.#heap, { waiting }, at);
    this.#arm(at);
  }

  left(): void {
    if (--this.#waiting > 0) {
      if (this.#heap.length > 2 * this.#waiting + 64) this.#heap = heapFrom(this.#heap.filter((d) => d.waiting.take));
      return;
    }
    this.#heap.length = 0;
    this.#at = undefined;
    this.timers.cancel('expire');
  }

  /** The timer is armed for `at` unless it is due sooner already. */
  #arm(at: number): void {
    if (this.#at !== undefined && this.#at <= at) return;
    this.#at = at;
    const delayMs = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, at - this.clock.now()));
    this.timers.setTimer('expire', delayMs, this.fired);
  }

  /** A deadline has passed that the timer has not handled yet (it is late, or about to fire). */
  overdue(): boolean {
    return this.#at !== undefined && this.#at <= this.clock.now();
  }

  /** Takes out what has expired, in send order, and re-arms for the earliest deadline left. */
  due(): QueuedMessage[] {
    const now = this.clock.now();
    const gone: QueuedMessage[] = [];
    const writing: Deadline[] = [];
    // (Read anew each turn: a take lets go of a message, which may sweep or empty the heap.)
    for (let top = this.#heap[0]; top && (top.at as number) <= now; top = this.#heap[0]) {
      unplace(this.#heap, top);
      const taken = top.waiting.take?.();
      if (taken) gone.push(taken);
      else if (top.waiting.take) writing.push(top); // still waiting: it is being written
    }
    // One that is due but being written stays (app code its write ran got here), under now: the
    // timer comes back for it once the write is done. All else left is due later.
    for (const deadline of writing) placeAt(this.#heap, deadline, now);
    this.#at = undefined;
    this.timers.cancel('expire');
    const next = this.#heap[0]?.at;
    if (next !== undefined) this.#arm(next);
    return gone.sort((a, b) => a.seq - b.seq);
  }
}
