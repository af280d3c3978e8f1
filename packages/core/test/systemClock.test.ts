import { type Clock, type DroppedEvent, parseRetryAfter } from '@resock/core';
import { createVirtualClock } from '@resock/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { systemClock } from '../src/clock';
import { harness } from './client/clientHarness';

// The process-wide clock the clients use by default, under a mocked Date.now (its own file: it
// keeps what it has seen of the wall clock from one test to the next).
describe('the system clock', () => {
  it('is the one the clients use by default: it tracks Date.now, and does not follow it back', () => {
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(1000);
    const before = systemClock.now();
    const spy = vi.spyOn(Date, 'now').mockReturnValue(before - 3_600_000);
    try {
      expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    } finally {
      spy.mockRestore();
    }
  });

  it('does not expire a ttlMs message that has lived one second of its sixty', () => {
    let wall = Date.now();
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => wall);
    try {
      const timers = createVirtualClock(0); // the timers only; time is the system clock's
      const clock: Clock = {
        now: () => systemClock.now(),
        setTimeout: (callback, delayMs) => timers.setTimeout(callback, delayMs),
        clearTimeout: (handle) => timers.clearTimeout(handle),
      };
      const h = harness({ clock });
      h.client.send('hello', { ttlMs: 60_000 }); // queued while connecting, 60 s to live
      wall -= 3_600_000; // set back an hour
      systemClock.now(); // read meanwhile (any client, any timer)
      wall += 3_600_000 + 1000; // set right again, one second after the send
      h.transport.last().accept();
      expect(h.transport.last().sent).toEqual(['hello']);
      expect(h.of<DroppedEvent>('dropped')).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('parseRetryAfter reads an HTTP-date against the wall clock after the clock was corrected back', () => {
    systemClock.now(); // the clock has been read before (a client ran)
    const corrected = Date.now() - 3_600_000; // NTP steps a fast clock back an hour
    const spy = vi.spyOn(Date, 'now').mockReturnValue(corrected);
    try {
      systemClock.now();
      // The server says: come back in two minutes, as an HTTP-date (true time).
      const header = new Date(corrected + 120_000).toUTCString();
      const delay = parseRetryAfter(header) ?? 0;
      expect(delay).toBeGreaterThan(118_000);
      expect(delay).toBeLessThanOrEqual(120_000);
    } finally {
      spy.mockRestore();
    }
  });
});
