import type { ReconnectingEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

// The default policy's handshake-unknown row: what a browser sees of a 401 (1006 in connecting,
// nothing else) is retried, and a token that may have expired is refreshed now and then.
describe('failed handshakes with nothing known, through the client', () => {
  it('calls the refresh hook before the attempts after the 2nd, 4th and 8th failure in a row', async () => {
    const refreshedAfter: number[] = [];
    let failures = 0;
    const h = harness({
      refresh: () => {
        refreshedAfter.push(failures);
      },
    });
    for (; failures < 9; ) {
      h.transport.last().fail(new Error('no detail, as in a browser'));
      failures++;
      const before = h.transport.connections.length;
      while (h.transport.connections.length === before) await h.clock.advanceAsync(1000);
    }
    expect(refreshedAfter).toEqual([2, 4, 8]);
    expect(h.of<ReconnectingEvent>('reconnecting').map((e) => e.action)).toEqual([
      'retry',
      'refresh',
      'retry',
      'refresh',
      'retry',
      'retry',
      'retry',
      'refresh',
      'retry',
    ]);
    expect(h.client.state).toBe('connecting');
  });

  it('never for a failure the transport could tell (an error code: a refused connection)', async () => {
    let refreshes = 0;
    const h = harness({ refresh: () => void refreshes++ });
    for (let i = 0; i < 4; i++) {
      h.transport.last().fail(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      const before = h.transport.connections.length;
      while (h.transport.connections.length === before) await h.clock.advanceAsync(1000);
    }
    expect(refreshes).toBe(0);
    expect(h.of<ReconnectingEvent>('reconnecting').every((e) => e.rule === 'default:transient')).toBe(true);
  });
});
