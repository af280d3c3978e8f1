import type { Clock, CloseRecord } from '@resock/core';
import { createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { forwardTime } from '../src/clock';
import { harness } from './client/clientHarness';

/** A wall clock and a monotonic clock the test moves by hand. */
function clocks(startWall = 1_795_000_000_000) {
  const c = { wall: startWall, mono: 5000 };
  return {
    c,
    now: forwardTime(
      () => c.wall,
      () => c.mono,
    ),
  };
}

describe('the system clock', () => {
  it('reads the wall clock as it is while it moves forward (no drift from Date.now)', () => {
    const { c, now } = clocks();
    expect(now()).toBe(c.wall);
    c.wall += 1; // readings far more frequent than the wall clock's millisecond ticks
    c.mono += 0.4;
    expect(now()).toBe(c.wall);
    c.mono += 0.4;
    expect(now()).toBe(c.wall);
    c.wall += 30_000;
    c.mono += 30_000;
    expect(now()).toBe(c.wall);
  });

  it('a wall clock set back an hour holds no deadline: the monotonic time counts instead', () => {
    const { c, now } = clocks();
    const start = now();
    const deadline = start + 10_000; // a heartbeat's pong deadline
    c.wall -= 3_600_000 - 4000; // NTP steps the clock back an hour, 4 s after the ping
    c.mono += 4000;
    expect(now()).toBe(start + 4000);
    c.wall += 6000;
    c.mono += 6000;
    // Ahead of the wall clock now, it comes back to it at 0.9×: the deadline is 0.67 s late, not an hour.
    expect(now()).toBe(start + 4000 + 5400);
    c.wall += 667;
    c.mono += 667;
    expect(now()).toBeGreaterThanOrEqual(deadline);
  });

  it('comes back to a wall clock set back, at once when it is set right again, else by running at 0.9×', () => {
    const { c, now } = clocks();
    const start = now();
    c.wall -= 3_600_000; // set back an hour…
    c.mono += 1000;
    expect(now()).toBe(start + 1000);
    c.wall += 3_600_000 + 1000; // …and set right again, one real second later
    c.mono += 1000;
    expect(now()).toBe(start + 1900); // back on the wall clock but for the 10 % of the second it ran slow
    const drift = () => now() - c.wall;
    c.wall -= 60_000; // set back a minute, for good
    now();
    for (let i = 0; i < 700; i++) {
      c.wall += 1000;
      c.mono += 1000;
      const before = drift();
      now();
      expect(drift()).toBeLessThanOrEqual(before); // never further, never backwards
    }
    expect(drift()).toBe(0); // after 600 s or so (60 s at 10 %), on the wall clock again
  });

  it('never runs backwards, however the wall clock jumps back and forth', () => {
    const { c, now } = clocks();
    let last = now();
    for (let i = 0; i < 200; i++) {
      c.wall += i % 2 ? 61_000 : -59_000; // two time sources a minute apart, stepping it each second
      c.mono += 1000;
      const t = now();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
    expect(last - 1_795_000_000_000).toBeLessThanOrEqual(200_000 + 60_000); // not ahead without bound
  });

  it('reads the monotonic clock once a second at most while nothing is amiss, and still counts a set-back exactly', () => {
    const c = { wall: 1_795_000_000_000, mono: 5000 };
    let monoReads = 0;
    const now = forwardTime(
      () => c.wall,
      () => {
        monoReads++;
        return c.mono;
      },
    );
    const start = now();
    for (let i = 0; i < 1500; i++) {
      c.wall += 1; // a message a millisecond, for 1.5 s
      c.mono += 1;
      now();
    }
    expect(monoReads).toBeLessThanOrEqual(2);
    c.wall -= 3_600_000 - 300; // set back an hour, 300 ms after the last reading
    c.mono += 300;
    expect(now()).toBe(start + 1800);
  });

  it('a jump forward (a device waking up, its monotonic clock stopped meanwhile) counts as time gone', () => {
    const { c, now } = clocks();
    const start = now();
    c.wall += 7_200_000;
    expect(now()).toBe(start + 7_200_000);
  });

  it('without a monotonic clock (or with a broken one) it never goes back', () => {
    const c = { wall: 1_795_000_000_000 };
    const now = forwardTime(() => c.wall);
    const start = now();
    c.wall -= 60_000;
    expect(now()).toBe(start);
    c.wall += 1000;
    expect(now()).toBe(start + 1000);
    const broken = forwardTime(
      () => c.wall,
      () => Number.NaN,
    );
    const before = broken();
    c.wall -= 5000;
    expect(broken()).toBe(before);
  });
});

describe('a client whose wall clock is set back an hour', () => {
  it.each([
    // A pong due at 1.5 s: found dead on time.
    ['a monotonic clock', (timers: { now(): number }) => timers.now(), 400],
    // A performance.now() stub or polyfill that gives nothing usable counts as none: time is
    // held only until the next reading, not for the hour.
    ['a broken monotonic clock (NaN)', () => Number.NaN, 1000],
  ])(
    'with %s, still finds a silent peer dead at its heartbeat deadline, not an hour later',
    (_, monotonic, afterMs) => {
      const timers = createVirtualClock(Date.UTC(2026, 10, 21, 12));
      let setBack = 0;
      const clock: Clock = {
        now: forwardTime(
          () => timers.now() - setBack,
          () => monotonic(timers),
        ),
        setTimeout: (callback, delayMs) => timers.setTimeout(callback, delayMs),
        clearTimeout: (handle) => timers.clearTimeout(handle),
      };
      const h = harness({ clock, heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
      h.transport.last().accept();
      h.transport.last().goSilent();
      timers.advance(1100); // the ping is out, its pong due at 1.5 s
      setBack = 3_600_000;
      timers.advance(afterMs);
      expect(h.of<CloseRecord>('close')).toMatchObject([{ initiator: 'heartbeat' }]);
    },
  );
});

/**
 * A wall clock with whole milliseconds (Date.now()) and a fractional monotonic clock
 * (performance.now()), both driven by one "real" time the test advances.
 */
function realClocks() {
  const c = { real: 0, setBack: 0 };
  const base = 1_795_000_000_000;
  const now = forwardTime(
    () => Math.floor(base + c.real) - c.setBack,
    () => 5000 + c.real,
  );
  return { c, now };
}

describe('the clock slewing back, read more often than the wall clock ticks', () => {
  it('runs at 0.9× after a set-back however often it is read (ten readings a millisecond)', () => {
    const { c, now } = realClocks();
    const start = now();
    c.setBack = 3_600_000; // NTP steps the wall clock back an hour…
    c.real += 4000; // …4 s later it is read again
    const t0 = now();
    expect(t0).toBe(start + 4000);
    // 10 s of real time, the clock read every 0.1 ms (a busy socket: a message, an env() per
    // dispatch, the heartbeat's alive(); several readings within each Date.now() millisecond).
    for (let i = 0; i < 100_000; i++) {
      c.real = 4000 + (i + 1) / 10;
      now();
    }
    // 10 s of real time at 0.9×: about 9 s.
    expect(now() - t0).toBeGreaterThanOrEqual(8_900);
  });

  it('two readings per wall-clock millisecond already halve the clock rate', () => {
    const { c, now } = realClocks();
    now();
    c.setBack = 60_000;
    c.real += 1000;
    const t0 = now();
    for (let i = 0; i < 20_000; i++) {
      c.real = 1000 + (i + 1) / 2;
      now();
    }
    expect(now() - t0).toBeGreaterThanOrEqual(8_900); // 10 s real at 0.9×
  });
});

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
});
