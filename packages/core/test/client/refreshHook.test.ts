import type { ClientRuntimeError, FailedEvent, ReconnectingEvent, RefreshContext } from '@resock/core';
import { describe, expect, it, vi } from 'vitest';
import { harness } from './clientHarness';

/**
 * Timer to timer until the client dials again (a hook's promise settles in between): not in
 * fixed steps, as a step of real time per 100 ms of virtual time made a test take seconds.
 */
async function untilDial(h: ReturnType<typeof harness>): Promise<void> {
  const dials = h.transport.connections.length;
  await h.clock.advanceAsync(0);
  for (let steps = 0; h.transport.connections.length === dials; steps++) {
    const due = h.clock.nextDueAt();
    expect(due, 'the client stopped or parked').toBeDefined();
    expect(steps, 'no dial within 100 timers').toBeLessThan(100);
    await h.clock.advanceAsync((due ?? 0) - h.clock.now());
  }
}

const causes = (errors: ClientRuntimeError[]) => errors.map((e) => (e.cause as Error | undefined)?.message);

describe('the refresh hook', () => {
  it('returning an unusable URL is a failed refresh: asked again after the back-off, never dialled', async () => {
    const refresh = vi.fn((_: RefreshContext) => ({ url: 'not a url' }));
    const h = harness({ refresh });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired'); // default: refresh, at most 2 in a row
    await h.clock.advanceAsync(600_000);
    expect(refresh.mock.calls.length).toBeGreaterThan(10);
    expect(h.client.stats.attempts).toBe(1); // the garbage was never dialed
    expect(h.client.state).toBe('waiting');
    // Text that is no URL is not quoted (it may be a bare token).
    expect(causes(h.of<ClientRuntimeError>('error')).slice(0, 2)).toEqual([
      'The refresh hook returned an unusable url ***: expected an absolute ws:, wss:, http: or https: URL without a fragment',
      'The refresh hook returned an unusable url ***: expected an absolute ws:, wss:, http: or https: URL without a fragment',
    ]);
    expect(h.of<FailedEvent>('failed')).toEqual([]);
  });

  it('that keeps failing is asked again with the outage’s back-off, not the rule’s streak', async () => {
    // Before: a failed hook counted as a refusal of the rule, so two failures in a row (a token
    // service down for 2 s) stopped the client until reconnect(), as three 3000s would.
    const calledAt: number[] = [];
    const h = harness({
      refresh: () => {
        calledAt.push(h.clock.now());
        throw new Error('token service down');
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    await h.clock.advanceAsync(600_000);
    expect(h.of<FailedEvent>('failed')).toEqual([]);
    expect(h.of<ReconnectingEvent>('reconnecting').every((e) => e.decision.consecutive === 1)).toBe(true);
    const gaps = calledAt.slice(1).map((t, i) => t - (calledAt[i] ?? 0));
    expect(gaps[0]).toBeGreaterThan(0); // not at once: it backs off as the outage does
    expect(gaps.at(-1)).toBeGreaterThan(5_000); // grown with the back-off
    expect(gaps.at(-1)).toBeLessThanOrEqual(30_000); // the default's cap
  });

  it('a token service down for a while: the client connects with the token once it answers', async () => {
    let down = true;
    let token = 'old';
    const h = harness({
      url: () => `ws://example.test/?token=${token}`,
      refresh: async () => {
        if (down) throw new Error('token service down');
        token = 'fresh';
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    await h.clock.advanceAsync(2_000);
    await h.clock.advanceAsync(2_000);
    expect(h.transport.connections).toHaveLength(1);
    down = false;
    const back = h.clock.now();
    await untilDial(h);
    expect(h.clock.now() - back).toBeLessThanOrEqual(30_000); // within the back-off's cap
    expect(h.transport.connections).toHaveLength(2);
    expect(h.transport.last().request.url).toContain('token=fresh');
    h.transport.last().accept();
    expect(h.client.state).toBe('open');
  });

  it('is bounded by maxAttempts (or maxElapsedMs): the failed event carries the hook’s own error', async () => {
    const down = new Error('token service down');
    const h = harness({
      policy: { maxAttempts: 4 },
      refresh: () => {
        throw down;
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    await h.clock.advanceAsync(600_000);
    // Before: `failed` said the 3000's rule, not why the refresh failed (only an `error` listener
    // heard it).
    expect(h.of<FailedEvent>('failed')).toMatchObject([{ reason: 'maxAttempts', refreshError: down }]);
  });

  it('a server that refuses the fresh credentials still stops the client after two in a row', async () => {
    const refresh = vi.fn(() => undefined);
    const h = harness({ refresh });
    h.transport.last().accept();
    for (let i = 0; i < 2; i++) {
      h.transport.last().serverClose(3000, 'token expired');
      await untilDial(h);
      h.transport.last().accept();
    }
    h.transport.last().serverClose(3000, 'token expired'); // the fresh token refused again
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(h.of<FailedEvent>('failed')).toMatchObject([{ reason: 'maxConsecutive' }]);
  });

  it('a hook that knows the credentials are gone for good (signed out) calls disconnect(): asked no more', async () => {
    const refresh = vi.fn(() => {
      h.client.disconnect();
      throw new Error('signed out');
    });
    const h = harness({ refresh });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    await h.clock.advanceAsync(600_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(h.client.state).toBe('disconnected');
    expect(h.transport.connections).toHaveLength(1);
  });

  it('under refreshAfter, a failed hook does not hold the retry: it dials with what it has, the hook asked at the next turn', async () => {
    // A refreshAfter turn is a guess (a page cannot see a 401): the close may have been a lost
    // link, so a token service that is down must not keep the client from dialling.
    let calls = 0;
    const h = harness({
      policy: { rules: [{ codes: [4000], action: 'retry', refreshAfter: 2 }] },
      refresh: () => {
        calls++;
        throw new Error('token service down');
      },
    });
    h.transport.last().accept();
    for (let close = 1; close <= 4; close++) {
      h.transport.last().serverClose(4000);
      await untilDial(h);
      h.transport.last().accept();
    }
    expect(h.transport.connections).toHaveLength(5); // every close retried
    expect(calls).toBe(2); // at the 2nd and the 4th close in a row (a failure does not count)
    expect(h.of<ReconnectingEvent>('reconnecting').map((e) => [e.decision.consecutive, e.decision.action])).toEqual([
      [1, 'retry'],
      [2, 'refresh'],
      [3, 'retry'],
      [4, 'refresh'],
    ]);
  });

  it('under refreshAfter, the retry after a failed hook is the one decided: no second back-off, counted once', async () => {
    // Before: the policy decided again, a second full back-off, and a second attempt counted (a
    // maxAttempts of 2 stopped after one real retry).
    const h = harness({
      policy: {
        maxAttempts: 2,
        rules: [{ codes: [4000], action: 'retry', refreshAfter: 1, backoff: { type: 'constant', delayMs: 5000 } }],
      },
      refresh: () => {
        throw new Error('token service down');
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(4000);
    const closedAt = h.clock.now();
    await untilDial(h);
    expect(h.clock.now() - closedAt).toBe(5000); // the one wait, then the hook, then the dial
    expect(h.of<ClientRuntimeError>('error').map((e) => e.message)).toEqual([
      'The refresh hook failed; the credentials are as they were.',
    ]);
    h.transport.last().fail(); // the retry fails to connect: the second attempt of two follows
    await untilDial(h);
    expect(h.transport.connections).toHaveLength(3);
    expect(h.of<ReconnectingEvent>('reconnecting').map((e) => [e.attempt, e.decision.action])).toEqual([
      [1, 'refresh'],
      [2, 'retry'], // the failed dial, by the default rows
    ]);
  });

  it('a stop that did not follow a failed refresh has no refreshError', () => {
    const h = harness({ policy: { rules: [{ codes: [4000], action: 'stop' }] } });
    h.transport.last().accept();
    h.transport.last().serverClose(4000, 'kicked');
    expect(h.of<FailedEvent>('failed')[0]).not.toHaveProperty('refreshError');
  });

  it('that never settles is aborted after connectTimeoutMs, and the policy decides again', async () => {
    const signals: AbortSignal[] = [];
    const h = harness({
      connectTimeoutMs: 10_000,
      refresh: ({ signal }) => {
        signals.push(signal);
        return new Promise<void>(() => {}); // a token fetch without a timeout
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    await h.clock.advanceAsync(0);
    expect(signals).toHaveLength(1);
    await h.clock.advanceAsync(9_999);
    expect(signals[0]?.aborted).toBe(false);
    await h.clock.advanceAsync(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(causes(h.of<ClientRuntimeError>('error'))).toEqual(['The refresh hook did not settle within 10000 ms']);
    await h.clock.advanceAsync(60_000);
    expect(signals.length).toBeGreaterThan(1); // asked again after the back-off
    expect(h.of<FailedEvent>('failed')).toEqual([]);
    expect(h.client.stats.attempts).toBe(1);
  });

  it('against a server alternating HTTP 401 and 1008 backs off instead of reconnecting at once for ever', async () => {
    // Each auth rule keeps its own "at most 2 in a row" streak, and the server resets both by
    // alternating them; past the outage's first retry the rules' "at once" is only a floor.
    const h = harness({ refresh: () => undefined });
    const dialedAt: number[] = [];
    for (let i = 0; i < 12; i++) {
      const connection = h.transport.last();
      dialedAt.push(h.clock.now());
      if (i % 2 === 0) connection.reject(401);
      else {
        connection.accept();
        connection.serverClose(1008, 'policy violation');
      }
      await untilDial(h);
    }
    const gaps = dialedAt.slice(1).map((t, i) => t - (dialedAt[i] ?? 0));
    expect(gaps[0]).toBe(0); // the first refresh: at once
    expect(gaps.slice(1).every((gap) => gap > 100)).toBe(true);
    expect(gaps.at(-1)).toBeGreaterThan(5_000); // grown with the back-off
  });

  describe('in a tab frozen while it runs (its deadline fires late)', () => {
    function refreshing() {
      const signals: AbortSignal[] = [];
      const finishers: Array<() => void> = [];
      const h = harness({
        connectTimeoutMs: 10_000,
        refresh: ({ signal }: RefreshContext) => {
          signals.push(signal);
          return new Promise<void>((resolve) => finishers.push(() => resolve()));
        },
      });
      h.transport.last().accept();
      h.transport.last().serverClose(3000, 'token expired'); // default preset: refresh, at most 2 in a row
      return { h, signals, finishers };
    }

    it('a refresh deadline that fires late gives the queued answer one more second, like connect/close', async () => {
      const { h, signals, finishers } = refreshing();
      await h.clock.advanceAsync(0);
      expect(signals).toHaveLength(1); // the hook (a token fetch) is running
      h.clock.jump(20_000); // the tab froze past the 10 s deadline; the fetch's answer is queued
      h.clock.advance(0); // the late deadline timer fires first
      expect(signals[0]?.aborted).toBe(false); // expected: one more second, as for connect/close
      finishers[0]?.(); // the answer that was waiting in the queue
      await h.clock.advanceAsync(0);
      expect(h.of<ClientRuntimeError>('error')).toEqual([]);
      expect(h.transport.connections).toHaveLength(2); // connects with the fresh credentials
    });

    it('two frozen-tab episodes during (working) token refreshes do not fail the client for good', async () => {
      // A late misfire would be a failed refresh: once it counted as a refusal of the rule
      // (maxConsecutive 2 for 3000), and a tab frozen twice while a working token fetch ran
      // ended in `failed`.
      const { h, signals, finishers } = refreshing();
      for (let episode = 0; episode < 2 && h.transport.connections.length === 1; episode++) {
        // Until the (next) hook starts, on time.
        for (let n = signals.length; signals.length === n && h.client.state !== 'failed'; )
          await h.clock.advanceAsync(50);
        const i = signals.length - 1;
        h.clock.jump(20_000); // frozen while the token fetch ran
        h.clock.advance(0);
        finishers[i]?.(); // the hook did succeed; its answer was queued
        await h.clock.advanceAsync(0);
      }
      expect(h.of<FailedEvent>('failed')).toEqual([]);
      expect(h.transport.connections).toHaveLength(2);
    });
  });
});
