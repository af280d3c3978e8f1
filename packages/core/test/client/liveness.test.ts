import type { Clock, CloseRecord } from '@resock/core';
import { createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { forwardTime } from '../../src/clock';
import { harness } from './clientHarness';

// clock.ts: a monotonic clock whose readings are not numbers counts as none: a clock set back then
// holds time only until the next reading, and no deadline for as long as it went back.
describe('a wall clock set back, with a broken monotonic clock', () => {
  it('forwardTime with a NaN monotonic clock moves on after the set-back, as without one', () => {
    const c = { wall: 1_795_000_000_000 };
    const broken = forwardTime(
      () => c.wall,
      () => Number.NaN,
    );
    const start = broken();
    c.wall -= 3_600_000; // NTP steps the clock back an hour
    expect(broken()).toBe(start); // held at that reading: fine
    c.wall += 10_000; // ten real seconds pass
    expect(broken()).toBeGreaterThan(start);
  });

  it('a client on it still finds a silent peer dead, not an hour later', () => {
    const timers = createVirtualClock(Date.UTC(2026, 10, 21, 12));
    let setBack = 0;
    const clock: Clock = {
      now: forwardTime(
        () => timers.now() - setBack,
        () => Number.NaN, // a performance.now() stub / polyfill that gives nothing usable
      ),
      setTimeout: (callback, delayMs) => timers.setTimeout(callback, delayMs),
      clearTimeout: (handle) => timers.clearTimeout(handle),
    };
    const h = harness({ clock, heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    h.transport.last().accept();
    h.transport.last().goSilent();
    timers.advance(1100); // ping out at 1 s, its pong due at 1.5 s
    setBack = 3_600_000;
    timers.advance(1000); // a real second later: well past the pong's deadline
    expect(h.of<CloseRecord>('close')).toMatchObject([{ initiator: 'heartbeat' }]);
  });
});

// heartbeat.ts (ConnectionHeartbeat): a link whose bytes stop is found within
// max(intervalMs, timeoutMs) + timeoutMs of the last byte that moved.
describe('a slow link whose bytes stop, with timeoutMs > intervalMs', () => {
  it('is found dead within max(intervalMs, timeoutMs) + timeoutMs of the last byte that moved', () => {
    const intervalMs = 1000;
    const timeoutMs = 5000;
    const { transport, clock, of } = harness({ heartbeat: { intervalMs, timeoutMs } }, { autoPong: false });
    const start = clock.now();
    transport.last().accept();
    clock.advance(1000); // ping
    expect(transport.last().pings).toBe(1);
    clock.advance(1);
    transport.last().moveBytes(16_384); // the last byte that ever moves, at 1001
    clock.advance(timeoutMs - 1); // the pong's deadline (6000): bytes moved, so another timeoutMs
    expect(of<CloseRecord>('close')).toEqual([]);
    clock.advance(timeoutMs + 1);
    const closes = of<CloseRecord>('close');
    expect(closes).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
    expect((closes[0] as CloseRecord).at - start).toBeLessThanOrEqual(
      1001 + Math.max(intervalMs, timeoutMs) + timeoutMs,
    );
  });
});
