/**
 * What the model knows: the client under test on a fake transport, a virtual clock and a fake
 * environment, plus everything the app handed to it and every trick played on it. The checks
 * compare the client's events, stats and wire traffic with this record.
 */
import { type Client, type CloseRecord, createClient, type DropReason } from '@resock/core';
import {
  createFakeEnvironment,
  createFakeTransport,
  createVirtualClock,
  type FakeConnection,
  type FakeTransport,
} from '@resock/core/testing';
import type { TransportHandlers } from '../../../src/transport';
import { type Config, canPing, clientOptions } from './modelConfig';
import type { ArmAction, ArmEvent } from './modelOps';
import { recordingTransport } from './recordingTransport';

/** One message the app handed to send(), and what has become of it. */
export interface Msg {
  /** Its place in send() order. */
  readonly k: number;
  readonly text: string;
  /** Its reliable id; undefined for an untracked message. */
  readonly id: number | undefined;
  readonly bytes: number;
  /** Connection indexes it was written to, in order. */
  readonly writes: number[];
  /** Send options: when it must stop waiting (send() time + ttlMs), now-or-never, its controller. */
  readonly deadline: number | undefined;
  readonly volatile: boolean;
  readonly signal: number | undefined;
  dropped: DropReason | undefined;
  acked: boolean;
  /** A newer message with the same id took its place in the outbox. */
  replaced: boolean;
  /**
   * That newer one was sent from inside a write: the send being written may have evicted this one
   * already, to be told (overflow) once it is done; the newer one is then a copy of its own.
   */
  replacedInWrite: boolean;
  /**
   * That newer one was sent while this one's send() was under way (from a listener or a write it
   * ran): this one may have taken its place already, and been taken out first if app code had
   * aborted its signal (or its ttlMs ran out): then it is dropped, not replaced.
   */
  replacedWhilePlacing?: boolean;
  /** The app took it back with takeQueued(). */
  taken: boolean;
  /** Sent with deliver(): what its promise has settled with so far (deliveryChecks.ts). */
  delivery?: { fate: string };
}

/** One connect() the client made; `fake` is missing when the transport threw. */
export interface Dial {
  readonly handlers: TransportHandlers;
  fake: FakeConnection | undefined;
  readonly at: number;
}

/** A wait the client announced in a `reconnecting` event, to hold it to. */
export interface Watch {
  dueAt: number;
  action: string;
  /**
   * Until when the server ordered the wait (a throttle's whole wait; a retry's `retryAfterMs`,
   * the rest being the client's back-off): only reconnect() may cut that part short.
   */
  serverDueAt: number | undefined;
  /** A pagehide came while it ran (the client suspends its timers). */
  suspended: boolean;
  emittedAt: number;
  rule: string;
}

/** A broken promise of the client's: thrown, it fails the run and fast-check shrinks it. */
export class Violation extends Error {}

export function fail(message: string): never {
  throw new Violation(message);
}

/** One real macrotask, so the client's promise callbacks (url, refresh, schema) run. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** An untracked message still waiting in the queue (a volatile one never waits). */
export const isQueued = (m: Msg) =>
  m.id === undefined && m.writes.length === 0 && !m.dropped && !m.taken && !m.volatile;
/** A tracked message the outbox still holds (written or not). */
export const isOutstanding = (m: Msg) => m.id !== undefined && !m.acked && !m.dropped && !m.replaced;
/** Its ttlMs is up at `at`: the client takes it out before any write (its event may come later). */
export const isDue = (m: Msg, at: number) => m.deadline !== undefined && m.deadline <= at;

/** One successful write: when, and inside which send() call (innermost). */
export interface WriteInfo {
  readonly at: number;
  readonly by: number | undefined;
}

export class World {
  readonly clock = createVirtualClock(Date.UTC(2026, 0, 1));
  readonly env = createFakeEnvironment();
  readonly abort = new AbortController();
  readonly startedAt = this.clock.now();
  readonly fake: FakeTransport;
  readonly client: Client;
  readonly dials: Dial[] = [];
  /** Lines of what happened, the tail of which a violation quotes. */
  readonly log: string[] = [];

  // Tricks set up for the transport to play.
  syncNext: 'accept' | 'fail' | 'reject401' | undefined;
  closeOnSend: Dial | undefined;
  echoOnSend: Dial | undefined;
  /** App code the transport runs inside its next send() of an app message (inWriteOps.ts). */
  inWrite: { run: (data: unknown) => void } | undefined;
  /** The messages being written while app code runs inside their write, innermost last. */
  readonly writing: Array<Msg | undefined> = [];
  /** How often app code ran inside a write; what it queued there, and on which connection. */
  inWriteRuns = 0;
  readonly owedOut: Array<{ msg: Msg; on: number }> = [];
  /** The replies echoed from inside send(), each with its connection; connections whose open was told. */
  readonly echoes = new Map<string, FakeConnection>();
  readonly openTold = new Set<FakeConnection>();
  readonly blipped = new Set<FakeConnection>();
  readonly trickling = new Set<FakeConnection>();
  /** Connection indexes that refuse writes, that moved bytes, whose peer went silent. */
  readonly refusing = new Set<number>();
  readonly moved = new Set<number>();
  readonly silent = new Set<number>();
  /** Per connection: when a write was first refused (its close deadline started). */
  readonly firstRefusal = new Map<number, number>();
  /** Per connection refused: its writes logged by then; a write after them ends the deadline. */
  readonly refusalMark = new Map<number, number>();
  lastJumpEnd = Number.NEGATIVE_INFINITY;

  // What the app sent, and what went out.
  readonly msgs: Msg[] = [];
  readonly byText = new Map<string, Msg>();
  nextK = 0;
  totalWrites = 0;
  /** How far each connection's `sent` has been read. */
  readonly scanned: number[] = [];
  /** The last k first-written (global send order). */
  lastFirstWrite = -1;
  lastClosedDrop = -1;
  /** Per connection: the unacked messages owed to it when it opened (written before). */
  readonly owedAtOpen = new Map<number, number[]>();
  /** A probe (offline with a heartbeat) is out on this connection: sends are held. */
  probeOut: number | undefined;
  /** probeOut, when the model is sure the probe went out (see emitEnv). */
  probeSure: number | undefined;
  /**
   * An offline probe a listener set off during this operation, whose answer comes at once but
   * is heard only once the write under way is done: sends meanwhile may wait for it.
   */
  probeMaybe: number | undefined;
  /** An idle close came, and no open since: the next open is a fresh start. */
  afterIdle = false;
  /** Opens that were such fresh starts (not reconnects). */
  freshOpens = 0;
  /** Messages handed to the client by the connection it listens to. */
  delivered = 0;
  /** Controllers whose signals went with send(); `aborted` once the model aborted one. */
  readonly controllers: Array<{ controller: AbortController; aborted: boolean }> = [];
  /** The k of each send() call under way, innermost last. */
  readonly sendStack: number[] = [];
  /** Per connection, one entry a write (aligned with its `sent`). */
  readonly writeLog: WriteInfo[][] = [];

  // Events, and what must follow them.
  /** The names of the events emitted so far, in order. */
  readonly events: string[] = [];
  stateTrail = 'idle';
  /** When the client last entered connecting: an attempt after one that failed before it dialled dials a turn later. */
  connectingSince = Number.NEGATIVE_INFINITY;
  /** After a close the client did not ask for: the lifecycle events that must follow. */
  afterClose: string[] = [];
  /** The first violation found inside a listener, where throwing would only make an event. */
  asyncViolation: string | undefined;
  readonly throwOn: string[] = [];
  /** Events whose first listener threw: each must still reach the others, then be an error event. */
  readonly thrown: string[] = [];
  armed: Array<{ event: ArmEvent; action: ArmAction }> = [];

  // The current outage, as the docs define it.
  /** Counted failures; undefined when the model cannot know. */
  failures: number | undefined = 0;
  /** When the outage began; NaN when unknown. */
  outageStart: number | undefined = undefined;
  openSince: number | undefined;
  watch: Watch | undefined;
  /** Operations since the watched wait was announced: which may cut it short. */
  opWhileWatch: string[] = [];
  /** The attempt under way is one reconnect(), open() or a move started (reconnect() leaves it be); undefined: unknown. */
  freshAttempt: boolean | undefined = false;
  /**
   * When the last attempt the app asked for (reconnect(), open()) dials, at the latest: each may
   * wait until MIN_ASKED_DIAL_MS after the one before. Counted for every call, also one left be,
   * so it is never before the client's own mark.
   */
  askedMark: number | undefined;

  // Calls listeners made during the current operation.
  reentrantReconnect = false;
  /** Environment changes listeners made during the current operation. */
  reentrantOps: string[] = [];
  reentrantSuspend = false;
  reentrantCalls = 0;

  // close() and opened().
  closeSettled: CloseRecord | undefined;
  eventsAtSettle = 0;
  dialsAtSettle = 0;
  openedWaiters: Array<{ settled: 'pending' | 'resolved' | 'rejected'; eventsAt: number }> = [];

  // Stats seen last, which must never go down.
  lastAttempts = 0;
  lastReconnects = 0;
  lastUptime = 0;

  constructor(readonly cfg: Config) {
    this.fake = createFakeTransport({ terminate: cfg.terminate, ping: canPing(cfg) });
    this.client = createClient(
      clientOptions(cfg, {
        transport: recordingTransport(this),
        clock: this.clock,
        environment: this.env,
        signal: this.abort.signal,
      }),
    );
    // A client that is not lazy starts connecting inside createClient, before any listener.
    this.stateTrail = this.client.state;
  }

  /** Index of the newest connection (dials whose connect() threw have none). */
  get newest(): number {
    return this.fake.connections.length - 1;
  }

  current(): FakeConnection | undefined {
    return this.dials.at(-1)?.fake;
  }

  /**
   * Which unacked tracked messages, already written once, are owed first on a new connection
   * (not those whose ttlMs is up: the flush takes them out first).
   */
  owed(): Msg[] {
    const now = this.clock.now();
    return this.msgs.filter((m) => isOutstanding(m) && m.writes.length > 0 && !isDue(m, now));
  }

  /** Notes what the newest connection owes, just before it opens. */
  noteOwedAtOpen(): void {
    this.owedAtOpen.set(
      this.newest,
      this.owed().map((m) => m.k),
    );
  }

  /** Messages never written: the queue, and tracked messages not sent yet (ttlMs not up). */
  pendingMsgs(): Msg[] {
    const now = this.clock.now();
    return this.msgs.filter((m) => (isQueued(m) || (isOutstanding(m) && m.writes.length === 0)) && !isDue(m, now));
  }

  /** A write was refused on connection `index`: its close deadline starts (unless it runs). */
  noteRefusal(index: number): void {
    if (this.firstRefusal.has(index)) return;
    this.firstRefusal.set(index, this.clock.now());
    this.refusalMark.set(index, this.writeLog[index]?.length ?? 0);
  }

  /** Whether the client has let go of dial `index`: a newer dial exists, or it ended it itself. */
  isLetGo(index: number): boolean {
    if (index < this.dials.length - 1) return true;
    const dial = this.dials[index];
    if (!dial?.fake) return false;
    if (dial.fake.terminated) return true;
    // A polite close the client sent: let go unless it is the app's close still in progress.
    if (dial.fake.closeCall && this.client.state !== 'closing') return true;
    return false;
  }

  /** Whether the newest dial is one the client has let go of. */
  newestLetGo(): boolean {
    return this.isLetGo(this.dials.length - 1);
  }

  /** The server sends a message the client will hand to the app. */
  serverSays(conn: FakeConnection, text: string): void {
    // The peer spoke (before any listener runs): it answers a probe that is surely out. One a
    // listener asked for may start only after this message is heard (a reply echoed from inside
    // a write waits for the write; the offline waits in the mailbox): it may still be out.
    if (this.probeSure === this.probeOut) this.probeOut = undefined;
    this.delivered++;
    conn.deliver(text);
  }

  /** The end of an operation: what listeners did during it no longer counts. */
  endStep(): void {
    this.reentrantReconnect = false;
    this.reentrantOps = [];
    this.reentrantSuspend = false;
    this.probeMaybe = undefined;
  }
}
