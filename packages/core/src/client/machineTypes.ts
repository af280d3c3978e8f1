import type { Random } from '../backoff/jitter';
import type { CloseRecord } from '../close/closeRecord';
import type { EnvironmentChange } from '../environment';
import type { Decision, StopReason } from '../policy/decide';
import type { Policy } from '../policy/definePolicy';
import type { RawClose } from '../transport';
import type { Machine, Phase } from './state';

// The vocabulary of the client's state machine: what can happen to it (Input), what it asks
// the shell to do (Effect), and what it reads besides its state (Env).

/** Something that happened: a call of the app, a transport callback, a timer. */
export type Input =
  /** Connect an idle client: a lazy one's first send or wait; `asked`, open() (also a disconnected one). */
  | { readonly type: 'start'; readonly asked?: true }
  | {
      readonly type: 'opened';
      readonly id: number;
      readonly url: string;
      readonly protocol: string;
      readonly extensions: string;
      /** With a `greeting`: it went out (and was accepted): tell the open now. */
      readonly greeted?: true;
    }
  | { readonly type: 'transportClosed'; readonly id: number; readonly raw: RawClose; readonly error?: unknown }
  /** The URL or protocols could not be resolved, or `transport.connect` threw. */
  | { readonly type: 'connectFailed'; readonly id: number; readonly error: unknown }
  | { readonly type: 'connectTimeout'; readonly id: number }
  | { readonly type: 'closeTimeout'; readonly id: number }
  | { readonly type: 'heartbeatTimeout'; readonly id: number }
  /** More waits for an async schema than the client holds. */
  | { readonly type: 'overflowed'; readonly id: number; readonly error: unknown }
  /** The open socket refused a message: its close has begun (or the link is going). */
  | { readonly type: 'sendFailed'; readonly id: number }
  /** …and then took one again: the refusal passed (a transport's own backpressure). */
  | { readonly type: 'sendAccepted'; readonly id: number }
  | { readonly type: 'stable'; readonly id: number }
  /** The idle check: `quiet`, nothing crossed nor waited for idleTimeoutMs (IDLE_LOOKS looks in a row). */
  | { readonly type: 'idleDue'; readonly id: number; readonly quiet: boolean }
  /** Open connection `id` reached its `maxConnectionAgeMs`. */
  | { readonly type: 'ageDue'; readonly id: number }
  /**
   * The retry's wait is over: its timer ran, or — `decision` given — the policy said "now" and
   * this is the step after the decision (for that wait only: a later one has its own timer).
   */
  | { readonly type: 'retryDue'; readonly decision?: Decision }
  | { readonly type: 'refreshed' }
  | { readonly type: 'refreshFailed'; readonly error: unknown }
  /** `code` undefined: a close frame without a status, as `WebSocket.close()` sends (the facade's). */
  | { readonly type: 'close'; readonly code: number | undefined; readonly reason: string }
  /** The page or device changed (see `ClientEnvironment`). */
  | { readonly type: 'environment'; readonly change: EnvironmentChange }
  | { readonly type: 'reconnect' }
  | { readonly type: 'disconnect' };

export type TimerName = 'connect' | 'close' | 'retry' | 'stable' | 'idle' | 'age';

/**
 * The idle check looks this many times per idleTimeoutMs, and closes after as many quiet looks
 * in a row: within a quarter of idleTimeoutMs past it, with no clock read per message.
 */
export const IDLE_LOOKS = 4;
/** The part of `maxConnectionAgeMs` over which the moves of connections opened together spread. */
export const AGE_SPREAD = 0.1;
/** Each move dials a new connection: never more often than this. */
export const MIN_CONNECTION_AGE_MS = 1000;
/** The shortest idleTimeoutMs: each idle close dials anew with the next send. */
export const MIN_IDLE_TIMEOUT_MS = 1000;
/**
 * An attempt the app asks for (reconnect(), open()) skips the back-off, but dials no sooner than
 * this after the one it asked for before: a close listener that reconnect()s, against a server
 * that drops every connection, dialled about 3000 times a second (reconnecting-websocket#60's
 * pattern). The first is at once: a "reconnect now" button still is.
 */
export const MIN_ASKED_DIAL_MS = 1000;
/** The time between two idle looks. */
export const idleLookMs = (idleTimeoutMs: number): number => idleTimeoutMs / IDLE_LOOKS;

/** Something the shell must do. The reducer never does anything itself. */
export type Effect =
  /** `afterMs`: dial that much later (MIN_ASKED_DIAL_MS); the attempt is `connecting` meanwhile. */
  | { readonly type: 'connect'; readonly id: number; readonly afterMs?: number }
  | {
      readonly type: 'closeSocket';
      readonly id: number;
      readonly code: number | undefined;
      readonly reason: string;
    }
  /**
   * Terminate where the transport can, else close politely; either way stop listening to it.
   * With `say` (an open connection the app or the page lets go of), the server hears the code,
   * not a lost link: through the transport's leave(), else a close frame before terminate().
   */
  | {
      readonly type: 'dropSocket';
      readonly id: number;
      readonly code: number;
      readonly reason: string;
      readonly say: boolean;
    }
  | {
      readonly type: 'startTimer';
      readonly timer: TimerName;
      readonly delayMs: number;
      readonly id: number;
    }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  | { readonly type: 'startHeartbeat'; readonly id: number }
  | { readonly type: 'stopHeartbeat' }
  /**
   * Check the open connection now (the device went offline; do not trust the socket); `ifDue`,
   * only if its heartbeat is due or overdue (the page is shown again after its timers slowed).
   */
  | { readonly type: 'probe'; readonly ifDue?: true }
  | { readonly type: 'flushQueue' }
  /** The socket opened: say the greeting, then dispatch `opened` again with `greeted`. */
  | { readonly type: 'greet'; readonly opened: Extract<Input, { type: 'opened' }> }
  | { readonly type: 'refresh'; readonly record: CloseRecord; readonly attempt: number }
  | { readonly type: 'abortRefresh' }
  /** A retry due at once: `retryDue` with this decision, next in the mailbox (see decideAfter). */
  | { readonly type: 'retryNow'; readonly decision: Decision }
  | { readonly type: 'emit'; readonly event: Emitted }
  /** Resolve `opened()` waiters with the open event just emitted. */
  | { readonly type: 'resolveOpened' }
  /** Reject `opened()` waiters: the client failed (the policy's stop reason) or was closed. */
  | {
      readonly type: 'rejectOpened';
      readonly stopReason: StopReason | undefined;
      readonly record: CloseRecord;
    }
  /** The app's close is complete: settle `close()` promises, drop the queue, let go of everything. */
  | { readonly type: 'finish'; readonly record: CloseRecord };

/** Events in the order the reducer decided them; the shell adds what only it knows. */
export type Emitted =
  | { readonly name: 'state'; readonly from: Phase['status']; readonly to: Phase['status'] }
  | {
      readonly name: 'open';
      readonly url: string;
      readonly protocol: string;
      readonly extensions: string;
      readonly attempt: number;
    }
  | { readonly name: 'close'; readonly record: CloseRecord }
  | {
      readonly name: 'reconnecting';
      readonly attempt: number;
      readonly record: CloseRecord;
      readonly decision: Decision;
    }
  | {
      readonly name: 'failed';
      readonly record: CloseRecord;
      readonly decision: Decision;
      readonly refreshError?: unknown;
    }
  | { readonly name: 'refreshError'; readonly error: unknown }
  | { readonly name: 'policyError'; readonly rule: string; readonly error: unknown };

/** What the reducer may read besides its state: configuration, the time, randomness. */
export interface Env {
  readonly now: number;
  readonly random: Random;
  readonly policy: Policy;
  readonly refreshAvailable: boolean;
  readonly connectTimeoutMs: number;
  readonly closeTimeoutMs: number;
  readonly stableAfterMs: number;
  /** Close an open connection quiet this long, back to idle; 0: never. */
  readonly idleTimeoutMs: number;
  /** Move an open connection to a new one before this age; 0: never. */
  readonly maxConnectionAgeMs: number;
  readonly reconnectCloseCode: number;
  readonly heartbeat: boolean;
  /** A `greeting` is said before the open is told. */
  readonly greeting: boolean;
  /** The open connection's heartbeat is running, so it can be probed (a browser needs a message). */
  readonly probing: boolean;
  /** From the environment: attempts wait while offline. */
  readonly online: boolean;
  readonly visible: boolean;
  /** Hold retries while the page is hidden. */
  readonly pauseWhenHidden: boolean;
  /** Applied to error messages in records, which may quote a URL with its token. */
  readonly redact: (text: string) => string;
}

export interface Step {
  readonly machine: Machine;
  readonly effects: readonly Effect[];
}
