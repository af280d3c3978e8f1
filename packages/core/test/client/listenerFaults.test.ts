import type { CloseRecord, ReconnectingEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { gatedSchema, harness } from './clientHarness';

describe('a listener that throws', () => {
  it('does not keep the listeners after it from hearing the event, and is reported', () => {
    const h = harness();
    const heard: unknown[] = [];
    h.client.on('message', () => {
      throw new Error('bug in one subscriber');
    });
    h.client.on('message', (data) => heard.push(data));
    h.transport.last().accept();
    h.transport.last().deliver('hello');
    expect(heard).toEqual(['hello']);
    expect(h.of<Error>('error').map((e) => e.message)).toEqual(['A "message" listener threw']);
  });

  it('does not hide a failure from a later "failed" listener; off() and once() still work', () => {
    const h = harness();
    const failures: string[] = [];
    const broken = () => {
      throw new Error('bug in a logging plugin');
    };
    h.client.on('failed', broken);
    h.client.once('failed', (event) => failures.push(event.reason));
    const removed = () => failures.push('removed listener ran');
    h.client.on('failed', removed);
    h.client.off('failed', removed);
    h.transport.last().accept();
    h.transport.last().serverClose(1000); // the default policy stops
    expect(failures).toEqual(['rule']);
    h.client.reconnect();
    h.transport.last().accept();
    h.transport.last().serverClose(1000);
    expect(failures).toEqual(['rule']); // once
  });
});

describe('a heartbeat.message function that throws', () => {
  it('is reported, and the connection is left unchecked rather than dropped as a dead peer', () => {
    const h = harness(
      {
        heartbeat: {
          intervalMs: 1000,
          timeoutMs: 500,
          message: () => {
            throw new Error('bug in the ping builder');
          },
        },
      },
      { ping: false },
    );
    h.transport.last().accept();
    h.clock.advance(10_000);
    expect(h.client.state).toBe('open');
    expect(h.of<Error>('error').map((e) => e.message)).toEqual(['heartbeat.message threw']);
  });
});

describe('close() from a listener', () => {
  it('after a dead peer (retried "now", in the same step) dials nothing', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    h.transport.last().accept();
    h.transport.last().goSilent();
    h.client.on('close', (record) => {
      if (record.initiator === 'heartbeat') void h.client.close();
    });
    h.clock.advance(1600);
    expect(h.client.state).toBe('closed');
    expect(h.transport.connections).toHaveLength(1);
  });
});

describe('close() or disconnect() from a listener of the step that decides a retry', () => {
  // A retry "now" waits for the step after its decision, so the app's call from that step's
  // listeners finds it waiting, as a later retry: it told a connecting, and a close record for
  // an attempt that never dialled.
  const trace = (call: 'close' | 'disconnect', event: 'close' | 'reconnecting' | 'state', delayMs: number) => {
    const h = harness({ policy: { preset: 'none', backoff: { type: 'constant', delayMs } } });
    h.transport.last().accept();
    const stop = h.client.on(event, () => {
      stop();
      void h.client[call]();
    });
    h.transport.last().serverClose(4000);
    expect(h.transport.connections).toHaveLength(1);
    return h.events
      .slice(h.names().lastIndexOf('open') + 1)
      .map(({ name, payload }) => [
        name,
        (payload as { to?: string; phase?: string }).to ?? (payload as { phase?: string }).phase,
      ]);
  };
  it.each([
    ['close', 'close'],
    ['close', 'reconnecting'],
    ['close', 'state'],
    ['disconnect', 'close'],
    ['disconnect', 'reconnecting'],
    ['disconnect', 'state'],
  ] as const)('%s() from the %s listener: as for a later retry', (call, event) => {
    const now = trace(call, event, 0);
    expect(now).toEqual(trace(call, event, 1000));
    expect(now.filter(([name]) => name === 'state').map(([, to]) => to)).toEqual([
      'waiting',
      call === 'close' ? 'closed' : 'disconnected',
    ]);
  });
});

describe('reconnect() from a listener', () => {
  // reconnect() "also revives a failed client"; opened() "rejects when the client fails or is
  // closed first". A reconnect() in a failed (or state) listener waits its turn, but the app's
  // opened() right after it is about that reconnect, not the failure before it.
  it.each(['close', 'failed', 'state'] as const)(
    'then opened() in a %s listener waits for the next open',
    async (event) => {
      const h = harness();
      let next: Promise<unknown> | undefined;
      const stop = h.client.on(event, () => {
        if (h.client.state !== 'failed' || next) return;
        h.client.reconnect();
        next = h.client.opened();
        next.catch(() => undefined);
      });
      h.transport.last().reject(403); // default:http-client-error stops
      stop();
      expect(h.client.state).toBe('connecting');
      h.transport.last().accept();
      await expect(next).resolves.toMatchObject({ attempt: 1 });
    },
  );

  it('then opened() in the error listener of the refresh that failed last waits for the next open', async () => {
    const h = harness({ refresh: () => Promise.reject(new Error('token service down')), policy: { maxAttempts: 2 } });
    let next: Promise<unknown> | undefined;
    h.client.on('error', () => {
      if (h.client.state !== 'failed' || next) return; // the second failed refresh stops (maxAttempts)
      h.client.reconnect();
      next = h.client.opened();
      next.catch(() => undefined);
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired'); // default: refresh, at most 2 in a row
    for (let i = 0; i < 600 && !next; i++) await h.clock.advanceAsync(1000);
    expect(h.client.state).toBe('connecting');
    h.transport.last().accept();
    await expect(next).resolves.toMatchObject({ attempt: 1 });
  });

  it('an opened() from before the failure is still rejected', async () => {
    const h = harness();
    const before = h.client.opened();
    h.client.once('failed', () => h.client.reconnect());
    h.transport.last().reject(403);
    await expect(before).rejects.toThrow(/stopped reconnecting/);
  });
});

describe('an async message schema', () => {
  it('delivers nothing once close() has resolved', async () => {
    const { schema, release, gate } = gatedSchema();
    const h = harness({ messages: schema });
    h.transport.last().accept();
    h.transport.last().deliver('"late"');
    const record: CloseRecord = await h.client.close();
    expect(record.initiator).toBe('client');
    release();
    await gate;
    // Let the validation chain settle: a few microtask turns, no timers involved.
    for (let i = 0; i < 10; i++) await Promise.resolve();
    expect(h.of('message')).toEqual([]);
  });
});

describe('once listeners', () => {
  it('a once listener added during an emit (by another once listener) hears the next event', () => {
    const h = harness();
    h.transport.last().accept();
    const heard: string[] = [];
    h.client.once('message', (m) => {
      heard.push(`a:${m}`);
      h.client.once('message', (n) => heard.push(`c:${n}`));
    });
    h.client.once('message', (m) => heard.push(`b:${m}`));
    h.transport.last().deliver('1');
    h.transport.last().deliver('2');
    expect(heard).toEqual(['a:1', 'b:1', 'c:2']);
  });

  it('a once listener added by an on() listener during an emit survives a later once listener', () => {
    const h = harness();
    h.transport.last().accept();
    const heard: string[] = [];
    let armed = false;
    h.client.on('message', () => {
      if (armed) return;
      armed = true;
      h.client.once('message', (n) => heard.push(`next:${n}`));
    });
    h.client.once('message', (m) => heard.push(`first:${m}`));
    h.transport.last().deliver('1');
    h.transport.last().deliver('2');
    expect(heard).toEqual(['first:1', 'next:2']);
  });
});

describe('unsubscribing', () => {
  // `on` and `once` return their unsubscribe function: each takes back its own registration.
  it("once()'s unsubscribe leaves an on() of the same function, and on()'s leaves its once()", () => {
    const h = harness();
    const calls: string[] = [];
    const onOpen = () => calls.push('on');
    const onceOpen = () => calls.push('once');
    h.client.on('open', onOpen);
    h.client.once('open', onOpen)();
    const stopOn = h.client.on('open', onceOpen);
    h.client.once('open', onceOpen);
    stopOn();
    h.transport.last().accept();
    expect(calls).toEqual(['on', 'once']);
  });
});

describe('an async message schema and isReady', () => {
  it('counts a message validated late for isReady only on its own connection (no false stability)', async () => {
    const { schema, release } = gatedSchema();
    const h = harness({ random: () => 0.999, stableAfterMs: 5000, messages: schema, isReady: (m) => m === 'welcome' });
    h.transport.last().accept();
    h.transport.last().deliver('"welcome"'); // still being validated when the link dies
    h.transport.last().drop();
    h.clock.runNext();
    h.transport.last().accept();
    release();
    await h.clock.advanceAsync(0);
    expect(h.of('message')).toEqual(['welcome']); // delivered all the same
    h.transport.last().drop(); // not stable: the back-off goes on counting
    expect(h.of<ReconnectingEvent>('reconnecting').at(-1)).toMatchObject({ attempt: 2 });
  });
});
