/**
 * One run of the model: a world for the drawn setup, the drawn operations carried out one by
 * one (app and server operations live in appOps and serverOps; time is here) with the
 * invariants checked after each, then close() — which must settle and leave nothing running.
 */
import { appOps } from './appOps';
import { listen } from './eventChecks';
import { checkInvariants } from './invariants';
import { inWriteOps } from './inWriteOps';
import type { Config } from './modelConfig';
import type { Op, OpHandlers } from './modelOps';
import { fail, tick, Violation, World } from './modelState';
import { optionOps } from './optionOps';
import { serverOps } from './serverOps';
import { scanWire } from './wireChecks';

/**
 * Moves time forward `ms`, timer by timer, letting promise callbacks run and reading the wire
 * between timers (a trickling link moves a byte before each).
 */
export async function advance(world: World, ms: number): Promise<void> {
  const { clock } = world;
  const target = clock.now() + ms;
  for (;;) {
    const next = clock.nextDueAt();
    if (next === undefined || next > target) break;
    for (const conn of world.trickling) conn.moveBytes(1);
    clock.advance(Math.max(0, next - clock.now()));
    await tick();
    scanWire(world);
  }
  clock.advance(target - clock.now());
  await tick();
}

const timeOps = {
  advance: (world, op) => advance(world, op.ms),
  async jump(world, op) {
    world.clock.jump(op.ms);
    world.lastJumpEnd = world.clock.now();
    await advance(world, 0);
  },
  async runNext(world) {
    const next = world.clock.nextDueAt();
    if (next !== undefined) await advance(world, Math.max(0, Math.ceil(next - world.clock.now())));
  },
} satisfies Partial<OpHandlers<World>>;

// Together they must handle every operation: a missing one is a type error here.
const handlers: OpHandlers<World> = { ...appOps, ...optionOps, ...serverOps, ...inWriteOps, ...timeOps };

export async function applyOp(world: World, op: Op): Promise<void> {
  // reconnect(), online and pageshow may cut a wait short: what came since it was announced.
  if (world.watch) world.opWhileWatch.push(op.t === 'env' ? `env:${op.change}` : op.t);
  // The table pairs each tag with its handler; TypeScript cannot follow that through op.t.
  const handle = handlers[op.t] as (world: World, op: Op) => void | Promise<void>;
  await handle(world, op);
}

/** The last operations, for a violation's message (fast-check shows the whole sequence too). */
const recentOps = (world: World) => world.log.slice(-12).join('\n    ');

export async function runScenario(cfg: Config, ops: Op[]): Promise<void> {
  const world = new World(cfg);
  listen(world);
  await tick();
  checkInvariants(world);
  for (const [i, op] of ops.entries()) {
    world.log.push(`${i}: ${JSON.stringify(op)} @${world.clock.now()} ${world.client.state}`);
    try {
      await applyOp(world, op);
      await tick();
      checkInvariants(world);
      world.endStep();
    } catch (caught) {
      // A violation found first inside a listener or a write (recorded, not thrown there) is the cause.
      const first = world.asyncViolation;
      const error =
        first && !(caught instanceof Violation && caught.message === first)
          ? new Violation(`${first}\n  (then: ${caught instanceof Error ? caught.message : String(caught)})`)
          : caught;
      if (error instanceof Violation) {
        error.message += `\n  after ops:\n    ${recentOps(world)}\n  now: ${world.client.state}`;
        throw error;
      }
      throw new Violation(`op ${JSON.stringify(op)} threw ${String(error)}\n  after ops:\n    ${recentOps(world)}`);
    }
  }
  await closeAtTheEnd(world);
}

/**
 * close() settles once time passes closeTimeoutMs (twelve of them at most, while bytes move);
 * then nothing is left running, and no later change or time makes anything happen.
 */
async function closeAtTheEnd(world: World): Promise<void> {
  const state = world.client.state;
  await applyOp(world, { t: 'close', code: undefined, reason: undefined });
  await tick();
  for (let i = 0; i < 12 && !world.closeSettled; i++) {
    await advance(world, world.cfg.closeTimeoutMs + 1001);
  }
  if (!world.closeSettled) fail(`close() did not settle (from ${state})\n    ${recentOps(world)}`);
  checkInvariants(world);
  if (world.client.state !== 'closed') fail('not closed after close() resolved');
  if (world.clock.pending() !== 0) fail('timers pending after close()');
  for (const change of ['online', 'pageshow', 'visible'] as const) world.env.emit(change);
  await advance(world, 1_000_000);
  checkInvariants(world);
}
