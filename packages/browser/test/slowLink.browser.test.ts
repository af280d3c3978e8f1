import { type SlowLink, startSlowLink } from '@resock/test-utils';
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BrowserHarness, startBrowserHarness } from './harness/browserHarness';

// A large message crossing a slow uplink holds the heartbeat's ping behind it: while the
// WebSocket's bufferedAmount still drains, the link is slow, not dead. Scaled down: 16 MB at
// 4 MB/s, a 3 s pong deadline (what the kernel has taken drains unseen, about a second here).
// The server answers with the size, not a 16 MB echo: a page sees nothing of a message until it
// has all of it, so the download would eat the slack this test is about (the upload's).
describe.skipIf(chromiumMissing)(`Chromium: a slow link${skipReason}`, () => {
  let harness: BrowserHarness;
  let link: SlowLink;
  beforeEach(async () => {
    harness = await startBrowserHarness();
    link = await startSlowLink({ targetPort: harness.server.port, upBytesPerSecond: 4_000_000 });
  }, 30_000);
  afterEach(async () => {
    await link.stop();
    await harness.close();
  });

  it('the heartbeat keeps a page that is sending a 16 MB message at 4 MB/s', async () => {
    harness.server.plan({ kind: 'size' });
    const outcome = await harness.page.evaluate(
      ({ url }) =>
        new Promise((resolve) => {
          const client = window.resock.createClient({
            url,
            heartbeat: { intervalMs: 300, timeoutMs: 3000, message: 'ping', isPong: (d) => d === 'ping' },
            policy: { backoff: { type: 'constant', delayMs: 60_000 } },
          });
          client.on('message', (data) => {
            if (data !== 'ping') resolve({ answer: data });
          });
          client.on('close', (record) => resolve({ close: record }));
          void client.opened().then(() => client.send(new Uint8Array(16_000_000)));
        }),
      { url: `${link.url}/echo` },
    );
    expect(outcome).toEqual({ answer: 'got 16000000' });
  });
});
