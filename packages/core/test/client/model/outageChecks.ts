/**
 * What the client promises about an outage, checked as its events come: attempts are numbered
 * by the failures counted since the last stable open, the policy's limits hold, each wait
 * follows its row in docs/close-codes.md, and the next attempt comes when the `reconnecting`
 * event said (only calls and changes that may cut a wait short bring it earlier).
 */
import type { ReconnectingEvent } from '@resock/core';
import { fail, type World } from './modelState';

type State = World['client']['state'];

export function onOpen(world: World, payload: unknown, state: State): void {
  if (state !== 'open') fail(`'open' emitted while the state is ${state}`);
  const { attempt } = payload as { attempt: number };
  if (attempt < 1) fail('open attempt < 1');
  if (world.failures !== undefined && attempt !== world.failures + 1)
    fail(`open attempt ${attempt}, but ${world.failures} counted failures in this outage`);
  world.openSince = world.clock.now();
  if (world.afterIdle) world.freshOpens++;
  world.afterIdle = false;
  if (world.cfg.stableAfterMs === 0 && !world.reentrantReconnect) {
    world.failures = 0;
    world.outageStart = undefined;
  }
}

export function onState(world: World, payload: unknown): void {
  const { from, to } = payload as { from: string; to: string };
  if (from !== world.stateTrail) fail(`state event from ${from}, but the last state was ${world.stateTrail}`);
  if (from === to) fail(`state event ${from} → ${to}`);
  world.stateTrail = to;
  if (to === 'connecting') world.connectingSince = world.clock.now();
  // (A listener's reconnect() this operation may have started the one now under way.)
  if (from === 'connecting') world.freshAttempt = world.reentrantReconnect ? undefined : false;
  if (from === 'open' && world.openSince !== undefined) {
    // A connection open longer than stableAfterMs ends the outage; a tie with the timer may go
    // either way, and a reconnect() from a listener restarts it when the model cannot see. The
    // time open counts, not the timer: a close as a frozen tab wakes (the timer overdue) too.
    const openFor = world.clock.now() - world.openSince;
    if (world.reentrantReconnect) {
      world.failures = undefined;
      world.outageStart = Number.NaN;
    } else if (openFor > world.cfg.stableAfterMs) {
      world.failures = 0;
      world.outageStart = undefined;
    } else if (openFor === world.cfg.stableAfterMs) {
      world.failures = undefined;
      world.outageStart = Number.NaN;
    }
    world.openSince = undefined;
  }
  if (from === 'open' && to === 'idle') wentIdle(world);
  if (to === 'disconnected') {
    // disconnect(), from the app or a listener: no failure; the outage and the wait it announced
    // are over, and the next open is a fresh start (unless none came before: it is the first).
    if (world.events.includes('open')) world.afterIdle = true;
    world.failures = 0;
    world.outageStart = undefined;
    world.watch = undefined;
  }
  if (to === 'connecting') noteAttempt(world);
}

/**
 * The idle close (idleTimeoutMs): only with the option, and no failure — the next start is a
 * fresh one. (That nothing waits once idle is an invariant: checkQuiet.)
 */
function wentIdle(world: World): void {
  if (world.cfg.idleTimeoutMs === 0) fail('open → idle without idleTimeoutMs');
  world.afterIdle = true;
  world.failures = 0;
  world.outageStart = undefined;
}

export function onReconnecting(world: World, payload: unknown): void {
  const e = payload as ReconnectingEvent;
  if (!(e.delayMs >= 0) || !Number.isFinite(e.delayMs)) fail(`reconnecting delay ${e.delayMs}`);
  if (e.delayMs !== e.decision.delayMs) fail('reconnecting delay differs from its decision');
  if (e.action !== e.decision.action) fail(`reconnecting action ${e.action} vs ${e.decision.action}`);
  if (e.attempt < 1) fail('reconnecting attempt < 1');
  if (world.failures !== undefined && e.attempt !== world.failures + 1)
    fail(`reconnecting attempt ${e.attempt}, but ${world.failures} counted failures in this outage`);
  world.outageStart ??= world.clock.now();
  const elapsed = world.clock.now() - world.outageStart;
  if (world.cfg.limits === 'maxAttempts' && e.decision.counts && e.attempt > 3)
    fail(`retry ${e.attempt} with maxAttempts 3`);
  // maxElapsedMs is a time budget: no attempt may be due later than 60 s into the outage.
  if (world.cfg.limits === 'maxElapsed' && elapsed + e.delayMs > 60_000)
    fail(`a retry due ${elapsed + e.delayMs} ms into an outage with maxElapsedMs 60000`);
  if (e.rule === 'app-4000s' && e.delayMs < 2000) fail(`app-4000s: delay ${e.delayMs} under minDelayMs 2000`);
  if (e.decision.counts && world.failures !== undefined) world.failures = e.attempt;
  checkDecision(e);
  // The server's part of the wait (src/client/serverWait.ts): all of a throttle's, or of a wait
  // its word set (+0–10 %); else only its retryAfterMs, the rest the client's own back-off.
  const retryAfter = e.decision.retryAfterMs;
  const serverPart =
    e.action === 'throttle' || (retryAfter !== undefined && e.delayMs <= retryAfter * 1.1) ? e.delayMs : retryAfter;
  world.watch = {
    dueAt: world.clock.now() + e.delayMs,
    action: e.action,
    serverDueAt: serverPart === undefined ? undefined : world.clock.now() + serverPart,
    suspended: world.reentrantSuspend,
    emittedAt: world.clock.now(),
    rule: e.rule,
  };
  // Listeners' environment changes of this operation may run after it (the mailbox).
  world.opWhileWatch = [...world.reentrantOps];
}

export function onFailed(world: World, payload: unknown, state: State): void {
  if (state !== 'failed') fail(`'failed' emitted while the state is ${state}`);
  const { decision, reason } = payload as { decision: { counts: boolean }; reason: string };
  world.outageStart ??= world.clock.now();
  if (reason === 'maxAttempts' && world.failures !== undefined && world.failures !== 3)
    fail(`failed (maxAttempts 3) after ${world.failures} counted failures`);
  // maxElapsedMs may stop before 60 s (the next attempt would have been due after; a throttle
  // waits minutes): the decision's explanation says when it would have come.
  if (reason === 'maxElapsedMs') {
    const due = /would start (\d+) ms into the outage/.exec(
      (payload as { decision: { explanation: string } }).decision.explanation,
    );
    if (!due || Number(due[1]) < 60_000) fail(`failed (maxElapsedMs) for an attempt within the budget: ${due?.[1]} ms`);
  }
  if (decision.counts && world.failures !== undefined) world.failures++;
}

/** What docs/close-codes.md promises about the wait, row by row (for the presets used). */
function checkDecision(e: ReconnectingEvent): void {
  const { record, delayMs, rule, action } = e;
  const status = record.handshake?.status;
  const retryAfter = record.handshake?.retryAfterMs ?? e.decision.retryAfterMs;
  if (retryAfter !== undefined) {
    // A floor under any wait, clamped to 1 s – 10 min, +0–10 % when raised to it.
    if (retryAfter < 1000 || retryAfter > 600_000) fail(`server delay not clamped: ${retryAfter}`);
    if (delayMs < retryAfter) fail(`${rule}: delay ${delayMs} under the server's ${retryAfter}`);
  }
  if (status === 429 || (status === 503 && retryAfter !== undefined)) {
    if (action !== 'throttle') fail(`HTTP ${status} → ${action}`);
    if (retryAfter !== undefined) {
      if (delayMs > retryAfter * 1.1 + 1e-6) fail(`HTTP ${status} Retry-After ${retryAfter}: delay ${delayMs}`);
    } else if (delayMs < 30_000 || delayMs > 300_000) fail(`HTTP 429 without Retry-After: delay ${delayMs}`);
    return;
  }
  if (status === undefined && record.code === 1013) {
    if (action !== 'throttle' || delayMs < 30_000) fail(`1013: ${action} ${delayMs}`);
    if (retryAfter === undefined && delayMs > 300_000) fail(`1013: ${action} ${delayMs}`);
    return;
  }
  // Without a server's delay, a retry or refresh waits 30 s at most.
  if ((action === 'retry' || action === 'refresh') && retryAfter === undefined && delayMs > 30_000 + 1e-6)
    fail(`${rule}: a ${action} delay ${delayMs} above the 30 s cap`);
  const firstServiceRestart =
    rule === 'default:service-restart' && e.decision.consecutive === 1 && e.attempt === 1 && retryAfter === undefined;
  if (firstServiceRestart && (delayMs < 5000 || delayMs > 30_000)) fail(`1012 first delay ${delayMs}`);
}

/** A new attempt: it must not come before the announced wait ended, unless something allowed it. */
function noteAttempt(world: World): void {
  const w = world.watch;
  if (!w) return;
  const now = world.clock.now();
  if (now < w.dueAt - 1e-6) {
    const ops = [...world.opWhileWatch, ...world.reentrantOps];
    // reconnect() cuts any wait short; online and pageshow only the client's own part of it.
    const allowed =
      world.reentrantReconnect ||
      ops.includes('reconnect') ||
      ((ops.includes('env:online') || ops.includes('env:pageshow')) &&
        (w.serverDueAt === undefined || now >= w.serverDueAt - 1e-6));
    if (!allowed)
      fail(
        `attempt at ${now - w.emittedAt} ms after 'reconnecting' (${w.rule}, ${w.action}) said ${w.dueAt - w.emittedAt} ms (ops: ${ops.join(',')})`,
      );
  }
  world.watch = undefined;
}
