/**
 * Model-based test of the reconnecting client. fast-check draws a client setup
 * (modelConfig.ts) and 20–80 operations (modelOps.ts): app calls, server actions, transport
 * callbacks, stale callbacks of let-go connections, time, page changes, bad input, listeners
 * that throw or call back in, per-message send options (volatile, ttlMs, an abort signal;
 * optionOps.ts, checked by optionChecks.ts), and app code a transport runs inside its send()
 * while a message is in flight (aborts, sends, close(), takeQueued(); inWriteOps.ts). One
 * client on the fake transport, virtual clock and fake environment runs them (scenario.ts)
 * while a small model of what the app handed it (modelState.ts) is held against every event
 * (eventChecks.ts, outageChecks.ts), every write (wireChecks.ts) and, after each step, the
 * invariants from the README, docs/close-codes.md and the source comments (invariants.ts).
 *
 * A failure reports the seed, the shrunk setup and operations, and the violated promise with
 * the last operations before it. The run is deterministic: MODEL_SEED=<that seed> replays it
 * (MODEL_RUNS at least as large as when it failed); MODEL_RUNS=20000 with other seeds searches
 * deeper.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { configArb } from './modelConfig';
import { opsArb } from './modelOps';
import { runScenario } from './scenario';

describe('reconnecting client, model-based', () => {
  it('holds its documented invariants over random sequences of operations', async () => {
    await fc.assert(fc.asyncProperty(configArb, opsArb, runScenario), {
      // About 5 s on two cores (the in-write cases needed 20 000–40 000 runs of some seeds to
      // show); raise MODEL_RUNS for a deeper search.
      numRuns: Number(process.env.MODEL_RUNS ?? 4000),
      seed: Number(process.env.MODEL_SEED ?? 11),
    });
  }, 60_000);
});
