import { type Clock, LATE_TIMER_MS, type TimerHandle } from '../clock';
import type { TransportConnection } from '../transport';
import { type Placed, placeAt, unplace } from './minHeap';

/** One thing the shared scheduler runs when `dueAt` has passed. */
export interface ScheduledTask extends Placed {
  dueAt: number;
  run(now: number): void;
  /**
   * The scheduler's own marks, kept on the task (a Set and a Map of them cost every idle client
   * ~100 B, a heap entry per task ~40 B more): whether it is scheduled, and (`Placed`) the time
   * it is queued under in the heap and its place there.
   */
  scheduled?: boolean;
}

/** Tasks due within this many ms of a firing run together, so N clients share wake-ups. */
export const COALESCE_MS = 20;

/**
 * One timer for every heartbeat on a clock, however many clients there are: 10 000 idle
 * clients cost one pending timer, not 10 000. Between firings a task's `dueAt` moves later
 * unannounced (traffic postpones a ping) or earlier through `reschedule`, so the timer may fire
 * early and re-arm; it never fires late.
 */
export interface SharedScheduler {
  add(task: ScheduledTask): void;
  /** `task` is due earlier than the timer: re-arm (unless the task has just been removed). */
  reschedule(task: ScheduledTask): void;
  delete(task: ScheduledTask): void;
  /** For tests and leak checks. */
  readonly size: number;
}

// A closure, not a class: one per clock, and its internals are no one else's business.
function createScheduler(clock: Clock): SharedScheduler {
  let size = 0;
  // A min-heap by due time, so a firing reads only what is due, not every task (10 000 clients
  // spread over an interval made each firing walk all of them). Lazy: a task stays under the
  // time it was queued under (`at`); traffic moving it later is found when that time comes.
  const heap: ScheduledTask[] = [];
  let timer: TimerHandle | undefined;
  let timerDueAt = Infinity;
  const disarm = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    timerDueAt = Infinity;
  };
  const arm = (dueAt: number) => {
    disarm();
    timerDueAt = dueAt;
    timer = clock.setTimeout(fire, Math.max(0, dueAt - clock.now()));
  };
  const fire = () => {
    timer = undefined;
    timerDueAt = Infinity;
    const now = clock.now();
    const due: ScheduledTask[] = [];
    for (let top = heap[0]; top && (top.at as number) <= now + COALESCE_MS; top = heap[0]) {
      if (top.dueAt > now + COALESCE_MS)
        placeAt(heap, top, top.dueAt); // traffic postponed it
      else {
        unplace(heap, top);
        due.push(top);
      }
    }
    for (const task of due) {
      if (!task.scheduled) continue;
      task.run(now);
      if (task.scheduled && task.index === undefined) placeAt(heap, task, task.dueAt);
    }
    const next = heap[0]?.at;
    if (next !== undefined && next < timerDueAt) arm(next);
  };
  const reschedule = (task: ScheduledTask) => {
    if (!task.scheduled) return;
    if (task.at !== task.dueAt) placeAt(heap, task, task.dueAt);
    if (task.dueAt < timerDueAt) arm(task.dueAt);
  };
  return {
    add(task) {
      if (task.scheduled) return;
      task.scheduled = true;
      size++;
      reschedule(task);
    },
    reschedule,
    delete(task) {
      if (!task.scheduled) return;
      task.scheduled = false;
      unplace(heap, task);
      if (--size > 0) return;
      disarm();
    },
    get size() {
      return size;
    },
  };
}

const schedulers = new WeakMap<Clock, SharedScheduler>();

/** The scheduler shared by every client on `clock`. */
export function sharedScheduler(clock: Clock): SharedScheduler {
  let scheduler = schedulers.get(clock);
  if (!scheduler) {
    scheduler = createScheduler(clock);
    schedulers.set(clock, scheduler);
  }
  return scheduler;
}

export interface HeartbeatSettings {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/**
 * What a heartbeat asks of its client: the client itself, through these keys (closures made
 * for each connection cost every idle client ~200 B).
 */
export const sendPing = Symbol();
export const peerSilent = Symbol();
export interface HeartbeatOwner {
  /** Sends a ping on `connection` (a protocol ping, or the app's `heartbeat.message`). */
  [sendPing](connection: TransportConnection): void;
  /** The connection `id` did not answer: it is dead. */
  [peerSilent](id: number): void;
}

/**
 * Deadlines a slow link gets, in all, while bytes still move: for a pong (timeoutMs each) and a
 * close handshake (closeTimeoutMs each). Past them a peer that trickles is not slow but stalling.
 */
export const MAX_SLOW_DEADLINES = 10;

/**
 * The liveness check of one open connection. Any inbound traffic proves the peer alive and
 * postpones the next ping; a ping unanswered for `timeoutMs`, with no byte moved on the link
 * meanwhile, declares it dead. A silent peer is therefore found within `intervalMs + timeoutMs`
 * of its last word; while bytes still move (a slow link's large message), each check that saw
 * them gives another `timeoutMs`, so a link whose bytes stop is found within
 * `max(intervalMs, timeoutMs) + timeoutMs` of the last byte that moved — and a pong that has
 * not come within MAX_SLOW_DEADLINES timeoutMs of its ping, bytes moving or not, never will
 * (deadlines while this process's own backlog drains, the ping behind it, do not count).
 */
export class ConnectionHeartbeat implements ScheduledTask {
  dueAt: number;
  scheduled = false;
  at: number | undefined;
  index: number | undefined;
  #awaitingSince: number | undefined;
  /** A late check has already asked again since the peer last spoke: the next one decides. */
  #askedAgain = false;
  /** The connection's `progress` when the ping went out (or the deadline was last extended). */
  #moved: number | undefined;
  /** Deadlines extended since the ping went out: a peer that trickles bytes gets so many. */
  #extended = 0;
  /** This process's own backlog (`bufferedAmount`) when the ping went out or at the last deadline. */
  #buffered: number | undefined;

  readonly #settings: HeartbeatSettings;
  readonly #owner: HeartbeatOwner;
  readonly #id: number;
  /** Pinged, and whose `progress` tells a slow link from a dead one. */
  readonly #connection: TransportConnection;

  constructor(
    settings: HeartbeatSettings,
    now: number,
    owner: HeartbeatOwner,
    id: number,
    connection: TransportConnection,
  ) {
    this.#settings = settings;
    this.#owner = owner;
    this.#id = id;
    this.#connection = connection;
    this.dueAt = now + settings.intervalMs;
  }

  /**
   * The peer said something (a message or a pong). True when that answered a ping: the owner
   * then reschedules it, as the timer was set for the pong's deadline and, with timeoutMs >
   * intervalMs, the next ping is due before it. (The owner holds the scheduler: one field less
   * on every connection's heartbeat.)
   */
  alive(now: number): boolean {
    const answered = this.#awaitingSince !== undefined;
    this.#awaitingSince = undefined;
    this.#askedAgain = false;
    this.dueAt = now + this.#settings.intervalMs;
    return answered;
  }

  /**
   * Check now, whatever the schedule (the device went offline, or the page was shown with a
   * check owed: do not trust the socket): a ping
   * goes out, or, with one out already, a deadline that has passed is judged now. True when the
   * check ran: the owner reschedules it.
   */
  probe(now: number): boolean {
    if (this.#awaitingSince === undefined) this.dueAt = now;
    else if (this.dueAt - now > COALESCE_MS) return false; // the ping out has time left
    this.run(now);
    return true;
  }

  /**
   * Whether a check is owed now: a ping, or the judgement of one out. When the page is shown
   * again, one owed is made at once: its timer may have been throttled or frozen meanwhile.
   */
  due(now: number): boolean {
    return this.dueAt <= now;
  }

  run(now: number): void {
    if (this.#awaitingSince !== undefined) {
      const deadline = this.#awaitingSince + this.#settings.timeoutMs;
      if (now - deadline > LATE_TIMER_MS && !this.#askedAgain) {
        // The check ran far too late: the tab was frozen or throttled and the pong may still be
        // in the event queue. Ask again rather than declare the peer dead — once: in a tab
        // throttled for good every check is late, and a dead peer must still be found.
        this.#askedAgain = true;
        this.#awaitingSince = undefined;
        this.dueAt = now;
      } else if (now >= deadline) {
        // Bytes moved meanwhile: a large message is crossing a slow link and the pong waits
        // behind it (RFC 6455 §5.4: no control frame inside a frame). Slow, not dead: wait
        // another timeoutMs; a link where nothing moves for that long is dead — and so is a
        // peer that only trickles (a byte per deadline of a frame that never ends, pings of
        // its own): MAX_SLOW_DEADLINES timeoutMs in all, as for a close handshake.
        // (While this process's own backlog drains, the ping may wait behind it here: only a wait
        // the peer's side makes counts toward the limit — a peer that stops reading does too.)
        const moved = progressOf(this.#connection);
        const buffered = countOf(this.#connection, 'bufferedAmount');
        const draining = grew(buffered, this.#buffered); // it shrank
        this.#buffered = buffered;
        if (!grew(this.#moved, moved) || (!draining && ++this.#extended >= MAX_SLOW_DEADLINES)) {
          this.#owner[peerSilent](this.#id);
          return;
        }
        this.#moved = moved;
        this.#awaitingSince = now;
        this.dueAt = now + this.#settings.timeoutMs;
        return;
      } else {
        this.dueAt = deadline;
        return;
      }
    }
    if (this.dueAt - now > COALESCE_MS) return; // traffic postponed it; the scheduler re-arms
    if (this.#settings.timeoutMs === 0) {
      // Keep-alive only: the ping keeps the link busy; no answer is awaited.
      this.dueAt = now + this.#settings.intervalMs;
      this.#owner[sendPing](this.#connection);
      return;
    }
    this.#awaitingSince = now;
    this.#moved = progressOf(this.#connection);
    this.#extended = 0;
    this.#buffered = countOf(this.#connection, 'bufferedAmount');
    this.dueAt = now + this.#settings.timeoutMs;
    this.#owner[sendPing](this.#connection);
  }
}

/**
 * A count of the connection's (`progress`, `bufferedAmount`): only a finite number counts (a
 * getter that throws, a NaN from a hand-written transport must not keep a dead link alive).
 */
export function countOf(
  connection: TransportConnection | undefined,
  name: 'progress' | 'bufferedAmount',
): number | undefined {
  try {
    const count = connection?.[name];
    return Number.isFinite(count) ? count : undefined;
  } catch {
    return undefined;
  }
}

/** The connection's progress: only growth is movement (see `grew`). */
export const progressOf = (connection: TransportConnection | undefined): number | undefined =>
  countOf(connection, 'progress');

/** Whether bytes moved between two readings of `progressOf`: only growth counts. */
export const grew = (before: number | undefined, now: number | undefined): boolean =>
  before !== undefined && now !== undefined && now > before;
