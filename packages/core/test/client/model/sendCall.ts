/**
 * send(), made the way the app would and checked on the spot: what it returns must match what
 * happened (on the wire, in the queue or outbox, or dropped), a refused message changes
 * nothing, and a message with a reused id replaces the unacked one before it.
 */
import { ClientClosedError, QueueFullError } from '@resock/core';
import { expectThrow, unchanged } from './appCalls';
import { deliverMsg } from './deliveryChecks';
import type { Op } from './modelOps';
import { fail, isDue, isOutstanding, type Msg, type World } from './modelState';
import { checkOptionResult } from './optionChecks';
import { type Asked, askedOf } from './optionOps';
import { scanWire } from './wireChecks';

/**
 * A message whose text says its place in send() order (and its id), padded to a size. A
 * volatile one is not tracked, even with an id in its text.
 */
function newMsg(world: World, id: number | undefined, pad: number, asked: Asked): Msg {
  const k = world.nextK++;
  const text = JSON.stringify(id === undefined ? { k, p: 'x'.repeat(pad) } : { k, id, p: 'x'.repeat(pad) });
  return {
    k,
    text,
    id: asked.volatile ? undefined : id,
    bytes: text.length,
    writes: [],
    deadline: asked.ttlMs === undefined ? undefined : world.clock.now() + asked.ttlMs,
    volatile: asked.volatile,
    signal: asked.signal,
    dropped: undefined,
    acked: false,
    replaced: false,
    replacedInWrite: false,
    taken: false,
  };
}

/** `exactId`: the reliable id of a message sent before (app code inside a write replaces it). */
export function doSend(world: World, op: Extract<Op, { t: 'send' }>, reentrant: boolean, exactId?: number): void {
  const { client } = world;
  const state = client.state;
  let id: number | undefined;
  if (world.cfg.reliable && op.id === 'fresh') id = world.nextK;
  if (world.cfg.reliable && op.id === 'reuse') id = 1_000_000 + op.reuse;
  if (world.cfg.reliable && exactId !== undefined) id = exactId;
  const asked = askedOf(world, op.opts);
  const msg = newMsg(world, id, op.pad, asked);
  id = msg.id;
  const abortedAtCall = asked.signal !== undefined && world.controllers[asked.signal]?.aborted === true;
  if (state === 'closed' || state === 'closing') {
    const call = () => expectThrow('send after close', () => client.send(msg.text, asked.options), ClientClosedError);
    // Inside a listener the client is mid-change: only the throw is held to there.
    if (reentrant) call();
    else unchanged(world, 'send after close', call);
    return;
  }
  world.msgs.push(msg);
  world.byText.set(msg.text, msg);
  const statsBefore = client.stats;
  const overflowBefore = world.msgs.filter((m) => m.dropped === 'overflow').length;
  // (Not one past its ttlMs or whose signal was aborted: the client took it out first, its
  // event perhaps not told yet — from inside a write, it is told once the write is done —
  // unless it is the one in flight, which nothing takes out.)
  const now = world.clock.now();
  // (Nor one whose send() is under way: it takes its place once what waited before it went out.)
  const gone = (m: Msg) =>
    !world.writing.includes(m) &&
    !world.sendStack.includes(m.k) &&
    (isDue(m, now) || (m.signal !== undefined && world.controllers[m.signal]?.aborted === true));
  // The latest copy under the id: from inside a write, one whose send() is under way may have
  // replaced an earlier one that its send() will mark only when it returns.
  const replacedCandidate =
    id === undefined
      ? undefined
      : [...world.msgs].reverse().find((m) => m !== msg && m.id === id && isOutstanding(m) && !gone(m));
  const lastIndex = world.newest;
  // A write is tried (and refused) when something waits, or for this message unless the
  // outbox refuses it first: that starts the refusing socket's close deadline.
  const refusable =
    state === 'open' &&
    !world.cfg.heartbeat &&
    world.refusing.has(lastIndex) &&
    world.current() === world.fake.connections[lastIndex] &&
    !world.firstRefusal.has(lastIndex);
  const waitingBefore = world.pendingMsgs().length - 1;
  const noteRefusal = (result: string) => {
    if (refusable && (waitingBefore > 0 || result === 'queued')) world.noteRefusal(lastIndex);
  };
  let result: string;
  const calls = world.reentrantCalls;
  world.sendStack.push(msg.k);
  try {
    // Some top-level sends go through deliver() (held to their promise by deliveryChecks.ts);
    // what it would have returned is read from the model, for the same-id replacement below.
    // (Not under 'reject': deliver() rejects rather than throws QueueFullError, which the
    // model could only learn of after the call.)
    if (msg.k % 3 === 1 && !reentrant && world.writing.length === 0 && world.cfg.queue?.overflow !== 'reject') {
      deliverMsg(world, msg, asked.options);
      result = msg.dropped ? 'dropped' : 'delivering';
    } else result = client.send(msg.text, asked.options);
  } catch (error) {
    noteRefusal('threw');
    if (!(error instanceof QueueFullError)) fail(`send threw ${String(error)}`);
    if (world.cfg.queue?.overflow !== 'reject') fail('QueueFullError without overflow reject');
    // Nothing lost: the message was refused whole, nothing else moved.
    world.msgs.splice(world.msgs.indexOf(msg), 1);
    world.byText.delete(msg.text);
    // Nothing queued was evicted (what waited may have gone out first: the socket was clear;
    // what was past its ttlMs may have been taken out first, dropped as expired).
    const evicted = world.msgs.filter((m) => m.dropped === 'overflow').length;
    if (evicted !== overflowBefore && !reentrant) fail('a send refused with QueueFullError dropped something');
    if (client.stats.messagesUnacked > statsBefore.messagesUnacked && world.reentrantCalls === calls)
      fail('a send refused with QueueFullError grew the outbox');
    scanWire(world);
    return;
  } finally {
    world.sendStack.pop();
  }
  noteRefusal(result);
  // What waited may have gone out first (a clear socket flushes before this message): read
  // the wire before the old copy of a same-id message counts as replaced.
  scanWire(world, msg.text);
  // (Unless the client took it out first: app code that the writes of what waited before this
  // message ran aborted its signal, before this one took its place. A send dropped only once
  // written — app code its own write ran closed the client or aborted its signal — had taken
  // its place: it replaced.)
  // So had one dropped by a close app code in an earlier write asked for, once that close is
  // done within the call: the close waited for the write (the mailbox), this send took its place
  // first, and every other drop has been told by now.
  const tookItsPlace =
    result !== 'dropped' || msg.writes.length > 0 || (msg.dropped === 'closed' && world.client.state === 'closed');
  // deliver() returns no result to read, only the drop: one told after app code ran inside this
  // call (a dropped listener's send) may follow this message taking its place, then being taken
  // out by that code's bookkeeping (evicted for room, expired, aborted). The client's count of
  // unacknowledged messages says which; what becomes of the old copy later (resent or not) is
  // still held to the wire.
  const placedThenTakenOut = () =>
    msg.delivery !== undefined &&
    world.reentrantCalls !== calls &&
    client.stats.messagesUnacked === world.msgs.filter(isOutstanding).length - 1;
  if (replacedCandidate && replacedCandidate.dropped === undefined && (tookItsPlace || placedThenTakenOut())) {
    replacedCandidate.replaced = true;
    replacedCandidate.replacedInWrite = world.writing.length > 0;
    replacedCandidate.replacedWhilePlacing = world.sendStack.includes(replacedCandidate.k);
  }
  scanWire(world);
  // A listener that sent during this call (a dropped event) may have moved it on already.
  if (world.reentrantCalls !== calls || result === 'delivering') return;
  // From inside a write (app code the transport runs), the message in flight and what waits
  // behind it go first: this one waits its turn (volatile: dropped), and the flush under way
  // must write it before the step ends (checkOwedOut).
  const inWrite = world.writing.length > 0;
  if (inWrite && result === 'queued') world.owedOut.push({ msg, on: world.newest });
  checkResult(world, msg, result, state, inWrite);
  const held = state === 'open' && world.probeOut === world.newest && world.probeSure === world.newest;
  checkOptionResult(msg, result, abortedAtCall, !inWrite && takesAtOnce(world, state), held, world.clock.now());
}

/** Open, a socket that takes messages, nothing held for a probe: a message must go out at once. */
function takesAtOnce(world: World, state: World['client']['state']): boolean {
  return (
    state === 'open' &&
    world.probeOut !== world.newest &&
    world.probeMaybe !== world.newest &&
    world.current()?.state === 'open' &&
    !world.refusing.has(world.newest)
  );
}

/** What send() returned must match what became of the message (see checkOptionResult too). */
function checkResult(world: World, msg: Msg, result: string, state: World['client']['state'], inWrite: boolean): void {
  if (result === 'sent') {
    if (world.current()?.sent.at(-1) !== msg.text) fail(`send() said sent, but ${msg.k} is not on the wire`);
  } else if (result === 'queued') {
    // (A lazy client starts after queueing: a transport that opens inside connect() flushes it
    // before send() returns, or, with ttlMs 0, takes it out as expired.)
    if (msg.writes.length > 0 && state !== 'idle') fail(`send() said queued, but ${msg.k} went out`);
    if (msg.dropped && !(msg.dropped === 'expired' && state === 'idle'))
      fail(`send() said queued, but ${msg.k} was dropped`);
    if (takesAtOnce(world, state) && !inWrite)
      fail(`send() queued ${msg.k} while open with a socket that takes messages`);
  } else if (result !== 'dropped') fail(`send() returned ${result}`);
}
