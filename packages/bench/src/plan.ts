/**
 * How much each benchmark does: the full run (`pnpm bench`, the README's table) or the smoke
 * run CI makes (a small run of each, to prove they work, whose figures mean nothing).
 */
export function runPlan(smoke: boolean) {
  return smoke
    ? {
        small: 300,
        large: 100,
        rounds: 1,
        memoryClients: 20,
        idleMs: 300,
        processes: 1,
        trials: 3,
        stormClients: 10,
        scale: 2000,
        bufferTtlMs: 2000,
        aborts: 2000,
        unacked: 5000,
        unackedSends: 5000,
        unackedRounds: 1,
        teardownRounds: 1,
      }
    : {
        small: 20_000,
        large: 3000,
        rounds: 7,
        memoryClients: 1000,
        idleMs: 6000,
        processes: 3,
        trials: 30,
        stormClients: 200,
        scale: 100_000,
        bufferTtlMs: 30_000,
        aborts: 20_000,
        unacked: 50_000,
        unackedSends: 100_000,
        unackedRounds: 3,
        teardownRounds: 2,
      };
}
