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

  it('a send opts out with ttlMs: Infinity', () => {
    const h = harness({ queue: { ttlMs: 1000 } });
    expect(h.client.send('save this', { ttlMs: Infinity })).toBe('queued');
    h.client.send('stale');
    h.clock.advance(9000); // within connectTimeoutMs: the first attempt is still the one
    expect(drops(h.of)).toEqual(['stale expired']);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['save this']);
  });

  it('is a duration in ms, checked at createClient as a send’s is; 0 is refused with reliable delivery', () => {
    expect(() => harness({ queue: { ttlMs: -1 } })).toThrow(InvalidOptionsError);
    expect(() => harness({ queue: { ttlMs: '5s' as never } })).toThrow('queue.ttlMs');
    expect(() => harness({ queue: { ttlMs: 2 ** 31 } })).toThrow(
      'queue.ttlMs: expected at most 2147483647 ms (about 24.8 days)',
    );
    // Infinity is a send's way out of queue.ttlMs, not a queue's setting (leave it out instead).
    expect(() => harness({ queue: { ttlMs: Infinity } })).toThrow('queue.ttlMs');
    // Every tracked message would be dropped right after its write, before its ack.
    expect(() => harness({ reliable: jsonReliable, queue: { ttlMs: 0 } })).toThrow(
      'queue.ttlMs: reliable delivery waits for each ack: expected > 0',
    );
  });
  // The README: a deliver() "stays pending while the client is failed (ttlMs still counts there)".
  it('a deliver() waiting in a failed client still expires at its ttlMs', async () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().serverClose(1000, ''); // the default policy stops
    expect(h.client.state).toBe('failed');
    const delivered = h.client.deliver('x', { ttlMs: 5000 });
    h.clock.advance(4999);
    expect(h.client.stats.messagesQueued).toBe(1);
    h.clock.advance(1);
    await expect(delivered).rejects.toMatchObject({ reason: 'expired', data: 'x' });
    expect(h.client.stats.messagesQueued).toBe(0);
  });
});
