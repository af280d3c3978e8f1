import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// idleTimeoutMs and deliver() in real Chromium: a quiet page lets its connection go with 1000
// idle, and deliver() opens a new one and says when its message was handed to the socket.
describe.skipIf(chromiumMissing)(`Chromium: idleTimeoutMs and deliver()${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('a quiet connection closes with 1000 idle; deliver() connects again and resolves sent; the echo comes back', async () => {
    const { page, server } = harness();
    server.plan({ kind: 'echo' }, { kind: 'echo' });
    const seen = await page.evaluate(async (url) => {
      const client = window.resock.createClient({ url, idleTimeoutMs: 1000 });
      const states: string[] = [];
      const idle = new Promise<void>((resolve) =>
        client.on('state', ({ to }) => {
          states.push(to);
          if (to === 'idle') resolve();
        }),
      );
      await idle;
      const record = client.lastClose;
      const echoed = new Promise<unknown>((resolve) => client.once('message', resolve));
      const fate = await client.deliver('after idle');
      const echo = await echoed;
      const stats = client.stats;
      await client.close();
      return { states, record, fate, echo, reconnects: stats.reconnects, attempts: stats.attempts };
    }, `${server.url}/idle`);
    expect(seen.states.slice(0, 3)).toEqual(['open', 'idle', 'connecting']); // (the first, idle → connecting, is told inside createClient)
    expect(seen.record).toMatchObject({ code: 1000, reason: 'idle', initiator: 'client', phase: 'open' });
    expect(seen.fate).toBe('sent');
    expect(seen.echo).toBe('after idle');
    expect([seen.attempts, seen.reconnects]).toEqual([2, 0]); // a fresh start, not a reconnect
    await server.waitForClientClose(1);
    expect(server.clientCloses[0]).toEqual({ attempt: 1, code: 1000, reason: 'idle' });
  });
});
