import { decide, definePolicy, InvalidPolicyError, normalizeClose } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from '../client/clientHarness';

const handshakes = { codes: [1006], phase: ['connecting'], action: 'retry', maxConsecutive: 3 } as const;

describe('a rule narrowed by phase', () => {
  it('matches only closes in its phases', () => {
    const policy = definePolicy({ rules: [{ name: 'handshakes', ...handshakes }] });
    const failed = normalizeClose({ code: 1006, reason: '' }, { phase: 'connecting', initiator: 'transport' });
    const dropped = normalizeClose({ code: 1006, reason: '' }, { phase: 'open', initiator: 'transport' });
    expect(decide(policy, failed, { attempt: 1, refreshAvailable: false }).rule).toBe('handshakes');
    expect(decide(policy, dropped, { attempt: 1, refreshAvailable: false }).rule).toBe('default:transient');
    expect(policy.toJSON().rules?.[0]?.phase).toEqual(['connecting']);
  });

  it('bounds failed handshakes (a browser’s 404 endpoint) while a dropped connection is retried for ever', () => {
    const h = harness({ policy: { rules: [handshakes] } });
    // Open connections that drop: retried each time, however often.
    for (let i = 0; i < 6; i++) {
      h.transport.last().accept();
      h.transport.last().drop();
      h.clock.runNext();
    }
    expect(h.client.state).toBe('connecting');
    // Handshakes that fail: three in a row are retried, the fourth stops.
    for (let i = 0; i < 4; i++) {
      h.transport.last().fail();
      if (i < 3) h.clock.runNext();
    }
    expect(h.client.state).toBe('failed');
    expect(h.transport.connections).toHaveLength(10);
  });

  it('refuses a phase that does not exist, and may be the rule’s only matcher', () => {
    expect(() => definePolicy({ rules: [{ phase: ['opening' as never], action: 'stop' }] })).toThrow(
      InvalidPolicyError,
    );
    expect(() => definePolicy({ rules: [{ phase: ['opening' as never], action: 'stop' }] })).toThrow(
      /rules\[0\]\.phase\[0\]: expected "connecting", "open" or "closing"/,
    );
    expect(() => definePolicy({ rules: [{ phase: ['connecting'], action: 'retry' }] })).not.toThrow();
  });
});
