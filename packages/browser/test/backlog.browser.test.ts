import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// A browser's WebSocket cannot stop reading, so a server faster than the app's async schema
// would fill the page's memory for as long as it likes: past 10 000 messages waiting, the
// connection is let go (and the policy decides), against a real flood in real Chromium.
describe.skipIf(chromiumMissing)(`Chromium: an async schema's backlog${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('a flood past 10 000 waiting messages lets the connection go, tells the server, and reconnects', async () => {
    const { page, server } = harness();
    server.plan({ kind: 'stream', count: 12_000, json: true }, { kind: 'echo' });
    const seen = await page.evaluate(async (url) => {
      const client = window.resock.createClient({
        url,
        // Holds every message (an app whose validation lags far behind the server).
        messages: { '~standard': { version: 1, vendor: 'page', validate: () => new Promise(() => undefined) } },
        // Matched by its error code; soon, so the test need not wait out the default back-off.
        policy: { rules: [{ errors: ['RESOCK_BACKLOG_FULL'], action: 'retry', firstDelayMs: 50 }] },
      });
      const [record, decision] = await new Promise<[unknown, unknown]>((resolve) => {
        let closed: unknown;
        client.on('close', (r) => {
          closed = r;
        });
        client.on('reconnecting', ({ action }) => resolve([closed, action]));
      });
      await client.opened();
      const result = { record, decision, received: client.stats.messagesReceived };
      await client.close();
      return result;
    }, `${server.url}/flood`);
    // Before: no close — all 12 000 waited in the page, as many as the server cared to send.
    expect(seen.record).toMatchObject({
      code: 1006,
      phase: 'open',
      initiator: 'transport',
      error: { code: 'RESOCK_BACKLOG_FULL' },
    });
    expect(seen.decision).toBe('retry');
    // Let go at the 10 000th: what came after it on that socket was not taken.
    expect(seen.received).toBe(10_000);
    await server.waitForClientClose(1);
    expect(server.clientCloses[0]).toEqual({ attempt: 1, code: 4000, reason: 'message backlog' });
    expect(server.attempts.length).toBeGreaterThanOrEqual(2);
  });
});
