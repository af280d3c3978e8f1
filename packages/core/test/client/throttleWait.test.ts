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
