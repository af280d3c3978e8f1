/**
 * App code run by the transport inside its send(), once the frame left (inWriteActs.ts says
 * what it may do). The message being written is in flight: whatever that code does, it is
 * written once on its connection, never told dropped as untracked (it went out), never handed
 * back by takeQueued(), never mistaken for a copy that replaced it under its reliable id; and a
 * message sent from there waits its turn behind it, then goes out with the flush under way.
 * The checks that hold it to this are the model's usual ones (wire, events, accounting, the
 * invariants after the step) plus checkOwedOut below and the close-frame check of the transport.
 */
import { emitEnv, startClose, takeQueued } from './appCalls';
import type { InWriteAct } from './inWriteActs';
import type { OpHandlers, SendOpts } from './modelOps';
import { fail, isDue, isOutstanding, isQueued, type Msg, type World } from './modelState';
import { abortController } from './optionOps';
import { doSend } from './sendCall';
import { serverOps } from './serverOps';
import { scanWire } from './wireChecks';

/** Messages that still wait, with the one in flight (written already, but not yet out of its store). */
function waitingWith(world: World, inFlight: Msg | undefined): Msg[] {
  return world.msgs.filter((m) => m === inFlight || isQueued(m) || isOutstanding(m));
}

const live = (world: World, index: number | undefined): index is number =>
  index !== undefined && world.controllers[index]?.aborted === false;

/** A live controller held by waiting messages; with `shared`, one held by two or more if any. */
function pickController(world: World, inFlight: Msg | undefined, pick: number, shared: boolean): number | undefined {
  const held = new Map<number, number>();
  for (const m of waitingWith(world, inFlight))
    if (live(world, m.signal)) held.set(m.signal, (held.get(m.signal) ?? 0) + 1);
  let candidates = [...held.keys()];
  const several = candidates.filter((i) => (held.get(i) ?? 0) >= 2);
  if (shared && several.length > 0) candidates = several;
  return candidates.length === 0 ? undefined : candidates[pick % candidates.length];
}

function abort(world: World, act: Extract<InWriteAct, { a: 'abort' }>, inFlight: Msg | undefined): void {
  const index =
    act.which === 'inFlight' ? inFlight?.signal : pickController(world, inFlight, act.pick, act.which === 'shared');
  if (!live(world, index)) {
    world.log.push(`   (in the write: no signal to abort for ${act.which})`);
    return;
  }
  const holders = waitingWith(world, inFlight).filter((m) => m.signal === index);
  world.log.push(`   (in the write: abort of signal ${index}, held by ${holders.map((m) => m.k).join(',')})`);
  // Reentrant: the messages it takes out are told once the write is done (checked as they are).
  abortController(world, index, true);
}

function send(world: World, act: Extract<InWriteAct, { a: 'send' }>, inFlight: Msg | undefined): void {
  let id: 'none' | 'fresh' = act.id === 'none' ? 'none' : 'fresh';
  let exactId: number | undefined;
  if (act.id === 'inFlight' && inFlight?.id !== undefined) exactId = inFlight.id;
  if (act.id === 'waiting') {
    const ids = world.msgs.filter((m) => m !== inFlight && isOutstanding(m)).map((m) => m.id as number);
    exactId = ids.length > 0 ? ids[act.pick % ids.length] : undefined;
  }
  if (exactId === undefined && act.id !== 'none') id = 'fresh';
  let signal: SendOpts['signal'] = act.signal === 'aborted' ? 'aborted' : act.signal === 'none' ? 'none' : 'fresh';
  let pick = 0;
  const kept = act.signal === 'inFlight' ? inFlight?.signal : pickController(world, inFlight, act.pick, false);
  if ((act.signal === 'inFlight' || act.signal === 'waiting') && kept !== undefined) {
    signal = 'reuse';
    pick = kept; // askedOf takes pick modulo the controllers: the index itself
  }
  const opts: SendOpts = { volatile: act.volatile, ttlMs: act.ttlMs, signal, pick };
  world.log.push(`   (in the write: send ${JSON.stringify({ ...opts, id: exactId ?? id })})`);
  doSend(world, { t: 'send', id, reuse: 0, pad: act.pad, opts }, true, exactId);
}

/** Runs the armed calls inside the write of `data` (its frame has left): app code, so a violation is recorded. */
function runInWrite(world: World, acts: readonly InWriteAct[], data: unknown): void {
  const inFlight = typeof data === 'string' ? world.byText.get(data) : undefined;
  world.log.push(`   (the transport runs app code inside the write of ${inFlight?.k ?? String(data)})`);
  world.inWriteRuns++;
  // Like a listener's call: the send() under way (if any) may see its message moved on.
  world.reentrantCalls++;
  world.writing.push(inFlight);
  try {
    scanWire(world); // the frame left: the message in flight is on the wire
    for (const act of acts) {
      if (act.a === 'abort') abort(world, act, inFlight);
      else if (act.a === 'send') send(world, act, inFlight);
      else if (act.a === 'close') {
        world.log.push(`   (in the write: close() while ${world.client.state})`);
        startClose(world, undefined, undefined);
      } else if (act.a === 'env') {
        world.log.push(`   (in the write: env ${act.change})`);
        emitEnv(world, act.change, true);
      } else {
        world.log.push('   (in the write: takeQueued())');
        takeQueued(world);
      }
    }
  } catch (error) {
    // Thrown into the transport's send(), it would look like a refused write to the client.
    world.asyncViolation ??= `inside the write of ${inFlight?.k}: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    world.writing.pop();
  }
}

/**
 * After each step: a message queued from inside a write (behind the one in flight) went out with
 * the flush under way, unless the connection cannot take it (closed, let go, refusing, a probe out).
 */
export function checkOwedOut(world: World): void {
  const now = world.clock.now();
  const index = world.newest;
  const takes =
    world.client.state === 'open' &&
    world.current()?.state === 'open' &&
    !world.newestLetGo() &&
    !world.refusing.has(index) &&
    world.probeOut !== index;
  for (const { msg, on } of world.owedOut) {
    const waits = isQueued(msg) || (isOutstanding(msg) && msg.writes.length === 0);
    if (takes && on === index && waits && !isDue(msg, now))
      fail(`message ${msg.k}, queued from inside a write, still waits on a connection that takes messages`);
  }
  world.owedOut.length = 0;
}

export const inWriteOps = {
  inWrite(world, op) {
    if (op.backlog && world.client.state === 'open' && world.current()?.state === 'open' && !world.newestLetGo()) {
      // As the refuseSends operations and a send between them would: the message waits.
      serverOps.refuseSends(world, { t: 'refuseSends', on: true });
      doSend(world, { t: 'send', id: 'none', reuse: 0, pad: op.pad, opts: undefined }, false);
      serverOps.refuseSends(world, { t: 'refuseSends', on: false });
    }
    world.inWrite = { run: (data) => runInWrite(world, op.acts, data) };
  },
} satisfies Partial<OpHandlers<World>>;
