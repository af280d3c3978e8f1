/**
 * What the per-message send options promise (packages/core/README.md "Per message",
 * src/client/sendOptions.ts), checked at each write, each `dropped` event, each send() result
 * and after every step:
 * - ttlMs: no write at or after send() time + ttlMs (also past a late timer), but a message
 *   written at once in its own send() call (ttlMs 0); one dropped as expired is past its
 *   deadline; none still waits past it.
 * - signal: nothing is written once its signal was aborted, nothing waits with an aborted signal,
 *   and one aborted at the call is dropped ('aborted') at once.
 * - volatile: written inside its own send() call or never (so never resent), never queued nor
 *   tracked, dropped ('volatile') only when the connection could not take it at once.
 */
import type { DropReason } from '@resock/core';
import { fail, isOutstanding, isQueued, type Msg, type World, type WriteInfo } from './modelState';

/** Whether the controller of `msg`'s signal was aborted (by the model, or before the call). */
const abortedSignal = (world: World, msg: Msg) =>
  msg.signal !== undefined && world.controllers[msg.signal]?.aborted === true;

/** A write seen for the first time, before it is recorded in `msg.writes`. */
export function checkOptionWrite(world: World, msg: Msg, write: WriteInfo | undefined): void {
  if (!write) fail(`message ${msg.k} on the wire without a write through the transport`);
  // Inside its own send() call (the innermost under way), for the first time: it did not wait.
  const atOnce = write.by === msg.k && msg.writes.length === 0;
  if (msg.volatile && !atOnce)
    fail(
      `volatile message ${msg.k} written ${msg.writes.length > 0 ? 'again' : 'outside its send() call'} (during ${write.by ?? 'no'} send())`,
    );
  if (msg.deadline !== undefined && write.at >= msg.deadline && !atOnce)
    fail(`message ${msg.k} written ${write.at - msg.deadline} ms past its deadline (write ${msg.writes.length + 1})`);
  // Also while the abort is under way: app code its listeners run may flush before resock's own.
  if (abortedSignal(world, msg)) fail(`message ${msg.k} written after its signal was aborted`);
}

/** A `dropped` event for `msg`, before the model records it. */
export function checkDropReason(world: World, msg: Msg, reason: DropReason): void {
  const now = world.clock.now();
  // A volatile message never waits: dropped inside its own call (volatile, or aborted) or never.
  const inCall = world.sendStack.at(-1) === msg.k;
  if (msg.volatile && !(inCall && (reason === 'volatile' || reason === 'aborted')))
    fail(`volatile message ${msg.k} dropped (${reason}) ${inCall ? '' : 'outside its send() call'}`);
  if (reason === 'volatile' && !msg.volatile) fail(`message ${msg.k} dropped as volatile, sent without volatile`);
  if (reason === 'expired' && (msg.deadline === undefined || now < msg.deadline))
    fail(
      `message ${msg.k} dropped as expired ${msg.deadline === undefined ? 'without ttlMs' : `${msg.deadline - now} ms before its deadline`}`,
    );
  if (reason === 'aborted' && (msg.signal === undefined || !world.controllers[msg.signal]?.controller.signal.aborted))
    fail(`message ${msg.k} dropped as aborted, its signal was not`);
}

/** After every step: what still waits is within its time, its signal not aborted. */
export function checkWaiting(world: World): void {
  const now = world.clock.now();
  for (const m of world.msgs) {
    if (!isQueued(m) && !isOutstanding(m)) continue;
    // Due now exactly, it may wait for the next turn of the clock (ttlMs 0, a timer due now).
    if (m.deadline !== undefined && m.deadline < now)
      fail(`message ${m.k} still waits ${now - m.deadline} ms past its deadline (${world.client.state})`);
    if (abortedSignal(world, m)) fail(`message ${m.k} still waits after its signal was aborted`);
  }
}

/**
 * Timers a failed client may keep: the expiry of what still waits with a ttlMs (one at most).
 * Once nothing with a deadline waits, none: a timer kept would hold a process open for up to ttlMs.
 */
export function expiryTimers(world: World): number {
  return world.msgs.some((m) => (isQueued(m) || isOutstanding(m)) && m.deadline !== undefined) ? 1 : 0;
}

/**
 * What send() returned, held to the options: a signal aborted at the call drops it ('aborted');
 * volatile is sent or dropped ('volatile'), never queued, and dropped only when the connection
 * could not take it. `takes`: open, a socket that takes messages, nothing held for a probe;
 * `held`: open with an offline probe out; `now`: the time of the call.
 */
export function checkOptionResult(
  msg: Msg,
  result: string,
  abortedAtCall: boolean,
  takes: boolean,
  held: boolean,
  now: number,
): void {
  // Sends wait while an offline probe is out (volatile ones are dropped): none goes straight out.
  if (held && result === 'sent') fail(`send() said sent for ${msg.k} while an offline probe was out`);
  if (abortedAtCall && result !== 'dropped') fail(`send() with an aborted signal said ${result} for ${msg.k}`);
  if (msg.volatile && result === 'queued') fail(`send() queued the volatile message ${msg.k}`);
  if (result !== 'dropped') return;
  // ttlMs 0 may not wait at all: one that could not be written within the call (a connection
  // that opened inside it, from idle) is out at once, 'expired'.
  const dueAtCall = msg.dropped === 'expired' && msg.deadline === now;
  const reason = abortedAtCall ? 'aborted' : msg.volatile ? 'volatile' : dueAtCall ? 'expired' : 'overflow';
  if (msg.dropped !== reason)
    fail(`send() said dropped, but ${msg.k} has ${msg.dropped ?? 'no'} dropped event (expected ${reason})`);
  if (reason === 'volatile' && takes) fail(`send() dropped volatile ${msg.k} while open with a socket that takes it`);
}
