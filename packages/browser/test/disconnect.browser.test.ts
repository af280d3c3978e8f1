// ws.client.disconnect() on the facade in real Chromium, against a real ws server: the server
// hears 1000 disconnect, the facade reads CLOSED, and open() connects again with what was sent.
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

describe.skipIf(chromiumMissing)(`Chromium: disconnect() under ReconnectingWebSocket${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('closes 1000 disconnect, reads CLOSED, and open() brings what was sent meanwhile', async () => {
    const seen = await harness().page.evaluate(async (url) => {
      const ws = new window.resock.ReconnectingWebSocket(url);
      const events: string[] = [];
      const opened = () => new Promise<void>((resolve) => ws.addEventListener('open', () => resolve(), { once: true }));
      ws.onclose = (event) => events.push(`close ${event.code} ${event.reason} ${ws.readyState}`);
      await opened();
      ws.client.disconnect();
      events.push(`after disconnect ${ws.readyState} ${ws.client.state}`);
      events.push(`client.send ${ws.client.send('while away')}`);
      const echoed = new Promise<string>((resolve) => {
        ws.onmessage = (event) => resolve(String(event.data));
      });
      const again = opened();
      ws.client.open();
      await again;
      events.push(`open again ${ws.readyState}`, `echo ${await echoed}`);
      ws.close();
      return events;
    }, `${harness().server.url}/disconnect`);
    expect(seen).toEqual([
      'close 1000 disconnect 3',
      'after disconnect 3 disconnected',
      'client.send queued',
      'open again 1',
      'echo while away',
    ]);
    expect(harness().server.clientCloses[0]).toMatchObject({ attempt: 1, code: 1000, reason: 'disconnect' });
  });
});
