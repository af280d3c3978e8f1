import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// A browser says offline whenever no link but loopback is up (Wi-Fi off with a dev server, a
// kiosk's local agent, an e2e run in a container without a network), yet a server on this
// machine still answers: a native WebSocket to it opens. The page here is made to say so —
// navigator.onLine false, then the 'offline' event — while its real server on 127.0.0.1 runs
// (offline emulation would cut loopback too, which no real network loss does).
describe.skipIf(chromiumMissing)(`Chromium: a server on this machine while the page says offline${skipReason}`, () => {
  const harness = useBrowserHarness({}, true);

  const sayOffline = () => {
    Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false });
    window.dispatchEvent(new Event('offline'));
  };

  it('created offline, the client and the drop-in connect to 127.0.0.1, as a WebSocket does', async () => {
    const { page, server } = harness();
    await page.evaluate(sayOffline);
    const opened = await page.evaluate(async (url) => {
      const native = await new Promise<boolean>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve(true);
        ws.onclose = () => resolve(false);
      });
      const client = window.resock.createClient({ url });
      const open = await client.opened().then(() => true);
      const facade = await new Promise<boolean>((resolve) => {
        const ws = new window.resock.ReconnectingWebSocket(url);
        ws.onopen = () => resolve(true);
      });
      return { onLine: navigator.onLine, native, client: open, facade };
    }, `${server.url}/here`);
    expect(opened).toEqual({ onLine: false, native: true, client: true, facade: true });
    expect(server.attempts).toHaveLength(3);
  });

  it('open when the page says offline: keeps its socket (no heartbeat to probe it), and sends go out', async () => {
    const { page, server } = harness();
    await page.evaluate(async (url) => {
      const client = window.resock.createClient({ url });
      window.state = { client, closes: [] as unknown[] };
      client.on('close', (record) => (window.state.closes as unknown[]).push(record));
      await client.opened();
    }, `${server.url}/here`);
    await page.evaluate(sayOffline);
    const after = await page.evaluate(() => {
      const client = window.state.client as ReturnType<typeof window.resock.createClient>;
      return { state: client.state, sent: client.send('still here'), closes: window.state.closes };
    });
    expect(after).toEqual({ state: 'open', sent: 'sent', closes: [] });
    await server.waitForReceived((received) => received.some((r) => r.data === 'still here'));
    expect(server.attempts).toHaveLength(1);
  });
});
