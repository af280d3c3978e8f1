import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// Real navigations, with Chromium's back/forward cache on (Playwright turns it off by default).
describe.skipIf(chromiumMissing)(`Chromium: back/forward cache${skipReason}`, () => {
  const harness = useBrowserHarness({ bfcache: true });

  it('navigating away closes with reconnectCloseCode (4000); going back restores the page from the cache and reconnects', async () => {
    const { page, server } = harness();
    await page.evaluate((url) => {
      const client = window.resock.createClient({ url });
      window.state = { client, restored: false };
      window.addEventListener('pageshow', (event) => {
        if (event.persisted) window.state.restored = true;
      });
      return client.opened();
    }, `${server.url}/bfcache`);
    await page.goto(`http://127.0.0.1:${server.port}/elsewhere`);
    await server.waitForClientClose(1);
    expect(server.clientCloses[0]).toMatchObject({ code: 4000, reason: 'pagehide' });
    // A page restored from the cache fires no load event: wait for the navigation to commit.
    await page.goBack({ waitUntil: 'commit' });
    await server.waitForAttempts(2);
    const after = await page.evaluate(async () => {
      const client = window.state.client as ReturnType<typeof window.resock.createClient>;
      await client.opened();
      client.send('after the cache');
      return { restored: window.state.restored, state: client.state };
    });
    expect(after).toEqual({ restored: true, state: 'open' });
    await server.waitForReceived(1);
    expect(server.received).toMatchObject([{ attempt: 2, data: 'after the cache' }]);
  });
});
