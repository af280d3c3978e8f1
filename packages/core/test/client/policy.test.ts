import type { CloseRecord, FailedEvent, ReconnectingEvent, RefreshContext } from '@resock/core';
import { describe, expect, it, vi } from 'vitest';
import { harness } from './clientHarness';

const lastDecision = (h: ReturnType<typeof harness>) => h.of<ReconnectingEvent>('reconnecting').at(-1);

describe('the policy, through the client', () => {
  it.each([
    [
      '1001',
      (h: ReturnType<typeof harness>) => h.transport.last().serverClose(1001),
      'retry',
      'default:going-away',
      0,
      1000,
    ],
    ['1006', (h: ReturnType<typeof harness>) => h.transport.last().drop(), 'retry', 'default:transient', 0, 1000],
    [
      '1011',
      (h: ReturnType<typeof harness>) => h.transport.last().serverClose(1011),
      'retry',
      'default:transient',
      0,
      1000,
    ],
    [
      '1012',
      (h: ReturnType<typeof harness>) => h.transport.last().serverClose(1012),
      'retry',
      'default:service-restart',
      5000,
      30_000,
    ],
    [
      '1013',
      (h: ReturnType<typeof harness>) => h.transport.last().serverClose(1013),
      'throttle',
      'default:try-again-later',
      30_000,
      36_000,
    ],
    [
      '4001',
      (h: ReturnType<typeof harness>) => h.transport.last().serverClose(4001),
      'retry',
      'default:transient',
      0,
      1000,
    ],
    [
      '2999',
      (h: ReturnType<typeof harness>) => h.transport.last().serverClose(2999),
      'retry',
      'default:invalid-code',
      0,
      1000,
    ],
  ])('after %s: %s by %s within [%d, %d] ms', (_code, close, action, rule, low, high) => {
    const h = harness();
    h.transport.last().accept();
    close(h);
    const decision = lastDecision(h);
    expect(decision).toMatchObject({ action, rule });
    expect(decision?.delayMs).toBeGreaterThanOrEqual(low);
    expect(decision?.delayMs).toBeLessThanOrEqual(high);
    h.clock.advance(decision?.delayMs ?? 0);
    expect(h.transport.connections).toHaveLength(2);
  });

  it.each([
    ['1000', 1000, 'default:normal-closure'],
    ['1002', 1002, 'default:fatal-protocol'],
    ['1009', 1009, 'default:fatal-protocol'],
    ['3003', 3003, 'default:forbidden'],
  ])('after %s: fails without retrying', (_label, code, rule) => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().serverClose(code);
    expect(h.client.state).toBe('failed');
    expect(h.of<FailedEvent>('failed')[0]).toMatchObject({ reason: 'rule', decision: { rule } });
    expect(h.clock.pending()).toBe(0);
  });

  it.each([
    [403, 'failed', undefined],
    [404, 'failed', undefined],
    [500, 'waiting', 'default:http-transient'],
    [429, 'waiting', 'default:http-429'],
  ])('after a handshake answered %d: %s', (status, state, rule) => {
    const h = harness();
    h.transport.last().reject(status);
    expect(h.client.state).toBe(state);
    if (rule) expect(lastDecision(h)?.rule).toBe(rule);
  });

  it('honours Retry-After on 429', () => {
    const h = harness();
    h.transport.last().reject(429, { 'Retry-After': '7' });
    const decision = lastDecision(h);
    expect(decision).toMatchObject({ action: 'throttle', record: { handshake: { status: 429, retryAfterMs: 7000 } } });
    expect(decision?.delayMs).toBeGreaterThanOrEqual(7000);
    expect(decision?.delayMs).toBeLessThanOrEqual(7700);
  });

  it('stops at maxAttempts with a failed event saying so', () => {
    const h = harness({ policy: { maxAttempts: 2 } });
    for (let i = 0; i < 2; i++) {
      h.transport.last().fail();
      h.clock.runNext();
    }
    h.transport.last().fail();
    expect(h.client.state).toBe('failed');
    expect(h.of<FailedEvent>('failed')[0]).toMatchObject({ reason: 'maxAttempts' });
  });

  it('stops once an outage lasts maxElapsedMs: no attempt starts past it, and it fails as soon as the next would', () => {
    const h = harness({ policy: { maxElapsedMs: 5000 } });
    const start = h.clock.now();
    const dialedAt: number[] = [];
    while (h.client.state !== 'failed') {
      dialedAt.push(h.clock.now() - start);
      h.transport.last().fail();
      h.clock.runNext();
    }
    const [failed] = h.of<FailedEvent>('failed');
    expect(failed).toMatchObject({ reason: 'maxElapsedMs' });
    // The last attempt failed within the budget, and the back-off after it would have ended past it.
    expect(dialedAt.length).toBeGreaterThan(2);
    expect(Math.max(...dialedAt)).toBeLessThanOrEqual(5000);
    const failedAt = h.clock.now() - start;
    expect(failedAt).toBeLessThanOrEqual(5000);
    const due = Number(/would start (\d+) ms/.exec(failed?.decision.explanation ?? '')?.[1]);
    expect(due).toBeGreaterThan(5000);
  });

  it('follows per-code rules of the app', () => {
    const h = harness({
      policy: {
        rules: [
          { codes: [4000], action: 'stop' },
          { codes: [4002], action: 'retry', backoff: { type: 'constant', delayMs: 250 } },
        ],
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(4002);
    expect(lastDecision(h)?.delayMs).toBe(250);
    h.clock.advance(250);
    h.transport.last().accept();
    h.transport.last().serverClose(4000);
    expect(h.client.state).toBe('failed');
  });
});

describe('refresh', () => {
  it('calls the hook once per refresh with the record, then reconnects to a re-resolved URL', async () => {
    let token = 'old';
    const refresh = vi.fn(async ({ record, attempt, signal }: RefreshContext) => {
      expect(record.code).toBe(3000);
      expect(attempt).toBe(1);
      expect(signal.aborted).toBe(false);
      token = 'new';
    });
    const h = harness({ url: () => `wss://api.example.test/?token=${token}`, refresh });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired');
    expect(lastDecision(h)).toMatchObject({ action: 'refresh', delayMs: 0 });
    await h.clock.advanceAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(h.transport.last().request.url).toBe('wss://api.example.test/?token=new');
  });

  it('uses the URL and protocols the hook returns', async () => {
    const h = harness({ refresh: () => ({ url: 'wss://other.example.test/', protocols: ['v2'] }) });
    h.transport.last().reject(401);
    await h.clock.advanceAsync(0);
    expect(h.transport.last().request).toEqual({ url: 'wss://other.example.test/', protocols: ['v2'] });
  });

  it('stops after maxConsecutive refreshes in a row (2 by default)', async () => {
    const refresh = vi.fn();
    const h = harness({ refresh });
    h.transport.last().reject(401); // 1st in a row: refresh at once
    await h.clock.advanceAsync(0);
    h.transport.last().reject(401); // 2nd: refresh after the back-off
    await h.clock.advanceAsync(lastDecision(h)?.delayMs ?? 0);
    expect(refresh).toHaveBeenCalledTimes(2);
    h.transport.last().reject(401); // 3rd: stop
    expect(h.client.state).toBe('failed');
    expect(h.of<FailedEvent>('failed')[0]).toMatchObject({ reason: 'maxConsecutive' });
  });

  it('stops at once when the policy says refresh and there is no hook', () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().serverClose(1008, 'policy');
    expect(h.of<FailedEvent>('failed')[0]).toMatchObject({ reason: 'refreshUnavailable' });
  });

  it('reports a failing hook and asks it again after the back-off, the rule’s streak unchanged', async () => {
    let calls = 0;
    const h = harness({
      refresh: () => {
        if (++calls < 3) throw new Error('token server down');
      },
    });
    h.transport.last().reject(401);
    await h.clock.advanceAsync(0);
    expect(h.of<Error>('error')[0]).toMatchObject({ name: 'ClientRuntimeError', kind: 'refresh' });
    // The hook's failure says nothing of the credentials: the 401 rule's streak stays at 1.
    expect(h.of<ReconnectingEvent>('reconnecting').map((e) => e.decision.consecutive)).toEqual([1, 1]);
    expect(lastDecision(h)?.delayMs).toBeGreaterThan(0);
    await h.clock.advanceAsync(lastDecision(h)?.delayMs ?? 0);
    expect(calls).toBe(2);
    await h.clock.advanceAsync(lastDecision(h)?.delayMs ?? 0);
    expect(calls).toBe(3);
    expect(h.client.state).toBe('connecting');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('aborts the hook when the app closes meanwhile, and ignores its late answer', async () => {
    let seen: AbortSignal | undefined;
    let finish: (() => void) | undefined;
    const h = harness({
      refresh: ({ signal }) =>
        new Promise<void>((resolve) => {
          seen = signal;
          finish = resolve;
        }),
    });
    h.transport.last().reject(401);
    await h.clock.advanceAsync(0);
    await h.client.close();
    expect(seen?.aborted).toBe(true);
    finish?.();
    await h.clock.advanceAsync(0);
    expect(h.transport.connections).toHaveLength(1);
    expect(h.of<CloseRecord>('close').at(-1)).toMatchObject({ initiator: 'client' });
  });
});
