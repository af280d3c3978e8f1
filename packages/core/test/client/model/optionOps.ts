/**
 * Per-message send options in the model: the options a drawn send carries (a fresh or kept
 * AbortController's signal, one aborted already), aborting a kept controller, and options
 * send() must refuse with InvalidOptionsError at the call, changing nothing.
 */
import { InvalidOptionsError, type SendOptions } from '@resock/core';
import { expectThrow, unchanged } from './appCalls';
import type { BadOption, OpHandlers, SendOpts } from './modelOps';
import { fail, isOutstanding, isQueued, type World } from './modelState';
import { scanWire } from './wireChecks';

/** What one send() is handed, and what the model notes of it. */
export interface Asked {
  readonly options: SendOptions | undefined;
  readonly ttlMs: number | undefined;
  readonly volatile: boolean;
  /** The index of its controller in world.controllers. */
  readonly signal: number | undefined;
}

const plain: Asked = { options: undefined, ttlMs: undefined, volatile: false, signal: undefined };

/** Builds the options a drawn send carries; a fresh (or aborted) controller joins the world's. */
export function askedOf(world: World, opts: SendOpts | undefined): Asked {
  if (!opts) return plain;
  const { controllers } = world;
  let signal: number | undefined;
  if (opts.signal === 'reuse' && controllers.length > 0) signal = opts.pick % controllers.length;
  else if (opts.signal !== 'none') {
    const controller = new AbortController();
    const aborted = opts.signal === 'aborted';
    if (aborted) controller.abort();
    signal = controllers.push({ controller, aborted }) - 1;
  }
  const options: { volatile?: boolean; ttlMs?: number; signal?: AbortSignal } = {};
  if (opts.volatile) options.volatile = true;
  if (opts.ttlMs !== undefined) options.ttlMs = opts.ttlMs;
  const entry = signal === undefined ? undefined : controllers[signal];
  if (entry) options.signal = entry.controller.signal;
  return { options, ttlMs: opts.ttlMs, volatile: opts.volatile, signal };
}

/** Options send() must refuse; `null` is not `undefined` (no options), so it is refused too. */
function badOptions(what: BadOption): unknown {
  if (what === 'negative') return { ttlMs: -1 };
  if (what === 'nan') return { ttlMs: Number.NaN };
  // +Infinity is a send's way out of queue.ttlMs (no limit); -Infinity is no duration.
  if (what === 'negativeInfinity') return { ttlMs: Number.NEGATIVE_INFINITY };
  if (what === 'tooBig') return { ttlMs: 2 ** 31 };
  if (what === 'volatileString') return { volatile: 'yes' };
  if (what === 'signalObject') return { signal: {} };
  if (what === 'unknownKey') return { ttl: 5 };
  if (what === 'mixed') return { volatile: true, ttlMs: -5, signal: new AbortController().signal };
  if (what === 'number') return 5;
  if (what === 'string') return 'volatile';
  if (what === 'array') return [];
  return null;
}

/**
 * Aborts controller `index`: each message with its signal that still waits (queued, or in the
 * outbox) leaves at once as dropped 'aborted'; with none waiting, the abort changes nothing.
 */
export function abortController(world: World, index: number, reentrant: boolean): void {
  const entry = world.controllers[index];
  if (!entry) return;
  const what = `abort of signal ${index}`;
  if (entry.aborted) {
    unchanged(world, `${what} again`, () => entry.controller.abort());
    return;
  }
  scanWire(world); // every write seen so far came before the abort
  const waiting = world.msgs.filter((m) => m.signal === index && (isQueued(m) || isOutstanding(m)));
  world.log.push(`   (${what}: ${waiting.map((m) => m.k).join(',') || 'nothing'} waits)`);
  entry.aborted = true;
  // A listener mid-change may see the client hold or replay work: only the outside call is exact.
  if (waiting.length === 0 && !reentrant) {
    unchanged(world, `${what} with nothing waiting`, () => entry.controller.abort());
    return;
  }
  const calls = world.reentrantCalls;
  entry.controller.abort();
  if (reentrant || world.reentrantCalls !== calls) return;
  for (const m of waiting) if (m.dropped !== 'aborted') fail(`${what}: message ${m.k} still waits (${m.dropped})`);
}

export const optionOps = {
  abortSignal(world, op) {
    if (world.controllers.length > 0) abortController(world, op.pick % world.controllers.length, false);
  },
  sendBadOptions(world, op) {
    const options = badOptions(op.what);
    // Unknown to the model: were it kept and written later, the wire check would say so.
    const text = JSON.stringify({ badOptions: op.what });
    // Options are read first (their getters are the app's code), so also after close().
    const what = `send(_, ${op.what}) while ${world.client.state}`;
    unchanged(world, what, () =>
      expectThrow(what, () => world.client.send(text, options as SendOptions), InvalidOptionsError),
    );
  },
} satisfies Partial<OpHandlers<World>>;
