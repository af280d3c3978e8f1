/**
 * Operations the app performs: its calls (good and bad arguments alike), the page's changes,
 * its abort signal, and arming its listeners to throw or to call back into the client.
 */
import {
  ClientClosedError,
  CloseReasonTooLongError,
  InvalidCloseCodeError,
  InvalidCloseReasonError,
  InvalidMessageError,
} from '@resock/core';
import { MIN_ASKED_DIAL_MS } from '../../../src/client/machineTypes';
import { callOpened, emitEnv, expectThrow, startClose, takeQueued, unchanged } from './appCalls';
import type { BadClose, BadSend, OpHandlers } from './modelOps';
import { fail, tick, type World } from './modelState';
import { doSend } from './sendCall';

/** What send() must refuse: no string or binary, a detached buffer, a shared one. */
function badData(what: BadSend): unknown {
  if (what === 'null') return null;
  if (what === 'number') return 42;
  if (what === 'object') return { hello: 1 };
  if (what === 'undefined') return undefined;
  if (what === 'shared') return new SharedArrayBuffer(8);
  if (what === 'symbol') return Symbol('x');
  if (what === 'bigint') return 1n;
  const buffer = new ArrayBuffer(0);
  structuredClone(buffer, { transfer: [buffer] }); // detaches it
  return buffer;
}

/** The arguments close() must refuse, and the error each must throw. */
function badClose(what: BadClose): [code: unknown, reason: unknown, error: new (...args: never[]) => Error] {
  if (what === 'nan') return [Number.NaN, '', InvalidCloseCodeError];
  if (what === 'float') return [1000.5, '', InvalidCloseCodeError];
  if (what === 'string') return ['1000', '', InvalidCloseCodeError];
  if (what === 'null') return [null, '', InvalidCloseCodeError];
  if (what === 'longReason') return [1000, 'é'.repeat(62), CloseReasonTooLongError];
  if (what === 'reasonNumber') return [1000, 42, InvalidCloseReasonError];
  if (what === 'reasonNull') return [1000, null, InvalidCloseReasonError];
  return [what, '', InvalidCloseCodeError];
}

const isClosed = (world: World) => world.client.state === 'closed' || world.client.state === 'closing';

export const appOps = {
  send: (world, op) => doSend(world, op, false),
  sendBad(world, op) {
    const data = badData(op.what);
    const type = isClosed(world) ? ClientClosedError : InvalidMessageError;
    unchanged(world, `send(${op.what})`, () =>
      expectThrow(`send(${op.what})`, () => world.client.send(data as string), type),
    );
  },
  closeBad(world, op) {
    const [code, reason, type] = badClose(op.what);
    const what = `close(${String(code)})`;
    unchanged(world, what, () => expectThrow(what, () => world.client.close(code as number, reason as string), type));
  },
  async reconnect(world) {
    if (isClosed(world)) {
      unchanged(world, 'reconnect after close', () =>
        expectThrow('reconnect', () => world.client.reconnect(), ClientClosedError),
      );
      return;
    }
    const held = noteAsked(world);
    // The outage starts over (before the call: a synchronous transport may open inside it).
    world.failures = 0;
    world.outageStart = undefined;
    const before = world.client.stats.attempts;
    const armed = world.armed.length > 0; // (a listener it fires may disconnect or close)
    if (world.client.state === 'connecting' && world.freshAttempt !== false) {
      // The attempt an earlier reconnect() or a move started is the fresh one this asks for.
      if (world.freshAttempt === true)
        unchanged(world, 'reconnect during its own attempt', () => world.client.reconnect());
      else {
        world.client.reconnect(); // left be, or the attempt it makes is fresh: either way, one is
        world.freshAttempt = freshAfter(world, armed);
      }
      return;
    }
    world.client.reconnect();
    world.freshAttempt = freshAfter(world, armed);
    // The app's own call connects — also while offline or hidden, and after the refresh hook
    // when credentials are owed — once hooks that settle have (none armed to step in).
    const settles = world.cfg.refresh === 'none' || world.cfg.refresh === 'sync' || world.cfg.refresh === 'ok';
    // (Within a second of the attempt asked for before, its dial or hook waits its turn.)
    if (!settles || world.cfg.urlMode === 'async' || armed || world.inWrite || held) return;
    await tick();
    const state = world.client.state;
    if (state !== 'closing' && state !== 'closed' && world.client.stats.attempts === before)
      fail(`reconnect() made no attempt (now ${state})`);
  },
  open(world) {
    if (isClosed(world)) {
      unchanged(world, 'open after close', () => expectThrow('open', () => world.client.open(), ClientClosedError));
      return;
    }
    const from = world.client.state;
    const armed = world.armed.length > 0;
    noteAsked(world);
    world.client.open();
    // Its attempt is the fresh one the app asked for: a reconnect() meanwhile leaves it be.
    if ((from === 'idle' || from === 'disconnected') && world.client.state === 'connecting')
      world.freshAttempt = armed ? undefined : true;
  },
  disconnect(world) {
    if (isClosed(world)) {
      unchanged(world, 'disconnect after close', () =>
        expectThrow('disconnect', () => world.client.disconnect(), ClientClosedError),
      );
      return;
    }
    // (What it ends is learnt from its state event: outageChecks.ts.)
    const armed = world.armed.length > 0;
    world.client.disconnect();
    // (A listener of its close or state may have gone on: reconnect(), open(), close().)
    if (!armed && world.client.state !== 'disconnected') fail(`disconnect() left the client ${world.client.state}`);
  },
  close: (world, op) => startClose(world, op.code, op.reason),
  takeQueued: (world) => takeQueued(world),
  opened: (world) => callOpened(world),
  env: (world, op) => emitEnv(world, op.change, false),
  abort(world) {
    if (world.cfg.signal) world.abort.abort();
  },
  arm(world, op) {
    world.armed.push({ event: op.event, action: op.action });
  },
  armThrow(world, op) {
    world.throwOn.push(op.event);
  },
} satisfies Partial<OpHandlers<World>>;

/** After the app's reconnect(): its attempt is fresh; one that follows a refresh hook (waiting) too, unseen. */
/** The app asks for an attempt (reconnect(), open()): whether it may wait its turn (MIN_ASKED_DIAL_MS). */
export function noteAsked(world: World): boolean {
  const now = world.clock.now();
  const mark = world.askedMark;
  const held = mark !== undefined && now < mark + MIN_ASKED_DIAL_MS;
  world.askedMark = held ? mark + MIN_ASKED_DIAL_MS : now;
  return held;
}

function freshAfter(world: World, armed: boolean): boolean | undefined {
  const { state } = world.client;
  return armed || state === 'waiting' ? undefined : state === 'connecting';
}
