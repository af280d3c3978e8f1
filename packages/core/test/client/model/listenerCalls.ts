/**
 * Calls an armed listener makes into the client while it is emitting (re-entrancy): each must
 * behave as it would from outside, or wait its turn, without breaking what the event reports.
 */
import { ClientClosedError } from '@resock/core';
import { callOpened, emitEnv, expectThrow, startClose, takeQueued } from './appCalls';
import { noteAsked } from './appOps';
import type { ArmAction, Change } from './modelOps';
import type { World } from './modelState';
import { abortController } from './optionOps';
import { doSend } from './sendCall';

/** The newest controller not aborted yet, if any. */
function lastLiveController(world: World): number {
  for (let i = world.controllers.length - 1; i >= 0; i--) if (!world.controllers[i]?.aborted) return i;
  return -1;
}

export function reenter(world: World, action: ArmAction, during: string): void {
  const { client } = world;
  const closed = client.state === 'closed' || client.state === 'closing';
  world.log.push(`   (in a ${during} listener: ${action} while ${client.state})`);
  world.reentrantCalls++;
  switch (action) {
    case 'send':
    case 'sendTracked':
      doSend(world, { t: 'send', id: action === 'send' ? 'none' : 'fresh', reuse: 0, pad: 3, opts: undefined }, true);
      return;
    case 'sendVolatile': {
      const opts = { volatile: true, ttlMs: undefined, signal: 'none' as const, pick: 0 };
      doSend(world, { t: 'send', id: 'fresh', reuse: 0, pad: 3, opts }, true);
      return;
    }
    case 'sendTtl': {
      // Due at once: out now, or taken out at the next turn of the clock (or of a flush).
      const opts = { volatile: false, ttlMs: 0, signal: 'fresh' as const, pick: 0 };
      doSend(world, { t: 'send', id: 'fresh', reuse: 0, pad: 3, opts }, true);
      return;
    }
    case 'abortSignal':
      abortController(world, lastLiveController(world), true);
      return;
    case 'close':
      startClose(world, undefined, undefined);
      return;
    case 'reconnect':
      if (closed) {
        expectThrow('reconnect in a listener', () => client.reconnect(), ClientClosedError);
        return;
      }
      // It may wait in the mailbox: the outage restarts when it runs (unknown to the model).
      world.failures = undefined;
      world.outageStart = Number.NaN;
      world.reentrantReconnect = true;
      world.freshAttempt = undefined; // (left be, or a fresh attempt made, out of the model's sight)
      // It cuts short the wait announced in this step, however long its refresh hook then takes
      // (a refreshAfter turn's failed hook goes ahead with the attempt it asked for).
      world.reentrantOps.push('reconnect');
      world.opWhileWatch.push('reconnect');
      noteAsked(world);
      client.reconnect();
      return;
    case 'disconnect':
      // It may wait in the mailbox: what it ends is learnt from its state event.
      if (closed) expectThrow('disconnect in a listener', () => client.disconnect(), ClientClosedError);
      else client.disconnect();
      return;
    case 'takeQueued':
      takeQueued(world);
      return;
    case 'opened':
      callOpened(world);
      return;
    case 'serverDrop': {
      const last = world.current();
      if (last && last.state !== 'closed' && !world.newestLetGo()) last.drop();
      return;
    }
    case 'serverAccept': {
      const last = world.current();
      if (last?.state === 'connecting' && !world.newestLetGo()) {
        world.noteOwedAtOpen();
        last.accept();
      }
      return;
    }
    default:
      emitEnv(world, action.slice(4) as Change, true);
      return;
  }
}
