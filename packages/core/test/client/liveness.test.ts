import type { CloseRecord } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

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

// Node runs due timers before it reads its sockets: a check that runs after the event loop was
// blocked past the deadline would judge before the pong that came meanwhile is read.
describe('a pong that came while the event loop was blocked past its deadline', () => {
  it('is read before the deadline is judged: the judgement waits one turn (a 0 ms timer)', () => {
    const { transport, clock, of } = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } }, { autoPong: false });
    transport.last().accept();
    clock.advance(1000); // ping
    expect(transport.last().pings).toBe(1);
    clock.jump(800); // blocked: the deadline (1500) passes with no timer run
    clock.runNext(); // the deadline's timer, late: not judged yet
    expect(of<CloseRecord>('close')).toEqual([]);
    transport.last().pong(); // the I/O phase reads the pong
    clock.advance(0); // the turn after
    expect(of<CloseRecord>('close')).toEqual([]);
    expect(transport.last().terminated).toBe(false);
  });

  it('a peer that did not answer is still judged dead, a turn later', () => {
    const { transport, clock, of } = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } }, { autoPong: false });
    transport.last().accept();
    clock.advance(1500); // ping at 1000, its deadline at 1500
    expect(of<CloseRecord>('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });
});
