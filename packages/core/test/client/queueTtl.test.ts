import { InvalidOptionsError } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { drops, harness, jsonReliable } from './clientHarness';

// queue.ttlMs: the ttlMs of every send that gives none — what waited through a long outage is
// dropped as expired instead of going out minutes late.
describe('queue.ttlMs', () => {
  it("drops what waited longer, as expired; a send's own ttlMs wins; order kept", () => {
    const h = harness({ queue: { ttlMs: 1000 } });
    h.client.send('a');
    h.client.send('b', { ttlMs: 5000 });
    h.clock.advance(500);
    h.client.send('c');
    h.clock.advance(500);
    expect(drops(h.of)).toEqual(['a expired']);
    h.clock.advance(500);
    expect(drops(h.of)).toEqual(['a expired', 'c expired']);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['b']);
  });

  it('does not touch a message that goes out at once', () => {
    const h = harness({ queue: { ttlMs: 0 } });
    h.transport.last().accept();
    expect(h.client.send('now')).toBe('sent');
    expect(h.transport.last().sent).toEqual(['now']);
    expect(drops(h.of)).toEqual([]);
  });

  it('bounds how long a reliable message waits for its ack', () => {
    const h = harness({ reliable: jsonReliable, queue: { ttlMs: 1000 } });
    h.transport.last().accept();
    h.client.send('{"id":1}');
    h.clock.advance(1000);
    expect(drops(h.of)).toEqual(['{"id":1} expired']);
  });

  it('is a duration in ms, checked at createClient', () => {
    expect(() => harness({ queue: { ttlMs: -1 } })).toThrow(InvalidOptionsError);
    expect(() => harness({ queue: { ttlMs: '5s' as never } })).toThrow('queue.ttlMs');
  });
});
