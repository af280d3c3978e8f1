import { definePolicy, normalizeClose } from '@resock/core';
import { describe, expect, it } from 'vitest';
import type { Phase } from '../../src/client/state';
import { freshOutage, type Machine } from '../../src/client/state';
import { type Env, type Input, transition } from '../../src/client/transition';
import { decide } from '../../src/policy/decide';

const now = 1_000_000;
const env: Env = {
  now,
  random: () => 0.5,
  policy: definePolicy(),
  refreshAvailable: true,
  connectTimeoutMs: 10_000,
  closeTimeoutMs: 3000,
  stableAfterMs: 5000,
  idleTimeoutMs: 0,
  maxConnectionAgeMs: 0,
  reconnectCloseCode: 4000,
  heartbeat: true,
  greeting: false,
  probing: true,
  redact: (text) => text,
  online: true,
  visible: true,
  pauseWhenHidden: false,
};
const record = normalizeClose({ code: 1006 }, { now });
const retryDecision = decide(env.policy, record, {
  attempt: 1,
  refreshAvailable: true,
  random: () => 0.5,
  now,
});
const refreshRecord = normalizeClose({ code: 3000 }, { now });
const refreshDecision = decide(env.policy, refreshRecord, {
  attempt: 1,
  refreshAvailable: true,
  now,
});
const stopRecord = normalizeClose({ code: 1000 }, { now });
const stopDecision = decide(env.policy, stopRecord, { attempt: 1, refreshAvailable: true, now });

const phases: Record<string, Phase> = {
  idle: { status: 'idle' },
  connecting: { status: 'connecting', id: 7 },
  open: { status: 'open', id: 7, since: now }, // just opened: not stable yet
  closing: { status: 'closing', id: 7, code: 1000, reason: '' },
  waiting: { status: 'waiting', refresh: false, record, decision: retryDecision, dueAt: now + 500, hold: 'none' },
  refreshing: {
    status: 'waiting',
    refresh: true,
    record: refreshRecord,
    decision: refreshDecision,
    dueAt: now,
    hold: 'none',
  },
  // The refresh hook is running: waiting with no timer and no hold.
  hookRunning: {
    status: 'waiting',
    refresh: true,
    record: refreshRecord,
    decision: refreshDecision,
    dueAt: undefined,
    hold: 'none',
  },
  parked: { status: 'waiting', refresh: false, record, decision: retryDecision, dueAt: undefined, hold: 'parked' },
  suspended: {
    status: 'waiting',
    refresh: false,
    record,
    decision: retryDecision,
    dueAt: undefined,
    hold: 'suspended',
  },
  closed: { status: 'closed', record: stopRecord },
  failed: { status: 'failed', record: stopRecord, decision: stopDecision },
};

const inputs: Record<string, Input> = {
  start: { type: 'start' },
  opened: { type: 'opened', id: 7, url: 'wss://x.test/', protocol: '', extensions: '' },
  serverClose1006: {
    type: 'transportClosed',
    id: 7,
    raw: { code: 1006, reason: '', wasClean: false },
  },
  serverClose1000: {
    type: 'transportClosed',
    id: 7,
    raw: { code: 1000, reason: 'bye', wasClean: true },
  },
  connectFailed: { type: 'connectFailed', id: 7, error: new Error('refused') },
  connectTimeout: { type: 'connectTimeout', id: 7 },
  closeTimeout: { type: 'closeTimeout', id: 7 },
  heartbeatTimeout: { type: 'heartbeatTimeout', id: 7 },
  sendFailed: { type: 'sendFailed', id: 7 },
  sendAccepted: { type: 'sendAccepted', id: 7 },
  stable: { type: 'stable', id: 7 },
  idleQuiet: { type: 'idleDue', id: 7, quiet: true },
  idleBusy: { type: 'idleDue', id: 7, quiet: false },
  ageDue: { type: 'ageDue', id: 7 },
  retryDue: { type: 'retryDue' },
  refreshed: { type: 'refreshed' },
  refreshFailed: { type: 'refreshFailed', error: new Error('token server down') },
  close: { type: 'close', code: 1000, reason: '' },
  reconnect: { type: 'reconnect' },
  staleClose: { type: 'transportClosed', id: 3, raw: { code: 1006, reason: '', wasClean: false } },
  staleOpened: { type: 'opened', id: 3, url: 'wss://x.test/', protocol: '', extensions: '' },
  online: { type: 'environment', change: 'online' },
  offline: { type: 'environment', change: 'offline' },
  visible: { type: 'environment', change: 'visible' },
  hidden: { type: 'environment', change: 'hidden' },
  pagehide: { type: 'environment', change: 'pagehide' },
  pageshow: { type: 'environment', change: 'pageshow' },
};

// The status after each input, per phase. '=' means the input does not apply (nothing changes);
// a trailing '*' means the status stays but something happens (the outage resets, a probe, …).
const matrix = `
input             idle        connecting  open        closing  waiting     refreshing  parked      hookRunning  suspended   closed  failed
start             connecting  =           =           =        =           =           =           =            =           =       =
opened            =           open        =           =        =           =           =           =            =           =       =
serverClose1006   =           waiting     waiting     closed   =           =           =           =            =           =       =
serverClose1000   =           failed      failed      closed   =           =           =           =            =           =       =
connectFailed     =           waiting     =           =        =           =           =           =            =           =       =
connectTimeout    =           waiting     =           =        =           =           =           =            =           =       =
closeTimeout      =           =           waiting     closed   =           =           =           =            =           =       =
heartbeatTimeout  =           =           waiting     =        =           =           =           =            =           =       =
sendFailed        =           =           open*       =        =           =           =           =            =           =       =
sendAccepted      =           =           open*       =        =           =           =           =            =           =       =
stable            =           =           open*       =        =           =           =           =            =           =       =
idleQuiet         =           =           idle        =        =           =           =           =            =           =       =
idleBusy          =           =           open*       =        =           =           =           =            =           =       =
ageDue            =           =           connecting  =        =           =           =           =            =           =       =
retryDue          =           =           =           =        connecting  waiting*    =           =            =           =       =
refreshed         =           =           =           =        =           connecting  =           connecting   =           =       =
refreshFailed     =           =           =           =        =           waiting     =           waiting      =           =       =
close             closed      closed      closing     =        closed      closed      closed      closed       closed      =       closed
reconnect         connecting  connecting  connecting  =        connecting  waiting*    connecting  waiting*     connecting  =       connecting
staleClose        =           =           =           =        =           =           =           =            =           =       =
staleOpened       =           =           =           =        =           =           =           =            =           =       =
online            =           =           =           =        connecting  waiting*    connecting  =            =           =       =
offline           =           waiting     open*       =        =           =           =           =            =           =       =
visible           =           =           open*       =        =           waiting*    connecting  =            =           =       =
hidden            =           =           =           =        =           =           =           =            =           =       =
pagehide          =           waiting     waiting     =        waiting*    waiting*    waiting*    waiting*     waiting*    =       =
pageshow          =           =           =           =        =           =           =           =            connecting  =       =
`;

const [header = [], ...rows] = matrix
  .trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/));
const cases = rows.flatMap(([input = '', ...expected]) =>
  header.slice(1).map((phase, i) => ({ input, phase, expected: expected[i] ?? '?' })),
);

describe('transition: every phase × every input', () => {
  it('covers every phase and input', () => {
    expect(rows.map((row) => row[0]).sort()).toEqual(Object.keys(inputs).sort());
    expect(header.slice(1).sort()).toEqual(Object.keys(phases).sort());
    expect(rows.every((row) => row.length === header.length)).toBe(true);
  });

  it.each(cases)('$phase + $input → $expected', ({ input, phase, expected }) => {
    const machine: Machine = { phase: phases[phase] as Phase, outage: freshOutage, nextId: 8 };
    const step = transition(machine, inputs[input] as Input, env);
    if (expected === '=') {
      expect(step.machine).toBe(machine);
      expect(step.effects).toEqual([]);
    } else if (expected.endsWith('*')) {
      // Same status, but something happened (the outage reset, the refresh hook ran).
      expect(step.machine.phase.status).toBe(expected.slice(0, -1));
      expect(step.machine === machine && step.effects.length === 0).toBe(false);
    } else {
      expect(step.machine.phase.status).toBe(expected);
    }
  });
});

describe('transition: effects', () => {
  const at = (phase: Phase, outage = freshOutage): Machine => ({ phase, outage, nextId: 8 });
  const types = (effects: readonly { type: string }[]) => effects.map((e) => e.type);

  it('maxConnectionAgeMs: an open connection moves (reconnectCloseCode, max-age); offline it is kept and looked at again', () => {
    const aged = { ...env, maxConnectionAgeMs: 100_000 };
    const moved = transition(at(phases.open as Phase), inputs.ageDue as Input, aged);
    expect(moved.effects).toContainEqual(
      expect.objectContaining({ type: 'dropSocket', id: 7, code: 4000, reason: 'max-age', say: true }),
    );
    expect(types(moved.effects)).toContain('connect');
    expect(types(moved.effects)).toContain('cancelTimer'); // its own age timer, among the open's
    const offline = transition(at(phases.open as Phase), inputs.ageDue as Input, { ...aged, online: false });
    expect(offline.machine.phase).toEqual({ ...phases.open, aged: true });
    expect(offline.effects).toEqual([]);
    const online = transition(offline.machine, inputs.online as Input, aged);
    expect(online.effects).toContainEqual(expect.objectContaining({ type: 'dropSocket', reason: 'max-age' }));
    expect(online.machine.phase.status).toBe('connecting');
    // Not aged: online changes nothing for an open connection.
    expect(transition(at(phases.open as Phase), inputs.online as Input, aged).effects).toEqual([]);
    const opened = transition(at(phases.connecting as Phase), inputs.opened as Input, aged);
    // random 0.5: halfway through the age's last tenth.
    expect(opened.effects).toContainEqual({ type: 'startTimer', timer: 'age', delayMs: 95_000, id: 7 });
  });

  it('reconnect() with fresh credentials owed: the hook runs now (or goes on), and the attempt follows it', () => {
    const outage = { ...freshOutage, failures: 3, startedAt: now - 9000 };
    // Waiting to run the hook: the wait is skipped, not the hook.
    const owed = transition(at(phases.refreshing as Phase, outage), inputs.reconnect as Input, env);
    expect(types(owed.effects)).toEqual(['cancelTimer', 'refresh']);
    expect(owed.effects[1]).toMatchObject({ record: refreshRecord, attempt: 0 });
    expect(owed.machine.phase).toMatchObject({ status: 'waiting', refresh: true, dueAt: undefined, hold: 'none' });
    expect(owed.machine.outage).toBe(freshOutage);
    // The hook is running: it is not aborted (its token would be thrown away) and no attempt
    // goes out with the credentials the server refused; 'refreshed' then connects.
    const running = transition(at(phases.hookRunning as Phase, outage), inputs.reconnect as Input, env);
    expect(types(running.effects)).not.toContain('abortRefresh');
    expect(types(running.effects)).not.toContain('connect');
    expect(running.machine.outage).toBe(freshOutage);
    const refreshed = transition(running.machine, inputs.refreshed as Input, env);
    expect(refreshed.machine.phase.status).toBe('connecting');
  });

  it('on open: cancels the deadline, flushes the queue before any event, starts the heartbeat and the stability timer', () => {
    const step = transition(at(phases.connecting as Phase), inputs.opened as Input, env);
    expect(types(step.effects)).toEqual([
      'cancelTimer',
      'flushQueue',
      'emit',
      'startHeartbeat',
      'startTimer',
      'emit',
      'resolveOpened',
    ]);
    expect(step.effects[4]).toMatchObject({ timer: 'stable', delayMs: 5000 });
    expect(step.effects[5]).toMatchObject({ event: { name: 'open', attempt: 1 } });
  });

  it('with a greeting: the open is held (still connecting, deadline running) and the greeting asked for', () => {
    const greeting = { ...env, greeting: true };
    const opened = inputs.opened as Extract<Input, { type: 'opened' }>;
    const step = transition(at(phases.connecting as Phase), opened, greeting);
    expect(step.machine.phase).toEqual({ status: 'connecting', id: opened.id, greeting: true });
    expect(step.effects).toEqual([{ type: 'greet', opened }]);
    // The same open again (a transport that repeats it) asks nothing more; told `greeted`, it opens.
    expect(transition(step.machine, opened, greeting).effects).toEqual([]);
    expect(transition(step.machine, { ...opened, greeted: true }, greeting).machine.phase.status).toBe('open');
    // The socket is open meanwhile: the app's close sends a close frame and waits for the answer.
    const closing = transition(step.machine, { type: 'close', code: 1000, reason: 'bye' }, greeting);
    expect(types(closing.effects)).toEqual(['cancelTimer', 'closeSocket', 'startTimer', 'emit']);
    expect(closing.machine.phase).toMatchObject({ status: 'closing', code: 1000, reason: 'bye' });
  });

  it('after a close: close, then state, then reconnecting, then the retry timer', () => {
    const step = transition(at(phases.open as Phase), inputs.serverClose1006 as Input, env);
    const emitted = step.effects.flatMap((e) => (e.type === 'emit' ? [e.event.name] : []));
    expect(emitted).toEqual(['close', 'state', 'reconnecting']);
    expect(step.effects.at(-1)).toMatchObject({ type: 'startTimer', timer: 'retry', delayMs: 500 });
    expect(step.machine.outage).toMatchObject({
      failures: 1,
      startedAt: now,
      streak: { rule: 'default:transient', count: 1 },
    });
  });

  it('connects in the next step when the policy says "now": no timer hop, that wait only', () => {
    const hb = { type: 'heartbeatTimeout', id: 7 } as const;
    const now = definePolicy({ rules: [{ initiator: ['heartbeat'], action: 'retry', firstDelayMs: 0 }] });
    const step = transition(at(phases.open as Phase), hb, { ...env, policy: now });
    // Waiting, with no timer: the shell puts retryDue for this decision behind what this step's
    // listeners asked for (a close() from the close listener is heard while it waits).
    expect(step.machine.phase).toMatchObject({ status: 'waiting', dueAt: env.now });
    expect(step.effects.filter((e) => e.type === 'startTimer')).toEqual([]);
    const decision = (step.machine.phase as { decision: unknown }).decision;
    expect(step.effects.at(-1)).toEqual({ type: 'retryNow', decision });
    expect(step.effects).toContainEqual({
      type: 'dropSocket',
      id: 7,
      code: 4000,
      reason: 'heartbeat timeout',
      say: false, // a dead peer is cut, not told
    });
    const due = transition(step.machine, { type: 'retryDue', decision } as Input, { ...env, policy: now });
    expect(due.machine.phase).toEqual({ status: 'connecting', id: 8 });
    expect(due.effects.filter((e) => e.type === 'startTimer').map((e) => (e as { timer: string }).timer)).toEqual([
      'connect',
    ]);
    // Another wait's due-at-once (a decision since replaced) starts nothing.
    const stale = transition(step.machine, { type: 'retryDue', decision: { ...(decision as object) } } as Input, env);
    expect(stale.machine.phase.status).toBe('waiting');
    expect(stale.effects).toEqual([]);
  });

  it('a refused send gives the close closeTimeoutMs to arrive, then lets the socket go', () => {
    const refused = transition(at(phases.open as Phase), inputs.sendFailed as Input, env);
    expect(refused.effects).toEqual([{ type: 'startTimer', timer: 'close', delayMs: env.closeTimeoutMs, id: 7 }]);
    // The socket took a message again: the refusal passed, and so does its deadline.
    const accepted = transition(at(phases.open as Phase), inputs.sendAccepted as Input, env);
    expect(accepted.effects).toEqual([{ type: 'cancelTimer', timer: 'close' }]);
    const late = transition(at(phases.open as Phase), inputs.closeTimeout as Input, env);
    expect(late.effects).toContainEqual({ type: 'dropSocket', id: 7, code: 4000, reason: 'close timeout', say: false });
    expect(late.effects).toContainEqual({
      type: 'emit',
      event: { name: 'close', record: expect.objectContaining({ code: 1006, initiator: 'timeout', synthetic: true }) },
    });
  });

  it('keeps counting failures until a connection is stable', () => {
    const outage = {
      failures: 3,
      streak: { rule: 'default:transient', count: 3 },
      startedAt: now - 10_000,
      previousDelayMs: 4000,
    };
    const step = transition(at(phases.open as Phase, outage), inputs.serverClose1006 as Input, env);
    expect(step.machine.outage.failures).toBe(4);
    const stable = transition(at(phases.open as Phase, outage), inputs.stable as Input, env);
    expect(stable.machine.outage).toEqual(freshOutage);
  });

  it("a close in flight finishes on the transport close as the app's close", () => {
    const step = transition(at(phases.closing as Phase), inputs.serverClose1000 as Input, env);
    const finish = step.effects.find((e) => e.type === 'finish');
    expect(finish).toMatchObject({
      record: { code: 1000, initiator: 'client', phase: 'closing', synthetic: false },
    });
  });

  it('runs the refresh hook when a refresh retry is due, and decides again when it fails', () => {
    const due = transition(at(phases.refreshing as Phase), inputs.retryDue as Input, env);
    expect(due.effects).toEqual([{ type: 'refresh', record: refreshRecord, attempt: 0 }]);
    const failed = transition(
      at(phases.refreshing as Phase, {
        ...freshOutage,
        streak: { rule: 'default:auth', count: 1 },
        failures: 1,
      }),
      inputs.refreshFailed as Input,
      env,
    );
    // Another failure of the outage, not another refusal: the rule's streak stays.
    expect(failed.machine.outage).toMatchObject({ streak: { rule: 'default:auth', count: 1 }, failures: 2 });
  });
});
