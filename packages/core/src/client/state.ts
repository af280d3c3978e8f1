import type { CloseRecord } from '../close/closeRecord';
import type { Decision } from '../policy/decide';

/**
 * What a client is doing. `closed`: the app closed it (final). `failed`: the policy stopped or
 * a limit was reached; `reconnect()` revives it. `disconnected`: the app let the connection go
 * for now (`disconnect()`); `open()` or `reconnect()` connects again.
 */
export type ClientStatus =
  | 'idle'
  | 'connecting'
  | 'open'
  | 'closing'
  | 'waiting'
  | 'closed'
  | 'failed'
  | 'disconnected';

/** The state machine's phase: a union on `status`, each with only the data it needs. */
export type Phase =
  | { readonly status: 'idle' }
  /** disconnect(): only open() or reconnect() connects again (a send or an opened() waits). */
  | { readonly status: 'disconnected' }
  /**
   * `greeting`: the socket is open and the `greeting` awaits the server's acceptance — the open is
   * told on it; meanwhile the app's close and a let-go still send a close frame. `fresh`: the
   * attempt a reconnect() or a move started, which a reconnect() meanwhile leaves be.
   */
  | { readonly status: 'connecting'; readonly id: number; readonly greeting?: true; readonly fresh?: true }
  /**
   * `since`: when it opened (the flap guard's stability is elapsed time, whatever its timer does);
   * `aged`: its maxConnectionAgeMs came while offline, so it moves once back online.
   */
  | { readonly status: 'open'; readonly id: number; readonly since: number; readonly aged?: true }
  | {
      readonly status: 'closing';
      readonly id: number;
      /** Undefined for a close frame without a status. */
      readonly code: number | undefined;
      readonly reason: string;
    }
  | {
      readonly status: 'waiting';
      /** The next step is the refresh hook (the record says why). */
      readonly refresh: boolean;
      /** The close being retried; none when the first attempt waits for the network. */
      readonly record: CloseRecord | undefined;
      readonly decision: Decision | undefined;
      /**
       * When the retry is due: its timer's deadline, or (suspended) when it would have been;
       * undefined while parked or while the refresh hook runs.
       */
      readonly dueAt: number | undefined;
      /**
       * Why no timer runs: `parked` — offline, or hidden with `pauseWhenHidden`; `suspended` —
       * the page was put away (pagehide) and waits for pageshow.
       */
      readonly hold: 'none' | 'parked' | 'suspended';
      /**
       * The app's reconnect() asked for the attempt that follows the refresh hook: it goes even
       * while offline or hidden, as the attempt of a reconnect() with nothing owed does.
       */
      readonly asked?: true;
    }
  | { readonly status: 'closed'; readonly record: CloseRecord }
  | { readonly status: 'failed'; readonly record: CloseRecord; readonly decision: Decision };

/**
 * The current outage: what the policy needs to count. Reset only when a connection has been
 * stable (open for `stableAfterMs`, or `isReady` said so), so a server that accepts and then
 * closes at once is backed off instead of hammered.
 */
export interface Outage {
  /** Counted failed attempts since the last stable connection. */
  readonly failures: number;
  readonly streak: { readonly rule: string; readonly count: number } | undefined;
  readonly startedAt: number | undefined;
  readonly previousDelayMs: number | undefined;
}

export interface Machine {
  readonly phase: Phase;
  readonly outage: Outage;
  /** The id the next connection attempt gets; events from older ids are ignored. */
  readonly nextId: number;
  /** When the last attempt the app asked for dialled (or, held back, will): see MIN_ASKED_DIAL_MS. */
  readonly askedAt?: number;
}

export const freshOutage: Outage = Object.freeze({
  failures: 0,
  streak: undefined,
  startedAt: undefined,
  previousDelayMs: undefined,
});

export const initialMachine: Machine = Object.freeze({
  phase: Object.freeze({ status: 'idle' }),
  outage: freshOutage,
  nextId: 1,
});
