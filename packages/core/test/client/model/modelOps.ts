/**
 * The operations the model test draws: app calls, server and transport actions, time, page
 * changes, bad input, stale callbacks of let-go connections, and listener tricks (a call made
 * from inside an event, a listener that throws). The weights set how often each comes up.
 */
import fc from 'fast-check';
import { type InWriteAct, inWriteArb } from './inWriteActs';

export const badSends = ['null', 'number', 'object', 'undefined', 'detached', 'shared', 'symbol', 'bigint'] as const;
export type BadSend = (typeof badSends)[number];

const badCloses = [
  1001,
  999,
  2999,
  5000,
  'nan',
  'float',
  'string',
  'null',
  'longReason',
  'reasonNumber',
  'reasonNull',
] as const;
export type BadClose = (typeof badCloses)[number];

/** Send options send() must refuse with InvalidOptionsError (changing nothing). */
export const badOptions = [
  'negative',
  'nan',
  'negativeInfinity',
  'tooBig',
  'volatileString',
  'signalObject',
  'unknownKey',
  'mixed',
  'number',
  'string',
  'null',
  'array',
] as const;
export type BadOption = (typeof badOptions)[number];

/**
 * A send's options: `signal` a fresh controller the world keeps, one it keeps already (`pick`),
 * or one aborted before the call. ttlMs around the time steps drawn below (0: out now or never).
 */
export interface SendOpts {
  volatile: boolean;
  ttlMs: number | undefined;
  signal: 'none' | 'fresh' | 'reuse' | 'aborted';
  pick: number;
}

const sendOptsArb: fc.Arbitrary<SendOpts> = fc.record({
  volatile: fc.constantFrom(false, false, false, true),
  ttlMs: fc.option(fc.constantFrom(0, 1, 100, 999, 1000, 1500, 3000, 5000, 30_000, 60_000), { nil: undefined }),
  signal: fc.constantFrom('none' as const, 'fresh' as const, 'fresh' as const, 'reuse' as const, 'aborted' as const),
  pick: fc.nat(7),
});

const changes = ['online', 'offline', 'visible', 'hidden', 'pagehide', 'pageshow'] as const;
export type Change = (typeof changes)[number];

/** The events a listener can be armed on (to throw, or to call back into the client). */
export const armEvents = ['open', 'close', 'state', 'reconnecting', 'failed', 'dropped', 'acked', 'message'] as const;
export type ArmEvent = (typeof armEvents)[number];

/** What an armed listener calls; the repeats make sends and reconnects come up more often. */
const armActions = [
  'send',
  'send',
  'sendTracked',
  'sendTracked',
  'sendVolatile',
  'sendTtl',
  'abortSignal',
  'close',
  'reconnect',
  'reconnect',
  'disconnect',
  'takeQueued',
  'opened',
  'serverDrop',
  'serverAccept',
  'env:offline',
  'env:online',
  'env:pagehide',
  'env:pageshow',
] as const;
export type ArmAction = (typeof armActions)[number];

export type Op =
  | { t: 'send'; id: 'none' | 'fresh' | 'reuse'; reuse: number; pad: number; opts: SendOpts | undefined }
  | { t: 'sendBad'; what: BadSend }
  | { t: 'sendBadOptions'; what: BadOption }
  /** Aborts one of the controllers whose signals went with send(). */
  | { t: 'abortSignal'; pick: number }
  | { t: 'accept' }
  | { t: 'serverMessage'; text: string }
  | { t: 'ack'; pick: number }
  | { t: 'serverClose'; code: number; reason: string }
  | { t: 'reject'; status: number; retryAfter: number | undefined }
  | { t: 'fail' }
  | { t: 'drop' }
  | { t: 'transportError' }
  | { t: 'failNextConnect' }
  | { t: 'refuseSends'; on: boolean }
  | { t: 'goSilent' }
  | { t: 'moveBytes' }
  | { t: 'advance'; ms: number }
  /** Time passes with no timer firing (a frozen tab); the overdue ones fire late, then. */
  | { t: 'jump'; ms: number }
  | { t: 'pongMsg' }
  /** Time moves to the next timer, whatever it is. */
  | { t: 'runNext' }
  /** The current connection moves bytes before every timer from now on (a slow link). */
  | { t: 'trickle' }
  /** A protocol pong from the server (needed after goSilent). */
  | { t: 'pong' }
  | { t: 'abort' }
  /** The transport's next connect() calls back before it returns (a synchronous transport). */
  | { t: 'syncConnect'; what: 'accept' | 'fail' | 'reject401' }
  /** The current connection's next send() is followed, inside it, by the link dropping. */
  | { t: 'closeOnSend' }
  /** The pending connection refuses writes while it opens, then takes them again (backpressure). */
  | { t: 'blip' }
  /** The current connection's next send() delivers a server message from inside it (loopback). */
  | { t: 'echoOnSend' }
  /** The transport's next send() of an app message runs app code inside it (inWriteActs.ts). */
  | { t: 'inWrite'; acts: InWriteAct[]; backlog: boolean; pad: number }
  /** The next such event's first listener throws. */
  | { t: 'armThrow'; event: ArmEvent }
  | { t: 'env'; change: Change }
  | { t: 'reconnect' }
  | { t: 'open' }
  /** disconnect(): idle, held until open() or reconnect(). */
  | { t: 'disconnect' }
  | { t: 'close'; code: number | undefined; reason: string | undefined }
  | { t: 'closeBad'; what: BadClose }
  | { t: 'takeQueued' }
  | { t: 'opened' }
  | { t: 'stale'; pick: number; what: 'open' | 'message' | 'close' | 'error' | 'pong' }
  /** On the next such event, a listener makes this call (re-entrancy). */
  | { t: 'arm'; event: ArmEvent; action: ArmAction };

/** How each operation is carried out, one function a tag; W is the world it acts on. */
export type OpHandlers<W> = { [T in Op['t']]: (world: W, op: Extract<Op, { t: T }>) => void | Promise<void> };

/** Valid codes, reserved ones and out-of-range ones: the client must classify each. */
const closeCodes = [
  1000, 1001, 1002, 1005, 1006, 1008, 1011, 1012, 1013, 1015, 3000, 3003, 3008, 4000, 4001, 4321, 4999, 999, 1004, 1016,
  2999, 5000, 0,
];

/** An operation without parameters, drawn with the given weight. */
const just = (op: Op, weight: number) => ({ weight, arbitrary: fc.constant(op) });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 32,
    arbitrary: fc.record({
      t: fc.constant('send' as const),
      id: fc.constantFrom('none' as const, 'fresh' as const, 'fresh' as const, 'reuse' as const),
      reuse: fc.nat(3),
      pad: fc.nat(40),
      opts: fc.option(sendOptsArb, { nil: undefined, freq: 2 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('sendBad' as const), what: fc.constantFrom(...badSends) }) },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('sendBadOptions' as const), what: fc.constantFrom(...badOptions) }),
  },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('abortSignal' as const), pick: fc.nat(7) }) },
  just({ t: 'accept' }, 24),
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('serverMessage' as const),
      text: fc.constantFrom('hello from the server', '{"hello":1}', '"ready"'),
    }),
  },
  { weight: 16, arbitrary: fc.record({ t: fc.constant('ack' as const), pick: fc.nat(1000) }) },
  {
    weight: 16,
    arbitrary: fc.record({
      t: fc.constant('serverClose' as const),
      code: fc.oneof(fc.constantFrom(...closeCodes), fc.integer({ min: 4000, max: 4999 })),
      reason: fc.constantFrom(
        '',
        'bye',
        'x'.repeat(130),
        '{"retryAfter":20}',
        '{"retryAfterMs":400}',
        '{"retryAfter":900}',
      ),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('reject' as const),
      status: fc.constantFrom(401, 429, 429, 503, 503, 403, 500),
      retryAfter: fc.option(fc.integer({ min: 0, max: 900 }), { nil: undefined }),
    }),
  },
  just({ t: 'fail' }, 8),
  just({ t: 'drop' }, 8),
  just({ t: 'transportError' }, 4),
  just({ t: 'failNextConnect' }, 4),
  { weight: 12, arbitrary: fc.record({ t: fc.constant('refuseSends' as const), on: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('jump' as const), ms: fc.constantFrom(500, 1500, 4000, 20_000, 60_000) }),
  },
  just({ t: 'pongMsg' }, 4),
  just({ t: 'runNext' }, 16),
  just({ t: 'trickle' }, 2),
  just({ t: 'pong' }, 2),
  just({ t: 'abort' }, 1),
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('syncConnect' as const),
      what: fc.constantFrom('accept' as const, 'fail' as const, 'reject401' as const),
    }),
  },
  just({ t: 'closeOnSend' }, 2),
  just({ t: 'blip' }, 6),
  just({ t: 'echoOnSend' }, 2),
  { weight: 8, arbitrary: inWriteArb },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('armThrow' as const), event: fc.constantFrom(...armEvents) }) },
  just({ t: 'goSilent' }, 4),
  just({ t: 'moveBytes' }, 4),
  {
    weight: 24,
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.constantFrom(1, 10, 100, 500, 999, 1000, 1500, 3000, 5000, 10_000, 30_000, 60_000, 300_000, 700_000),
    }),
  },
  { weight: 12, arbitrary: fc.record({ t: fc.constant('env' as const), change: fc.constantFrom(...changes) }) },
  just({ t: 'reconnect' }, 4),
  just({ t: 'open' }, 4),
  just({ t: 'disconnect' }, 2),
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('close' as const),
      code: fc.option(fc.constantFrom(1000, 3000, 4000, 4999), { nil: undefined }),
      reason: fc.option(fc.constantFrom('', 'bye', 'é'.repeat(61)), { nil: undefined }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('closeBad' as const), what: fc.constantFrom(...badCloses) }) },
  just({ t: 'takeQueued' }, 4),
  just({ t: 'opened' }, 4),
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('stale' as const),
      pick: fc.nat(1000),
      what: fc.constantFrom('open' as const, 'message' as const, 'close' as const, 'error' as const, 'pong' as const),
    }),
  },
);

const armArb: fc.Arbitrary<Op> = fc.record({
  t: fc.constant('arm' as const),
  event: fc.constantFrom(...armEvents),
  action: fc.constantFrom(...armActions),
});

/** One run's operations: long enough to reach the states deep in the client's lifecycle. */
export const opsArb = fc.array(fc.oneof({ weight: 12, arbitrary: opArb }, { weight: 1, arbitrary: armArb }), {
  minLength: 20,
  maxLength: 80,
  size: 'max',
});
