import { LATE_TIMER_MS } from '../clock';
import type { TransportConnection } from '../transport';
import { COALESCE_MS, type ScheduledTask } from './sharedScheduler';

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
export const heartbeatSettings = Symbol();
export interface HeartbeatOwner {
  /** The client's heartbeat settings (asked for, not kept: one field less on every heartbeat). */
  readonly [heartbeatSettings]: HeartbeatSettings;
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
 * A ping awaiting its answer. Its own object, made per ping, rather than four fields on every
 * heartbeat: an idle connection spends nearly all its life with no ping out (memory per client).
 */
interface PingOut {
  /** When the ping went out, or its deadline was last extended. */
  since: number;
  /** The connection's `progress` then. */
  moved: number | undefined;
  /** Deadlines extended since the ping went out: a peer that trickles bytes gets so many. */
  extended: number;
  /** This process's own backlog (`bufferedAmount`) then. */
  buffered: number | undefined;
  /** The deadline passed and its judgement waited a turn of the event loop (see `run`). */
  waited?: true | undefined;
}

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
  /** The ping out, while its answer is awaited (see `PingOut`). */
  #out: PingOut | undefined;
  /** A late check has already asked again since the peer last spoke: the next one decides. */
  #askedAgain = false;

  readonly #owner: HeartbeatOwner;
  readonly #id: number;
  /** Pinged, and whose `progress` tells a slow link from a dead one. */
  readonly #connection: TransportConnection;

  constructor(now: number, owner: HeartbeatOwner, id: number, connection: TransportConnection) {
    this.#owner = owner;
    this.#id = id;
    this.#connection = connection;
    this.dueAt = now + owner[heartbeatSettings].intervalMs;
  }

  /**
   * The peer said something (a message or a pong). True when that answered a ping: the owner
   * then reschedules it, as the timer was set for the pong's deadline and, with timeoutMs >
   * intervalMs, the next ping is due before it. (The owner holds the scheduler: one field less
   * on every connection's heartbeat.)
   */
  alive(now: number): boolean {
    const answered = this.#out !== undefined;
    this.#out = undefined;
    this.#askedAgain = false;
    this.dueAt = now + this.#owner[heartbeatSettings].intervalMs;
    return answered;
  }

  /**
   * Check now, whatever the schedule (the device went offline, or the page was shown with a
   * check owed: do not trust the socket): a ping
   * goes out, or, with one out already, a deadline that has passed is judged now. True when the
   * check ran: the owner reschedules it.
   */
  probe(now: number): boolean {
    if (this.#out === undefined) this.dueAt = now;
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
    const out = this.#out;
    if (out !== undefined) {
      const deadline = out.since + this.#owner[heartbeatSettings].timeoutMs;
      if (now - deadline > LATE_TIMER_MS && !this.#askedAgain) {
        // The check ran far too late: the tab was frozen or throttled and the pong may still be
        // in the event queue. Ask again rather than declare the peer dead — once: in a tab
        // throttled for good every check is late, and a dead peer must still be found.
        this.#askedAgain = true;
        this.#out = undefined;
        this.dueAt = now;
      } else if (now >= deadline) {
        // Judged a turn later (a 0 ms wait): Node runs due timers before it reads its sockets,
        // so a pong (or bytes) that came while the event loop was blocked past the deadline —
        // a synchronous job, a long GC — was still unread, and a live peer was judged dead.
        if (!out.waited) {
          out.waited = true;
          this.dueAt = now;
          return;
        }
        // Bytes moved meanwhile: a large message is crossing a slow link and the pong waits
        // behind it (RFC 6455 §5.4: no control frame inside a frame). Slow, not dead: wait
        // another timeoutMs; a link where nothing moves for that long is dead — and so is a
        // peer that only trickles (a byte per deadline of a frame that never ends, pings of
        // its own): MAX_SLOW_DEADLINES timeoutMs in all, as for a close handshake.
        // (While this process's own backlog drains, the ping may wait behind it here: only a wait
        // the peer's side makes counts toward the limit — a peer that stops reading does too.)
        const moved = progressOf(this.#connection);
        const buffered = countOf(this.#connection, 'bufferedAmount');
        const draining = grew(buffered, out.buffered); // it shrank
        out.buffered = buffered;
        if (!grew(out.moved, moved) || (!draining && ++out.extended >= MAX_SLOW_DEADLINES)) {
          this.#owner[peerSilent](this.#id);
          return;
        }
        out.moved = moved;
        out.since = now;
        out.waited = undefined;
        this.dueAt = now + this.#owner[heartbeatSettings].timeoutMs;
        return;
      } else {
        this.dueAt = deadline;
        return;
      }
    }
    if (this.dueAt - now > COALESCE_MS) return; // traffic postponed it; the scheduler re-arms
    if (this.#owner[heartbeatSettings].timeoutMs === 0) {
      // Keep-alive only: the ping keeps the link busy; no answer is awaited.
      this.dueAt = now + this.#owner[heartbeatSettings].intervalMs;
      this.#owner[sendPing](this.#connection);
      return;
    }
    this.#out = {
      since: now,
      moved: progressOf(this.#connection),
      extended: 0,
      buffered: countOf(this.#connection, 'bufferedAmount'),
    };
    this.dueAt = now + this.#owner[heartbeatSettings].timeoutMs;
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
