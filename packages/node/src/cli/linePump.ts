import { type Client, QueueFullError } from '@resock/core';

/**
 * Bytes that may wait to leave the process on an open connection before stdin is read further:
 * ws buffers whatever it is given, so a large file piped to a slow link would sit in memory whole.
 */
export const HIGH_WATER_BYTES = 1_048_576;
/**
 * Lines that may be on their way, not yet proved read (a window, as TCP's): with
 * permessage-deflate, ws compresses one message at a time and holds the rest, and the ping the
 * heartbeat sends waits behind them all (at ~0.2 ms a line, a 1 MiB backlog of short lines took
 * ~40 s, and the heartbeat dropped a healthy link). This many stay well under its timeout.
 */
export const WINDOW_LINES = 4096;
/** The CLI's queue: lines sent while no connection is open (the client's default limits, named). */
export const cliQueue = { maxMessages: 1000, maxBytes: 1_048_576, overflow: 'reject' } as const;
/** How often a full buffer is looked at again: neither ws nor a WebSocket tells when it drains. */
const POLL_MS = 20;
/** How long what was sent may sit in the process without a byte moving before the CLI gives up on it. */
export const DRAIN_STALL_MS = 10_000;

/**
 * A stall check over `moved`, a count that grows while the upload moves: true once it has not
 * grown for DRAIN_STALL_MS since the check was made (the monotonic clock: a wall clock set back
 * must not stretch the stall).
 */
export function stallWatch(moved: () => number): () => boolean {
  let last = moved();
  let movedAt = performance.now();
  return () => {
    const now = performance.now();
    const count = moved();
    if (count <= last) return now - movedAt >= DRAIN_STALL_MS;
    [last, movedAt] = [count, now];
    return false;
  };
}

/** What can be paused: readline's interface over stdin. */
interface Source {
  pause(): unknown;
  resume(): unknown;
}

export interface Tell {
  /** A line went into the client's queue (no connection is open). */
  queued(line: string): void;
  /** The queue is full (or `line` could never fit it): stdin is read again after the next open. */
  full(error: QueueFullError, line: string): void;
  /** Lines wait behind a backlog that has not moved for DRAIN_STALL_MS: the pump has stopped. */
  stalled(): void;
  /** Every line read so far is the client's (sent, or queued). */
  idle(): void;
  /**
   * A count that grows while the upload moves (bytes the kernel took): a single large line
   * leaves the backlog only once wholly written, so its size alone cannot tell a stall.
   */
  moved(): number;
  /** Lines sent on the open connection and not yet proved read. */
  inFlight(): number;
  /** Resolves at the next proof that lines were read. */
  proved(): Promise<void>;
}

export interface LinePump {
  /** A line read from stdin: given to the client in order, as soon as there is room. */
  push(line: string): void;
  /** Resolves once every line pushed so far is the client's (sent, or in its queue). */
  idle(): Promise<void>;
  /** Stops for good, handing back the lines not yet given to the client (in order). */
  stop(): string[];
}

/**
 * Feeds stdin's lines to the client with back-pressure instead of loss: the client's queue is
 * made to refuse (`overflow: 'reject'`), and a refused line waits here, with stdin paused, until
 * the next open has emptied the queue. On an open connection, stdin pauses while more than
 * HIGH_WATER_BYTES are still leaving or WINDOW_LINES are not yet proved read. Lines readline had
 * read before the pause wait here too, so nothing is dropped for want of room, and memory stays
 * bounded.
 */
export function linePump(client: Client, source: Source, tell: Tell): LinePump {
  const pending: string[] = [];
  let idle: Array<() => void> = [];
  // A wait for room under way: its cancel.
  let waiting: (() => void) | undefined;
  let stopped = false;
  // While lines wait behind a backlog (or a full window): whether the upload has stalled.
  let backlog: (() => boolean) | undefined;

  const wait = (how: 'poll' | 'open' | 'backlog') => {
    source.pause();
    // Once per wait, whichever ends it first (a timer, a proof, an open).
    let over = false;
    const again = () => {
      if (over) return;
      over = true;
      waiting = undefined;
      pump();
    };
    if (how === 'backlog') {
      backlog ??= stallWatch(() => tell.moved());
      if (backlog()) {
        // Nothing has left for that long (a peer that stopped reading, with the heartbeat off):
        // waiting on would hang the session for good.
        waiting = () => {};
        return tell.stalled();
      }
    }
    if (how !== 'open') {
      // A backlog drains unseen (polled); a full window opens at a proof, or is polled for a stall.
      const timer = setTimeout(again, POLL_MS);
      if (how === 'backlog')
        void tell.proved().then(() => {
          clearTimeout(timer);
          again();
        });
      waiting = () => {
        over = true;
        clearTimeout(timer);
      };
    } else waiting = client.once('open', again);
  };

  const pump = () => {
    while (pending.length > 0 && !waiting && !stopped) {
      const open = client.state === 'open';
      if (open && (client.bufferedAmount >= HIGH_WATER_BYTES || tell.inFlight() >= WINDOW_LINES))
        return wait('backlog');
      backlog = undefined;
      let result: ReturnType<Client['send']>;
      try {
        result = client.send(pending[0] as string);
      } catch (error) {
        if (!(error instanceof QueueFullError)) throw error;
        // Not open: the next open flushes the queue first. Open (a probe or a refusing socket
        // holds sends back, or one line is larger than the whole queue): look again shortly.
        if (open) return wait('poll');
        tell.full(error, pending[0] as string);
        return wait('open');
      }
      const line = pending.shift() as string;
      if (result === 'queued') tell.queued(line);
    }
    if (pending.length > 0 || stopped) return;
    tell.idle();
    source.resume();
    const settled = idle;
    idle = [];
    for (const resolve of settled) resolve();
  };

  return {
    push(line) {
      pending.push(line);
      // While a wait is under way, lines readline had already read join the end of the line.
      if (!waiting) pump();
    },
    idle: () =>
      pending.length === 0 && !waiting ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve)),
    stop() {
      stopped = true;
      waiting?.();
      waiting = undefined;
      return pending.splice(0);
    },
  };
}
