import type { ReconnectingEvent } from '@resock/core';
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** 1013 Try Again Later: the default preset throttles (at least 30 s; never at once, says RFC 6455's registry). */
function throttled() {
  const environment = createFakeEnvironment();
  const h = harness({ environment });
  h.transport.last().accept();
  h.transport.last().serverClose(1013, 'try again later');
  const delayMs = h.of<ReconnectingEvent>('reconnecting')[0]?.delayMs ?? 0;
  expect(delayMs).toBeGreaterThanOrEqual(30_000);
  h.clock.advance(1000);
  return { h, environment, delayMs };
}

describe("a server-ordered wait (throttle) outlasts the page's events", () => {
  it('offline → online does not cut it short; it ends on time', () => {
    const { h, environment, delayMs } = throttled();
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(delayMs - 1001);
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('pagehide → pageshow waits out the rest of it', () => {
    const { h, environment, delayMs } = throttled();
    environment.emit('pagehide');
    environment.emit('pageshow');
    expect(h.client.state).toBe('waiting');
    h.clock.advance(delayMs - 1001);
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('a retry the server said when to make (its close reason’s hint) is not cut short by online', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().accept();
    h.transport.last().serverClose(4000, '{"retryAfter":60}');
    const decision = h.of<ReconnectingEvent>('reconnecting')[0]?.decision;
    expect(decision).toMatchObject({ action: 'retry', retryAfterMs: 60_000 });
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance((decision?.delayMs ?? 0) - 1);
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('an ordinary back-off still gives way to online at once (as before)', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().accept();
    h.transport.last().drop();
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
  });
});

/** 1012 Service Restart (retry, first delay 5–30 s), with or without a 1 s hint in its reason. */
function restarted(reason: string) {
  const environment = createFakeEnvironment();
  const h = harness({ environment });
  h.transport.last().accept();
  h.transport.last().serverClose(1012, reason);
  const decision = h.of<ReconnectingEvent>('reconnecting')[0]?.decision;
  expect(decision?.action).toBe('retry');
  expect(decision?.delayMs).toBeGreaterThanOrEqual(5000);
  return { h, environment, decision };
}

describe('a hint shorter than the back-off: only its own part of the wait is the server’s', () => {
  it('without a hint, online after 2 s retries at once (the control)', () => {
    const { h, environment } = restarted('deploy');
    h.clock.advance(2000);
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('with {"retryAfter":1}, online after 2 s (the server’s second is over) retries at once too', () => {
    const { h, environment, decision } = restarted('{"retryAfter":1}');
    expect(decision?.retryAfterMs).toBe(1000);
    h.clock.advance(2000);
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('with {"retryAfter":1}, pagehide → pageshow after 2 s retries at once, as without it', () => {
    const { h, environment } = restarted('{"retryAfter":1}');
    environment.emit('pagehide');
    h.clock.advance(2000);
    environment.emit('pageshow');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('with {"retryAfter":1}, online inside the server’s second retries once that second is over, not at the end of the back-off', () => {
    const { h, environment } = restarted('{"retryAfter":1}');
    h.clock.advance(300);
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(1); // the server's word still runs
    h.clock.advance(699);
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('with {"retryAfter":1}, offline again before that second is over waits for online', () => {
    const { h, environment } = restarted('{"retryAfter":1}');
    h.clock.advance(300);
    environment.emit('offline');
    environment.emit('online');
    environment.emit('offline');
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1);
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
  });
});
