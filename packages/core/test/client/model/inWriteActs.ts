/**
 * What app code a transport runs inside its send() may do (inWriteOps.ts carries it out): a
 * hand-written in-process transport whose write, once the frame left, fires an abort listener,
 * sends, closes the client or takes the queue back, or the page or its network goes meanwhile
 * (an environment event heard while the frame is written). The message being written is in flight.
 */
import fc from 'fast-check';

/**
 * One call made from inside the write. `inFlight` stands for the message being written (its
 * signal, its reliable id), `waiting` for one still waiting (picked by `pick`), `shared` for a
 * signal several waiting messages hold (the one in flight among them, when it can).
 */
export type InWriteAct =
  | { a: 'abort'; which: 'inFlight' | 'waiting' | 'shared'; pick: number }
  | {
      a: 'send';
      id: 'none' | 'fresh' | 'inFlight' | 'waiting';
      signal: 'none' | 'fresh' | 'inFlight' | 'waiting' | 'aborted';
      volatile: boolean;
      ttlMs: number | undefined;
      pick: number;
      pad: number;
    }
  | { a: 'close' }
  | { a: 'takeQueued' }
  | { a: 'env'; change: 'offline' | 'pagehide' };

const actArb: fc.Arbitrary<InWriteAct> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      a: fc.constant('abort' as const),
      which: fc.constantFrom('inFlight' as const, 'inFlight' as const, 'waiting' as const, 'shared' as const),
      pick: fc.nat(7),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      a: fc.constant('send' as const),
      id: fc.constantFrom(
        'none' as const,
        'fresh' as const,
        'inFlight' as const,
        'inFlight' as const,
        'waiting' as const,
      ),
      signal: fc.constantFrom(
        'none' as const,
        'none' as const,
        'fresh' as const,
        'inFlight' as const,
        'waiting' as const,
        'aborted' as const,
      ),
      volatile: fc.constantFrom(false, false, false, true),
      ttlMs: fc.option(fc.constantFrom(0, 100, 1000, 30_000), { nil: undefined, freq: 3 }),
      pick: fc.nat(7),
      pad: fc.nat(20),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ a: 'close' as const }) },
  { weight: 2, arbitrary: fc.constant({ a: 'takeQueued' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      a: fc.constant('env' as const),
      change: fc.constantFrom('offline' as const, 'pagehide' as const),
    }),
  },
);

/**
 * The operation: the transport's next send() of an app message runs these calls. With
 * `backlog`, while open, a message is first left waiting (the socket refuses it, then takes
 * writes again), so that the next send() flushes it first: the write is then one of a flush
 * that a send() call started.
 */
export const inWriteArb = fc.record({
  t: fc.constant('inWrite' as const),
  acts: fc.array(actArb, { minLength: 1, maxLength: 3 }),
  backlog: fc.boolean(),
  pad: fc.nat(20),
});
