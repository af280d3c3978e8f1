// Aborts and expiries that come one at a time (a signal per message, deadlines spread out as the
// messages were sent) stay linear in all: each takes its message out without a pass over the
// queue or the outbox. As in scaling.test.ts, a deterministic count at n and 8n, never a time:
// the messages walked by a store's remove() and by Array#filter (how stores close up).
import { afterEach, describe, expect, it } from 'vitest';
import { closeClients, growth, LINEAR_BOUND, reliable, setup, walked } from './scalingHarness';

afterEach(closeClients);

describe('aborted one signal at a time', () => {
  it.each([
    ['queued', {}, 'm'],
    ['in the reliable outbox', { reliable }, 'r'],
  ] as const)('n messages %s, each aborted in turn, are taken out in O(n) in all', (_, options, prefix) => {
    const g = growth((n) => {
      const { client } = setup(options);
      const controllers = Array.from({ length: n }, () => new AbortController());
      for (let i = 0; i < n; i++) client.send(`${prefix}${i}`, { signal: controllers[i]?.signal });
      const count = walked(client, () => {
        for (const controller of controllers) controller.abort();
      });
      expect(client.stats.messagesQueued + client.stats.messagesUnacked).toBe(0);
      expect(client.stats.messagesDropped).toBe(n);
      return count;
    });
    expect(g.ratio, `messages walked: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });
});

describe('deadlines passing one at a time', () => {
  it.each([
    ['queued', {}, 'm'],
    ['in the reliable outbox', { reliable }, 'r'],
  ] as const)('n messages %s, sent 1 ms apart with the same ttlMs, expire in O(n) in all', (_, options, prefix) => {
    const g = growth((n) => {
      const { client, clock } = setup(options);
      for (let i = 0; i < n; i++) {
        client.send(`${prefix}${i}`, { ttlMs: 5_000 });
        clock.advance(1);
      }
      const count = walked(client, () => {
        for (let i = 0; i < n + 5_000; i++) clock.advance(1);
      });
      expect(client.stats.messagesDropped).toBe(n);
      return count;
    });
    expect(g.ratio, `messages walked: ${g.text}`).toBeLessThan(LINEAR_BOUND);
  });

  it('the deadlines of messages that went out are let go of: they follow what waits, not what was sent', () => {
    const policy = { preset: 'none', backoff: { type: 'constant', delayMs: 0 } } as const;
    const { client, transport } = setup({ reliable, policy });
    // One message waits all along (sent again on each connection, never acknowledged)…
    client.send('r0', { ttlMs: 3_600_000 });
    for (let round = 0; round < 20; round++) {
      // …while 100 more at a time wait for a connection, then go out.
      for (let i = 0; i < 100; i++) client.send(`m${round}-${i}`, { ttlMs: 3_600_000 });
      transport.last().accept();
      expect(client.stats.messagesQueued).toBe(0);
      transport.last().drop();
      expect(client.state).toBe('connecting'); // at once: the policy below
    }
    expect(client.stats.messagesUnacked).toBe(1);
    const { expiry } = client as unknown as { expiry?: { size: number } };
    expect(expiry?.size).toBeLessThanOrEqual(2 + 64); // twice what waits, and a little slack
  });
});
