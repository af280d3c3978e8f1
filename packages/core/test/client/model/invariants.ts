/**
 * The invariants checked after every step, taken from the README, docs/close-codes.md and the
 * source comments: stats agree with the model, nothing handed to send() vanishes, one live
 * connection at most, limits and deadlines hold, a finished client leaves nothing running,
 * and a retry that is due has been made.
 */
import { sharedScheduler } from '../../../src/client/sharedScheduler';
import { checkDeliveries } from './deliveryChecks';
import { textOf } from './eventChecks';
import { checkOwedOut } from './inWriteOps';
import { fail, isOutstanding, isQueued, type World } from './modelState';
import { checkWaiting, expiryTimers } from './optionChecks';
import { scanWire } from './wireChecks';

type State = World['client']['state'];

export function checkInvariants(world: World): void {
  if (world.asyncViolation) fail(world.asyncViolation);
  if (world.thrown.length > 0) fail(`a throwing ${world.thrown.join(',')} listener was not reported as an error event`);
  scanWire(world);
  const { client } = world;
  const state = client.state;
  if (state !== world.stateTrail) fail(`state is ${state}, the last state event said ${world.stateTrail}`);
  if (client.url?.includes('s3cret')) fail(`client.url shows the token: ${client.url}`);
  if (client.lastClose && textOf(client.lastClose).includes('s3cret')) fail('lastClose shows the token');
  checkCounters(world);
  checkAccounting(world);
  checkWaiting(world);
  checkOwedOut(world);
  checkConnections(world, state);
  checkLimits(world);
  checkDeadlines(world, state);
  checkQuiet(world, state);
  checkWaiters(world, state);
  checkDueRetry(world, state);
  checkDeliveries(world);
  // The app's own ping goes instead of a protocol one, where the transport has both.
  if (world.cfg.heartbeat && world.cfg.appPing && world.fake.connections.some((c) => c.pings > 0))
    fail('a protocol ping went out though heartbeat.message is set');
}

function checkCounters(world: World): void {
  const stats = world.client.stats;
  if (stats.attempts < world.lastAttempts) fail('stats.attempts went down');
  if (stats.uptimeMs < world.lastUptime) fail('stats.uptimeMs went down');
  if (stats.uptimeMs > world.clock.now() - world.startedAt) fail('stats.uptimeMs exceeds the time passed');
  if (stats.messagesReceived !== world.delivered)
    fail(`stats.messagesReceived ${stats.messagesReceived}, delivered ${world.delivered}`);
  world.lastUptime = stats.uptimeMs;
  if (stats.reconnects < world.lastReconnects) fail('stats.reconnects went down');
  world.lastAttempts = stats.attempts;
  world.lastReconnects = stats.reconnects;
  if (stats.attempts < world.dials.length) fail(`stats.attempts ${stats.attempts} < ${world.dials.length} dials`);
  const opens = world.events.filter((name) => name === 'open').length;
  // (An open after an idle close is a fresh start, not a reconnect.)
  if (stats.reconnects !== Math.max(0, opens - 1 - world.freshOpens))
    fail(`stats.reconnects ${stats.reconnects}, opens ${opens}, ${world.freshOpens} after idle`);
}

/** Nothing handed to send() vanishes: each message is queued, unacked, sent or dropped. */
function checkAccounting(world: World): void {
  const { client } = world;
  const stats = client.stats;
  let queued = 0;
  let unacked = 0;
  let buffered = 0;
  let owedBytes = 0;
  for (const m of world.msgs) {
    if (isQueued(m)) {
      queued++;
      buffered += m.bytes;
    } else if (isOutstanding(m)) {
      unacked++;
      if (m.writes.length === 0) buffered += m.bytes;
      else owedBytes += m.bytes;
    }
  }
  const dropped = world.events.filter((name) => name === 'dropped').length;
  if (stats.messagesQueued !== queued) fail(`stats.messagesQueued ${stats.messagesQueued}, model ${queued}`);
  if (stats.messagesUnacked !== unacked) fail(`stats.messagesUnacked ${stats.messagesUnacked}, model ${unacked}`);
  if (stats.messagesDropped !== dropped) fail(`stats.messagesDropped ${stats.messagesDropped} vs ${dropped} events`);
  if (stats.messagesSent !== world.totalWrites)
    fail(`stats.messagesSent ${stats.messagesSent} vs ${world.totalWrites}`);
  // Queued bytes, tracked bytes never written; an unacknowledged message waiting to be written
  // again may count too (it waits for a socket, not only for its ack).
  if (client.bufferedAmount < buffered || client.bufferedAmount > buffered + owedBytes)
    fail(`bufferedAmount ${client.bufferedAmount}, model ${buffered} (+ up to ${owedBytes} owed)`);
}

/** At most one connection the client listens to: the newest, and only while it needs one. */
function checkConnections(world: World, state: State): void {
  const live = world.fake.connections.filter((c) => c.state !== 'closed' && !c.terminated && !c.closeCall);
  if (live.length > 1) fail(`${live.length} live connections`);
  if (live.length === 1 && live[0] !== world.fake.connections.at(-1)) fail('a live connection that is not the newest');
  if (['idle', 'waiting', 'failed', 'closed', 'disconnected'].includes(state) && live.length > 0)
    fail(`a live connection while ${state}`);
  if (state === 'open' && world.current()?.state !== 'open') fail('open, but the newest connection is not');
}

/** The queue and the outbox each hold up to the queue's limits. */
function checkLimits(world: World): void {
  const limits = world.cfg.queue;
  if (!limits) return;
  for (const [name, list] of [
    ['queue', world.msgs.filter(isQueued)],
    ['outbox', world.msgs.filter(isOutstanding)],
  ] as const) {
    if (list.length > limits.maxMessages) fail(`${name} holds ${list.length} > maxMessages ${limits.maxMessages}`);
    const bytes = list.reduce((sum, m) => sum + m.bytes, 0);
    if (bytes > limits.maxBytes) fail(`${name} holds ${bytes} B > maxBytes ${limits.maxBytes}`);
  }
}

/** Deadlines, each given a second's slack (and one more after a frozen tab's jump). */
function checkDeadlines(world: World, state: State): void {
  const now = world.clock.now();
  // A socket that refuses sends (its close has begun) is let go after closeTimeoutMs.
  const lastIndex = world.newest;
  const refusedAt = world.firstRefusal.get(lastIndex);
  if (
    state === 'open' &&
    refusedAt !== undefined &&
    world.refusing.has(lastIndex) &&
    !world.moved.has(lastIndex) &&
    world.current() === world.fake.connections[lastIndex] &&
    now >= Math.max(refusedAt + world.cfg.closeTimeoutMs, world.lastJumpEnd + 1000) + 1000
  )
    fail(`a socket refusing sends since ${now - refusedAt} ms ago is still open`);
  // An attempt not open by connectTimeoutMs (10 s) fails. (Its deadline runs from the state's
  // start: the attempt after one that failed before it dialled dials a 0 ms timer later.)
  const lastDial = world.dials.at(-1);
  const since = Math.max(lastDial?.at ?? Number.NEGATIVE_INFINITY, world.connectingSince);
  if (state === 'connecting' && lastDial && now > Math.max(since + 10_000, world.lastJumpEnd + 1000) + 1000)
    fail(`still connecting ${now - since} ms after the dial`);
}

/** failed and closed leave nothing running; once close() resolved, nothing more happens. */
function checkQuiet(world: World, state: State): void {
  // Environment listeners: none while failed or closed, one otherwise.
  const expectedListeners = state === 'failed' || state === 'closed' ? 0 : 1;
  if (world.env.listeners !== expectedListeners) fail(`${world.env.listeners} environment listeners while ${state}`);
  if (state === 'closed' && world.clock.pending() !== 0) fail(`closed with ${world.clock.pending()} timers pending`);
  if (state === 'closed' && sharedScheduler(world.clock).size !== 0) fail('closed with a heartbeat scheduled');
  // A message that still waits with a ttlMs is still to be taken out on time: its timer runs.
  const expiry = expiryTimers(world);
  // Idle (not started, or back after an idle close), nothing waits: a send would have started it.
  // (Disconnected, what waits goes once open() or reconnect() connects.)
  const waiting = state === 'idle' ? world.pendingMsgs() : [];
  if (waiting.length > 0) fail(`idle with message ${waiting[0]?.k} waiting: nothing will send it`);
  if ((state === 'idle' || state === 'disconnected') && world.clock.pending() > expiry)
    fail(`${state} with ${world.clock.pending()} timers pending`);
  if (state === 'failed' && world.clock.pending() > expiry)
    fail(`failed with ${world.clock.pending()} timers pending (${expiry} for a waiting message's ttlMs)`);
  if (world.closeSettled) {
    if (world.events.length !== world.eventsAtSettle) fail('events after close() resolved');
    if (world.dials.length !== world.dialsAtSettle) fail('a connection dialed after close() resolved');
    if (state !== 'closed') fail(`state ${state} after close() resolved`);
  }
}

/** An opened() promise settles at the next open, close or failed. */
function checkWaiters(world: World, state: State): void {
  for (const w of world.openedWaiters) {
    if (w.settled !== 'pending') continue;
    const later = world.events.slice(w.eventsAt);
    if (later.includes('open')) fail('opened() still pending after an open');
    if (state === 'closed') fail('opened() still pending after close');
    if (later.includes('failed') && state === 'failed') fail('opened() still pending after failed');
  }
}

/** A retry that is due has been made (unless offline, hidden with pauseWhenHidden, or suspended). */
function checkDueRetry(world: World, state: State): void {
  const w = world.watch;
  if (
    w &&
    state === 'waiting' &&
    w.action !== 'refresh' &&
    !w.suspended &&
    world.clock.now() > w.dueAt &&
    world.env.online() &&
    !(world.cfg.pauseWhenHidden && !world.env.visible())
  ) {
    fail(
      `the retry due ${w.dueAt - w.emittedAt} ms after 'reconnecting' (${w.rule}) was not made by ${world.clock.now() - w.emittedAt} ms`,
    );
  }
}
