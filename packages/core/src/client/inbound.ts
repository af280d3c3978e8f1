import type { Clock, TimerHandle } from '../clock';
import type { InboundMessage, InvalidMessageEvent, MessageIssue } from '../events/clientEvents';
import { errorText, isThenable } from '../inputChecks';
import type { StandardIssue, StandardResult, StandardSchemaV1 } from '../standardSchema';

export interface InboundSinks<TMessage> {
  message(message: TMessage): void;
  invalid(event: InvalidMessageEvent): void;
  /** `isReady` accepted a message: the connection is stable. */
  ready(): void;
  /** `isReady` threw. */
  readyThrew(error: unknown): void;
  /** Too many messages wait for an async schema (true): stop reading; few enough again (false). */
  backlog(over: boolean): void;
  /** Past the limit, reading paused or not: let go of the connection feeding the backlog. */
  overflow(): void;
}

/**
 * Messages waiting for an async schema past which the connection stops being read (a server
 * faster than the app's validation, or a hostile flood: it waited in memory without bound), and
 * the count at which it is read again.
 */
export const BACKLOG_HIGH = 1000;
export const BACKLOG_LOW = 250;
/** The same marks in characters or bytes waiting: a few large messages pause reading too. */
export const BACKLOG_HIGH_SIZE = 16 * 2 ** 20;
export const BACKLOG_LOW_SIZE = 4 * 2 ** 20;
/**
 * At this many messages from one connection waiting (or this much, in more than one message),
 * that connection is let go: where reading cannot pause (a browser's WebSocket), or has not
 * paused yet, a flood faster than the schema would otherwise wait in memory without bound. A
 * connection is not let go for what the ones before it left waiting, unless with them twice
 * this much waits (connections opened one after another must not stack without bound).
 */
export const BACKLOG_MAX = 10_000;
export const BACKLOG_MAX_SIZE = 256 * 2 ** 20;
/**
 * A validation gets this long from its message's arrival: every later message waits behind it,
 * so one that never settles would stop the client hearing anything, on every connection after
 * it too. Past it, the message is invalid and the line moves on.
 */
export const VALIDATION_DEADLINE_MS = 60_000;
/**
 * And at least this long once its turn comes, while the schema keeps up (the one before it was
 * not late): a schema that works through a long backlog, a message at a time, loses none of it.
 */
export const TURN_GRACE_MS = 1000;

/** The validation at the head of the line, while it runs: when it is late, and its timer. */
interface Turn {
  readonly due: number;
  readonly late: () => void;
  timer?: TimerHandle;
}

/**
 * What happens to a message between the transport and the `message` event. Without a schema
 * it is one call; with one, text is JSON-parsed and validated, and a message that fails is an
 * `invalidMessage` event, never a throw out of the client. An async schema keeps arrival order.
 */
export class InboundPipeline<TMessage> {
  #awaitingReady = false;
  /** Connections opened so far: a message validated late counts for `isReady` only on its own. */
  #opened = 0;
  #chain: Promise<void> | undefined;
  /** Messages on the chain: later ones queue behind them. */
  #validating = 0;
  /** Messages waiting for the schema (an idle connection has none). */
  get validating(): number {
    return this.#validating;
  }
  /** Their size (characters of text, bytes of binary). */
  #size = 0;
  /** Of those, the current connection's (BACKLOG_MAX). */
  #own = 0;
  #ownSize = 0;
  #turn: Turn | undefined;
  /** The last turn ended late: the schema is not keeping up, so no grace for the next. */
  #lastLate = false;
  /** The client has failed: no deadline runs (it holds no timers); they run again when it revives. */
  #held = false;
  /** The client was closed: results of async validation still running are not delivered. */
  #stopped = false;
  /**
   * The connection (its id) the owner paused for the backlog, 0 for none: the owner sets it,
   * and the backlog's end resumes it. Its pong waits unread meanwhile (the heartbeat holds off).
   */
  pausedFor = 0;

  readonly #schema: StandardSchemaV1<unknown, TMessage> | undefined;
  readonly #isReady: ((message: TMessage) => boolean) | undefined;
  readonly #sinks: InboundSinks<TMessage>;
  readonly #clock: Clock;

  constructor(
    schema: StandardSchemaV1<unknown, TMessage> | undefined,
    isReady: ((message: TMessage) => boolean) | undefined,
    sinks: InboundSinks<TMessage>,
    clock: Clock,
  ) {
    this.#schema = schema;
    this.#isReady = isReady;
    this.#sinks = sinks;
    this.#clock = clock;
  }

  /** A connection opened: watch for the app's ready message again. */
  connectionOpened(): void {
    this.#awaitingReady = this.#isReady !== undefined;
    this.#opened++;
    this.#own = 0;
    this.#ownSize = 0;
  }

  stop(): void {
    this.#stopped = true;
    // Nothing left running once the client is closed (a Node process may exit).
    this.hold(true);
  }

  /** The client failed (true), or was revived (false): the head's deadline stops, or runs again. */
  hold(held: boolean): void {
    if (held === this.#held) return;
    this.#held = held;
    const turn = this.#turn;
    if (!turn) return;
    if (held) this.#clock.clearTimeout(turn.timer);
    else this.#time(turn);
  }

  receive(data: InboundMessage): void {
    const schema = this.#schema;
    const opened = this.#opened;
    if (!schema) {
      this.#deliver(data as TMessage, opened);
      return;
    }
    const outcome = check(schema, data);
    // Arrival order: while an earlier message still validates, every later outcome (even one
    // known at once: a sync result, text that is not JSON) waits its turn behind it.
    // Any thenable is async (a Promise from another realm, a library's own): as `await` takes it.
    if (isThenable(outcome) || this.#validating > 0) {
      const size = inboundSize(data);
      this.#size += size;
      this.#ownSize += size;
      const waiting = ++this.#validating;
      const own = ++this.#own;
      if (own >= BACKLOG_MAX || waiting >= 2 * BACKLOG_MAX || (own > 1 && this.#overSize())) this.#sinks.overflow();
      // Every message past the mark asks to pause the connection it came on (a new one too).
      else if (waiting >= BACKLOG_HIGH || this.#size >= BACKLOG_HIGH_SIZE) this.#sinks.backlog(true);
      const arrived = this.#clock.now();
      let settled = !isThenable(outcome);
      const result = Promise.resolve(outcome).then(undefined, threw);
      void result.then(() => {
        settled = true;
      });
      this.#chain = (this.#chain ?? Promise.resolve())
        .then(() => (settled ? this.#onTime(result) : this.#inTime(result, arrived)))
        .then((done) => {
          // Heard before reading resumes: what a transport hands over inside resume() comes after it.
          if (!this.#stopped) this.#validated(data, done, opened);
          this.#settled(size, opened);
        });
      return;
    }
    this.#validated(data, outcome, opened);
  }

  /** The result of the validation at the head of the line, or `late` at its deadline. */
  #inTime(result: Promise<StandardResult<TMessage>>, arrived: number): Promise<StandardResult<TMessage>> {
    const grace = this.#lastLate ? 0 : this.#clock.now() + TURN_GRACE_MS;
    return new Promise((resolve) => {
      const turn: Turn = {
        due: Math.max(arrived + VALIDATION_DEADLINE_MS, grace),
        late: () => {
          this.#turn = undefined;
          this.#lastLate = true;
          resolve(late);
        },
      };
      this.#turn = turn;
      void result.then((done) => {
        if (this.#turn !== turn) return; // late already
        this.#clock.clearTimeout(turn.timer);
        this.#turn = undefined;
        this.#lastLate = false;
        resolve(done);
      });
      this.#time(turn);
    });
  }

  /** Settled before its turn came: in time, so the schema keeps up (the next gets its grace). */
  #onTime(result: Promise<StandardResult<TMessage>>): Promise<StandardResult<TMessage>> {
    this.#lastLate = false;
    return result;
  }

  #time(turn: Turn): void {
    if (this.#held || this.#stopped) return;
    const left = turn.due - this.#clock.now();
    if (left <= 0) turn.late();
    else turn.timer = this.#clock.setTimeout(turn.late, left);
  }

  #overSize(): boolean {
    return this.#ownSize >= BACKLOG_MAX_SIZE || this.#size >= 2 * BACKLOG_MAX_SIZE;
  }

  #settled(size: number, opened: number): void {
    this.#size -= size;
    if (opened === this.#opened) {
      this.#own--;
      this.#ownSize -= size;
    }
    if (--this.#validating > BACKLOG_LOW || this.#size > BACKLOG_LOW_SIZE || this.pausedFor === 0) return;
    this.#sinks.backlog(false);
  }

  /**
   * A result that is not one (a schema's `validate` that forgot to return, issues not a list)
   * is an invalid message too: never a throw into the transport, nor a link of the chain left
   * rejected for the next message to trip on.
   */
  #validated(data: InboundMessage, result: StandardResult<TMessage>, opened: number): void {
    let issues: MessageIssue[] | undefined;
    let value: TMessage | undefined;
    try {
      if (typeof result !== 'object' || result === null) throw new TypeError(`got ${String(result)}`);
      if (result.issues) issues = Array.from(result.issues, toIssue);
      else value = result.value;
    } catch (error) {
      issues = [{ message: `the schema gave no usable result: ${errorText(error)}` }];
    }
    if (issues) this.#sinks.invalid({ data, issues });
    else this.#deliver(value as TMessage, opened);
  }

  #deliver(message: TMessage, opened: number): void {
    if (this.#awaitingReady && opened === this.#opened) {
      let ready = false;
      try {
        ready = this.#isReady?.(message) === true;
      } catch (error) {
        this.#sinks.readyThrew(error);
      }
      if (ready) {
        this.#awaitingReady = false;
        this.#sinks.ready();
      }
    }
    this.#sinks.message(message);
  }
}

/** JSON-parses text, then validates; a failure of either is a result with issues, not a throw. */
function check<TMessage>(
  schema: StandardSchemaV1<unknown, TMessage>,
  data: InboundMessage,
): StandardResult<TMessage> | Promise<StandardResult<TMessage>> {
  let value: unknown = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch (error) {
      return { issues: [{ message: `not JSON: ${(error as Error).message}` }] };
    }
  }
  try {
    return schema['~standard'].validate(value);
  } catch (error) {
    return threw(error);
  }
}

const threw = (error: unknown): { issues: StandardIssue[] } => ({
  issues: [{ message: `the schema threw: ${String(error)}` }],
});

const late = { issues: [{ message: `the schema did not settle within ${VALIDATION_DEADLINE_MS / 1000} s` }] };

function toIssue(issue: StandardIssue): MessageIssue {
  const path = issue.path?.map((segment) => (typeof segment === 'object' ? segment.key : segment));
  return path ? { message: issue.message, path } : { message: issue.message };
}

/** What an inbound message holds in memory, near enough: a string's length, a buffer's bytes. */
export const inboundSize = (data: InboundMessage): number => (typeof data === 'string' ? data.length : data.byteLength);
