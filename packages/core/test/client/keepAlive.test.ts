import { InvalidOptionsError } from '@resock/core';
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('a keep-alive heartbeat (timeoutMs 0): pings that keep a proxy from idling the link out', () => {
  it('pings every intervalMs of quiet and never drops the peer for not answering', () => {
    // A browser's WebSocket: no protocol ping, the app's message.
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 0, message: 'ping' } }, { ping: false });
    h.transport.last().accept();
    h.clock.advance(5000);
    expect(h.transport.last().sent).toEqual(['ping', 'ping', 'ping', 'ping', 'ping']);
    h.clock.advance(60_000);
    expect(h.client.state).toBe('open');
    expect(h.of('close')).toEqual([]);
  });

  it('with protocol pings (ws), pings a peer that never pongs and keeps it', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 0 } }, { autoPong: false });
    h.transport.last().accept();
    h.clock.advance(60_000);
    expect(h.transport.last().pings).toBe(60);
    expect(h.client.state).toBe('open');
  });

  it('is postponed by traffic, as any heartbeat', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 0, message: 'ping' } }, { ping: false });
    h.transport.last().accept();
    h.clock.advance(900);
    h.transport.last().deliver('news');
    h.clock.advance(900);
    expect(h.transport.last().sent).toEqual([]);
    h.clock.advance(100);
    expect(h.transport.last().sent).toEqual(['ping']);
  });

  it('cannot probe a socket when the device goes offline: the socket is let go, as with no heartbeat', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, heartbeat: { intervalMs: 1000, timeoutMs: 0, message: 'ping' } });
    const first = h.transport.last();
    first.accept();
    environment.emit('offline');
    expect(first.terminated).toBe(true);
    expect(h.of('close')).toMatchObject([{ code: 1006, reason: 'offline' }]);
  });

  it('takes 0 and refuses less', () => {
    expect(() => harness({ heartbeat: { timeoutMs: -1, message: 'ping' } })).toThrow(InvalidOptionsError);
    expect(() => harness({ heartbeat: { timeoutMs: 0, message: 'ping' } })).not.toThrow();
  });
});
