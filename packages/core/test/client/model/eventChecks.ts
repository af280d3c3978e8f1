/**
 * Checks made as each event is emitted, against what the model knows at that moment: no
 * payload shows the URL's token, nothing is emitted after close() resolved, an unasked close is
 * followed by state then reconnecting or failed, dropped and acked account for each message
 * once, errors come only from what the world provoked, and control traffic never reaches the
 * app as a message. Armed listeners throw or call back into the client from here.
 */
import type { CloseRecord, DroppedEvent } from '@resock/core';
import { eventNames } from '../clientHarness';
import { reenter } from './listenerCalls';
import { armEvents } from './modelOps';
import { fail, type World } from './modelState';
import { checkDropReason } from './optionChecks';
import { onFailed, onOpen, onReconnecting, onState } from './outageChecks';
import { scanWire } from './wireChecks';

/** The events whose order after an unasked close is fixed. */
const lifecycleEvents = ['open', 'close', 'state', 'reconnecting', 'failed'];

/** An event payload as text, errors (and their causes' messages left out: the app's own) included. */
export function textOf(payload: unknown): string {
  return JSON.stringify(payload, (_key, value: unknown) =>
    value instanceof Error ? { name: value.name, message: value.message } : value,
  );
}

/** Subscribes the world: first the listeners armed to throw, then the checking ones. */
export function listen(world: World): void {
  for (const name of armEvents) {
    world.client.on(name, () => {
      const at = world.throwOn.indexOf(name);
      if (at < 0) return;
      world.throwOn.splice(at, 1);
      world.thrown.push(name);
      throw new Error(`listener of ${name} throws`);
    });
  }
  for (const name of eventNames) {
    world.client.on(name, ((payload: unknown) => onEvent(world, name, payload)) as never);
  }
}

function onEvent(world: World, name: string, payload: unknown): void {
  try {
    checkEvent(world, name, payload);
  } catch (error) {
    // Rethrown, the emitter would make it an `error` event: check() fails on it instead.
    world.asyncViolation ??= error instanceof Error ? error.message : String(error);
  }
}

function checkEvent(world: World, name: string, payload: unknown): void {
  const state = world.client.state;
  // URLs in events, records and errors are redacted (redactUrls defaults to true).
  if (textOf(payload)?.includes('s3cret')) fail(`a ${name} event shows the token: ${textOf(payload)}`);
  scanWire(world); // what went out before this event, in order
  world.events.push(name);
  if (world.closeSettled) fail(`event ${name} after close() resolved`);
  if (lifecycleEvents.includes(name)) {
    const expected = world.afterClose.shift();
    if (expected && !expected.split('|').includes(name))
      fail(`after a close: ${name} where ${expected} was due (close → state → reconnecting/failed)`);
  }
  if (name === 'open') {
    const conn = world.current();
    if (conn) world.openTold.add(conn);
    onOpen(world, payload, state);
  } else if (name === 'close') onClose(world, payload);
  else if (name === 'state') onState(world, payload);
  else if (name === 'reconnecting') onReconnecting(world, payload);
  else if (name === 'failed') onFailed(world, payload, state);
  else if (name === 'dropped') onDropped(world, payload);
  else if (name === 'acked') onAcked(world, payload);
  else if (name === 'error') onError(world, payload);
  else if (name === 'message') onMessage(world, payload, state);
  const armed = world.armed.findIndex((a) => a.event === name);
  const [entry] = armed >= 0 ? world.armed.splice(armed, 1) : [];
  if (entry) reenter(world, entry.action, name);
}

function onClose(world: World, payload: unknown): void {
  const record = payload as CloseRecord;
  if (record.initiator !== 'client') world.afterClose = ['state', 'reconnecting|failed'];
  // A peer that answers every ping (the fake's protocol pongs) is never found dead.
  const index = world.newest;
  if (record.initiator === 'heartbeat' && !world.cfg.appPing && !world.silent.has(index))
    fail(`connection ${index} answers every ping but was dropped as a dead peer`);
  // maxConnectionAgeMs's move: only with the option, and not before the age's last tenth.
  if (record.initiator === 'client' && record.reason === 'max-age') {
    world.freshAttempt = true; // the move's attempt follows
    const age = world.cfg.maxConnectionAgeMs;
    const openFor = world.openSince === undefined ? Number.NaN : world.clock.now() - world.openSince;
    if (age === 0 || !(openFor >= 0.9 * age - 1e-6)) fail(`moved at ${openFor} ms open (maxConnectionAgeMs ${age})`);
  }
}

function onDropped(world: World, payload: unknown): void {
  const { data, reason } = payload as DroppedEvent;
  const msg = world.byText.get(data as string);
  if (!msg) fail(`dropped an unknown message ${String(data)}`);
  if (msg.dropped) fail(`message ${msg.k} dropped twice`);
  checkDropReason(world, msg, reason);
  const evictedUntold = msg.replacedInWrite && reason === 'overflow';
  // Placed before the copy came, and taken out first (see replacedWhilePlacing): not replaced.
  const takenOutFirst = msg.replacedWhilePlacing === true && (reason === 'aborted' || reason === 'expired');
  if (takenOutFirst) msg.replaced = false;
  if (msg.acked || (msg.replaced && !evictedUntold) || msg.taken)
    fail(`message ${msg.k} dropped after it was accounted for`);
  if (msg.id === undefined && msg.writes.length > 0) fail(`untracked message ${msg.k} dropped after it was sent`);
  msg.dropped = reason;
  if (reason === 'closed') {
    // What never reached the peer goes back in send() order, tracked or not.
    if (msg.k < world.lastClosedDrop)
      fail(`dropped (closed) ${msg.k} after ${world.lastClosedDrop}: not in send() order`);
    world.lastClosedDrop = msg.k;
  }
}

function onAcked(world: World, payload: unknown): void {
  const { data } = payload as { id: number; data: string };
  const msg = world.byText.get(data);
  if (!msg) fail('acked an unknown message');
  if (msg.acked || msg.dropped || msg.replaced) fail(`message ${msg.k} acked after it was accounted for`);
  // An ack for its id that came for a copy it replaced is not its own (it may be on the wire
  // only: being written, the wire not read yet).
  if (msg.writes.length === 0 && !world.fake.connections.some((c) => c.sent.includes(data)))
    fail(`message ${msg.k} acked but never written`);
  msg.acked = true;
}

function onError(world: World, payload: unknown): void {
  // Only the runtime errors this world provokes (refresh, transport, listeners).
  const e = payload as { name?: string; kind?: string; message?: string };
  if (e.name !== 'ClientRuntimeError') fail(`error event ${String(e.name)}`);
  const which = e.kind === 'listener' ? /A "(\w+)" listener threw/.exec(e.message ?? '')?.[1] : undefined;
  if (which === undefined) return;
  // A listener that threw is reported once, after the listeners behind it heard the event.
  const at = world.thrown.indexOf(which);
  if (at < 0) fail(`error event for a ${which} listener that did not throw`);
  world.thrown.splice(at, 1);
}

function onMessage(world: World, payload: unknown, state: World['client']['state']): void {
  // isReady accepted it (just before this event): the connection is stable, the outage over.
  const ready = world.cfg.inbound === 'ready' ? '"ready"' : 'ready';
  if (world.cfg.inbound !== 'plain' && payload === ready && state === 'open' && !world.reentrantReconnect) {
    world.failures = 0;
    world.outageStart = undefined;
  }
  // A reply the server gave inside a send (a loopback) comes after its connection's open, as any message.
  const from = typeof payload === 'string' ? world.echoes.get(payload) : undefined;
  if (from && !world.openTold.has(from)) fail(`${payload} heard before its connection's open was told`);
  if (payload === 'pong' && world.cfg.heartbeat && world.cfg.appPing) fail('a heartbeat pong delivered as a message');
  if (world.cfg.reliable && typeof payload === 'string' && payload.startsWith('{"ack"'))
    fail(`an acknowledgement delivered as a message: ${payload}`);
}
