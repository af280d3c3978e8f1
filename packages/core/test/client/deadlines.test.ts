import type { CloseRecord, ReconnectingEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { sharedScheduler } from '../../src/client/sharedScheduler';
import { harness } from './clientHarness';

describe('close() in every state leaves nothing behind', () => {
  const states = {
    idle: () => harness({ lazy: true }),
    connecting: () => harness(),
    open: () => {
      const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
      h.transport.last().accept();
      return h;
    },
    waiting: () => {
      const h = harness();
      h.transport.last().fail();
      return h;
    },
    refreshing: () => {
      const h = harness({ refresh: () => new Promise(() => undefined) });
      h.transport.last().accept();
      h.transport.last().serverClose(3000, 'token expired');
      return h;
    },
    failed: () => {
      const h = harness();
      h.transport.last().reject(403);
      return h;
    },
  };

  it.each(Object.entries(states))(
    '%s: resolves with the final record, no timer pending, no heartbeat',
    async (state, make) => {
      const h = make();
      expect(h.client.state).toBe(state === 'refreshing' ? 'waiting' : state);
      const record = await h.client.close(4321, 'bye');
      expect(h.client.state).toBe('closed');
      expect(record).toMatchObject({ initiator: 'client' });
      expect(h.clock.pending()).toBe(0);
      expect(sharedScheduler(h.clock).size).toBe(0);
      expect(h.of<CloseRecord>('close').at(-1)).toBe(record);
      await expect(h.client.close()).resolves.toBe(record); // idempotent
    },
  );

  it('closing: a polite close waits for the echo, and the record is the server’s answer', async () => {
    const h = harness();
    h.transport.last().accept();
    const record = await h.client.close(1000, 'done');
    expect(h.transport.last().closeCall).toEqual({ code: 1000, reason: 'done' });
    expect(record).toMatchObject({
      code: 1000,
      reason: 'done',
      wasClean: true,
      phase: 'closing',
      initiator: 'client',
      synthetic: false,
    });
  });

  it('closing: a silent peer is terminated after closeTimeoutMs and the record completed', async () => {
    const h = harness({ closeTimeoutMs: 3000 });
    h.transport.last().accept();
    h.transport.last().goSilent();
    const closing = h.client.close(1000, 'done');
    expect(h.client.state).toBe('closing');
    h.clock.advance(2999);
    expect(h.client.state).toBe('closing');
    h.clock.advance(1);
    const record = await closing;
    expect(h.transport.last().terminated).toBe(true);
    expect(record).toMatchObject({
      code: 1006,
      wasClean: false,
      phase: 'closing',
      initiator: 'client',
      synthetic: true,
    });
    expect(h.clock.pending()).toBe(0);
  });

  it('closing without terminate: closes politely and detaches, ignoring late events', async () => {
    const h = harness({}, { terminate: false });
    h.transport.last().accept();
    h.transport.last().goSilent();
    const closing = h.client.close();
    h.clock.advance(3000);
    await closing;
    h.transport.last().serverClose(1000, 'late'); // nobody listens any more
    expect(h.of<CloseRecord>('close')).toHaveLength(1);
  });

  it('a close during connecting aborts the handshake', async () => {
    const h = harness();
    const attempt = h.transport.last();
    const record = await h.client.close();
    expect(attempt.terminated).toBe(true);
    expect(record).toMatchObject({ phase: 'connecting', initiator: 'client', synthetic: true });
  });

  it('close() validates its arguments at the call, like a browser', () => {
    const h = harness();
    expect(() => h.client.close(1001)).toThrow(/1000 or a code in 3000–4999/);
    expect(() => h.client.close(1000, 'é'.repeat(62))).toThrow(/124 bytes/);
    expect(h.client.state).toBe('connecting');
  });
});

describe('deadlines', () => {
  it('fails an attempt not open after connectTimeoutMs, as initiator timeout', () => {
    const h = harness({ connectTimeoutMs: 2000 });
    const attempt = h.transport.last();
    h.clock.advance(1999);
    expect(h.client.state).toBe('connecting');
    h.clock.advance(1);
    expect(attempt.terminated).toBe(true);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({
      code: 1006,
      phase: 'connecting',
      initiator: 'timeout',
      synthetic: true,
    });
    expect(h.client.state).toBe('waiting');
  });

  it('says nothing of a URL that resolves badly after its attempt was given up', async () => {
    let resolve: (url: string) => void = () => undefined;
    const h = harness({ url: () => new Promise<string>((r) => (resolve = r)), connectTimeoutMs: 1000 });
    await h.clock.advanceAsync(1000);
    await h.client.close();
    resolve('ftp://not-a-socket.test/');
    await h.clock.advanceAsync(0);
    expect(h.of('error')).toEqual([]);
  });

  it('bounds a URL function that never settles with the same deadline', async () => {
    const h = harness({ url: () => new Promise<string>(() => undefined), connectTimeoutMs: 1000 });
    await h.clock.advanceAsync(1000);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({ initiator: 'timeout' });
  });
});

describe('heartbeat', () => {
  it('drops a silent peer within intervalMs + timeoutMs and retries within 0–1 s', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    h.transport.last().accept();
    const first = h.transport.last();
    first.goSilent();
    h.clock.advance(1000);
    expect(first.pings).toBe(1);
    h.clock.advance(499);
    expect(h.client.state).toBe('open');
    h.clock.advance(1);
    expect(first.terminated).toBe(true);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({
      code: 1006,
      initiator: 'heartbeat',
      phase: 'open',
      synthetic: true,
    });
    const reconnecting = h.of<ReconnectingEvent>('reconnecting')[0];
    expect(reconnecting).toMatchObject({ rule: 'default:heartbeat-dead-peer' });
    expect(reconnecting?.delayMs).toBeLessThanOrEqual(1000);
    h.clock.advance(reconnecting?.delayMs ?? 0);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('pings only after quiet time: traffic postpones the ping', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    h.transport.last().accept();
    for (let i = 0; i < 5; i++) {
      h.clock.advance(900);
      h.transport.last().deliver('tick');
    }
    expect(h.transport.last().pings).toBe(0);
    h.clock.advance(1000);
    expect(h.transport.last().pings).toBe(1);
    expect(h.client.state).toBe('open'); // the fake answered the ping
  });

  it('uses an app-level ping where the transport has none, and hides the pongs', () => {
    const h = harness(
      {
        heartbeat: {
          intervalMs: 1000,
          timeoutMs: 500,
          message: '{"type":"ping"}',
          isPong: (d) => d === '{"type":"pong"}',
        },
      },
      { ping: false },
    );
    h.transport.last().accept();
    h.clock.advance(1000);
    expect(h.transport.last().sent).toEqual(['{"type":"ping"}']);
    h.transport.last().deliver('{"type":"pong"}');
    h.clock.advance(499);
    expect(h.of('message')).toEqual([]);
    expect(h.client.state).toBe('open');
  });

  it('survives an isPong that throws on server data: an error event, the message delivered', () => {
    const isPong = (d: unknown) => (JSON.parse(String(d)) as { type?: string }).type === 'pong';
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500, message: 'ping', isPong } }, { ping: false });
    h.transport.last().accept();
    expect(() => h.transport.last().deliver('<html>')).not.toThrow();
    expect(h.of<Error>('error').map((e) => e.message)).toEqual(['heartbeat.isPong threw']);
    expect(h.of('message')).toEqual(['<html>']);
  });

  it('says so when heartbeat cannot work (no ping, no message)', () => {
    const h = harness({ heartbeat: true }, { ping: false });
    h.transport.last().accept();
    expect(h.of<Error>('error')[0]?.message).toMatch(/no ping and no heartbeat.message/);
  });

  it('shares one timer among many clients', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 }, stableAfterMs: 0 });
    h.transport.last().accept();
    expect(h.clock.pending()).toBe(1); // the shared heartbeat timer only
  });

  it('keeps no timer at all for an idle stable client with heartbeat off', () => {
    const h = harness({ stableAfterMs: 5000 });
    h.transport.last().accept();
    h.clock.advance(5000);
    expect(h.clock.pending()).toBe(0);
  });
});

/** Three failed attempts (back-off drawn at its longest), then a fourth that opens. */
function openAfterThreeFailures(options: Parameters<typeof harness>[0]) {
  const h = harness({ random: () => 0.999, ...options });
  for (let i = 0; i < 3; i++) {
    h.transport.last().fail();
    h.clock.runNext();
  }
  h.transport.last().accept();
  return h;
}

describe('flap guard', () => {
  it('backs off a server that accepts and then closes at once, instead of hammering it', () => {
    const h = harness({ random: () => 0.999 });
    const outageStart = h.clock.now();
    const attemptsAt: number[] = [];
    for (let i = 0; i < 6; i++) {
      h.transport.last().accept();
      h.transport.last().serverClose(4001, 'go away');
      const last = h.of<ReconnectingEvent>('reconnecting').at(-1) as ReconnectingEvent;
      h.clock.advance(last.delayMs);
      attemptsAt.push(h.clock.now() - outageStart);
    }
    // Each retry lands in its window after the outage began: [0, 1 s), [1, 2 s), [2, 4 s), …
    const windows = [
      [0, 1000],
      [1000, 2000],
      [2000, 4000],
      [4000, 8000],
      [8000, 16_000],
      [16_000, 46_000],
    ];
    attemptsAt.forEach((at, i) => {
      const [from, to] = windows[i] as [number, number];
      expect(at).toBeGreaterThanOrEqual(from);
      expect(at).toBeLessThan(to);
    });
  });

  it('resets the back-off once a connection has stayed open for stableAfterMs', () => {
    const h = openAfterThreeFailures({ stableAfterMs: 5000 });
    h.clock.advance(5000);
    h.transport.last().drop();
    expect(h.of<ReconnectingEvent>('reconnecting').at(-1)).toMatchObject({ attempt: 1 });
  });

  it('counts the time open, not its timer: a frozen tab that wakes to the close was stable', () => {
    const h = openAfterThreeFailures({ stableAfterMs: 5000 });
    h.clock.jump(60_000); // frozen: the stability timer has not run when the close is handled
    h.transport.last().drop();
    expect(h.of<ReconnectingEvent>('reconnecting').at(-1)).toMatchObject({ attempt: 1 });
  });

  it('…but a connection that ends before stableAfterMs does not reset it', () => {
    const h = openAfterThreeFailures({ stableAfterMs: 5000 });
    h.clock.jump(4999);
    h.transport.last().drop();
    expect(h.of<ReconnectingEvent>('reconnecting').at(-1)).toMatchObject({ attempt: 4 });
  });

  it('or as soon as isReady accepts a message', () => {
    const h = openAfterThreeFailures({ isReady: (m) => m === 'welcome' });
    h.transport.last().deliver('welcome');
    expect(h.clock.pending()).toBe(0); // the stability timer is gone too
    h.transport.last().drop();
    expect(h.of<ReconnectingEvent>('reconnecting').at(-1)).toMatchObject({ attempt: 1 });
  });
});
