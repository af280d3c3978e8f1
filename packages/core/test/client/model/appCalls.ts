/**
 * The app's calls besides send(), each made the way the app would and checked on the spot:
 * calls that must throw, calls that must change nothing, close(), takeQueued(), opened(), and
 * the environment changes a page reports.
 */

import type { Change } from './modelOps';
import { fail, isQueued, type Msg, type World } from './modelState';
import { scanWire } from './wireChecks';

export function expectThrow(what: string, call: () => unknown, type: new (...args: never[]) => Error): void {
  try {
    call();
  } catch (error) {
    if (!(error instanceof type)) fail(`${what}: threw ${String(error)}, expected ${type.name}`);
    return;
  }
  fail(`${what}: did not throw ${type.name}`);
}

/** A call that must change nothing: same state, no events, same stats, no dial. */
export function unchanged(world: World, what: string, call: () => void): void {
  const { client } = world;
  const events = world.events.length;
  const state = client.state;
  const stats = JSON.stringify(client.stats);
  const dials = world.dials.length;
  call();
  if (world.events.length !== events) fail(`${what}: emitted ${world.events.slice(events).join(',')}`);
  if (client.state !== state) fail(`${what}: state ${state} → ${client.state}`);
  if (JSON.stringify(client.stats) !== stats) fail(`${what}: stats changed`);
  if (world.dials.length !== dials) fail(`${what}: dialed`);
}

/** close(); once it resolves, the world notes how much had happened, for nothing more may. */
export function startClose(world: World, code: number | undefined, reason: string | undefined): void {
  const { client } = world;
  world.probeOut = undefined;
  const promise = reason === undefined ? client.close(code) : client.close(code, reason);
  promise.then(
    (record) => {
      if (world.closeSettled) return;
      world.closeSettled = record;
      world.eventsAtSettle = world.events.length;
      world.dialsAtSettle = world.dials.length;
    },
    (error: unknown) => {
      world.asyncViolation ??= `close() rejected: ${String(error)}`;
    },
  );
}

export function takeQueued(world: World): void {
  // What went out already (the message in flight, when called from inside its write) is not queued.
  scanWire(world);
  const taken = world.client.takeQueued();
  const expected = world.msgs.filter(isQueued);
  // In order, oldest first. (From a `dropped` listener, messages evicted in the same send and
  // not reported yet are no longer there: their own dropped events follow.)
  let at = 0;
  for (const text of taken) {
    while (at < expected.length && (expected[at] as Msg).text !== text) at++;
    if (at === expected.length)
      fail(`takeQueued gave ${JSON.stringify(taken)}, expected ${JSON.stringify(expected.map((m) => m.text))}`);
    (expected[at] as Msg).taken = true;
  }
}

/** opened(): the invariants hold the promise to settle after the next open, failed or close. */
export function callOpened(world: World): void {
  const waiter: World['openedWaiters'][number] = { settled: 'pending', eventsAt: world.events.length };
  let promise: Promise<unknown>;
  try {
    promise = world.client.opened();
  } catch (error) {
    fail(`opened() threw ${String(error)}`);
  }
  world.openedWaiters.push(waiter);
  promise.then(
    () => {
      waiter.settled = 'resolved';
    },
    () => {
      waiter.settled = 'rejected';
    },
  );
}

/** The page reports a change; `reentrant` when a listener caused it (it may run later). */
export function emitEnv(world: World, change: Change, reentrant: boolean): void {
  const state = world.client.state;
  const index = world.newest;
  // Offline with a heartbeat, the client probes the link and holds sends until the peer answers;
  // only an app-level ping or a silent peer leaves the probe out past this step.
  if (
    change === 'offline' &&
    (state === 'open' || reentrant) &&
    world.cfg.heartbeat &&
    (world.cfg.appPing || world.silent.has(index))
  ) {
    world.probeOut = index;
    // From outside while open, it is surely out; from a listener, perhaps later or never.
    world.probeSure = reentrant ? undefined : index;
  } else if (change === 'offline' && reentrant && world.cfg.heartbeat) {
    // Answered at once, but heard only after the write under way, if any (its replies wait).
    world.probeMaybe = index;
  }
  // Shown again, the client probes only if its heartbeat is due (the model does not follow
  // the heartbeat's schedule): sends may be held, never surely.
  if (change === 'visible' && (state === 'open' || reentrant) && world.cfg.heartbeat) {
    if (world.cfg.appPing || world.silent.has(index)) {
      world.probeOut = index;
      world.probeSure = undefined;
    } else world.probeMaybe = index;
  }
  if (change === 'pagehide' && world.watch) world.watch.suspended = true;
  if (change === 'pageshow' && world.watch) world.watch.suspended = false;
  if (reentrant) {
    // It may run later in this step (the mailbox): it counts for the wait decided meanwhile.
    world.reentrantOps.push(`env:${change}`);
    if (world.watch) world.opWhileWatch.push(`env:${change}`);
    if (change === 'pagehide') world.reentrantSuspend = true;
  }
  world.env.emit(change);
}
