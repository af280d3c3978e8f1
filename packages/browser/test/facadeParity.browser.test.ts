// Where the facade must do what a native WebSocket does in the same page: a message's origin for
// a URL whose path holds an `@` (the facade's redacted `url` keeps no host there), and close()
// before a first attempt held back while offline.
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { remote, useBrowserHarness } from './harness/browserHarness';

describe.skipIf(chromiumMissing)(`Chromium: ReconnectingWebSocket as the native WebSocket${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('a message event’s origin for a URL whose path holds an @ is the native one', async () => {
    const seen = await harness().page.evaluate(async (url) => {
      const one = async (ws: WebSocket) => {
        ws.onopen = () => ws.send('echo me');
        const origin = await new Promise<string>((resolve) => {
          ws.onmessage = (event) => resolve(event.origin);
        });
        ws.close();
        return origin;
      };
      return {
        native: await one(new WebSocket(url)),
        facade: await one(new window.resock.ReconnectingWebSocket(url)),
      };
    }, `${harness().server.url}/users/@alice/stream`);
    expect(seen.native).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(seen.facade).toBe(seen.native);
  });

  it('close() right after construction while the page is offline: error, then close 1006, as native', async () => {
    const { page, context, server } = harness();
    await context.setOffline(true);
    try {
      const seen = await page.evaluate(
        async (url) => {
          const one = async (ws: WebSocket) => {
            const events: string[] = [];
            const closed = new Promise<void>((resolve) => {
              ws.onerror = () => events.push(`error rs=${ws.readyState}`);
              ws.onclose = (event) => {
                events.push(`close ${event.code} ${event.wasClean} rs=${ws.readyState}`);
                resolve();
              };
            });
            ws.close();
            events.push(`after close() rs=${ws.readyState}`);
            await closed;
            return events;
          };
          return {
            native: await one(new WebSocket(url)),
            facade: await one(new window.resock.ReconnectingWebSocket(url)),
          };
        },
        remote(`${server.url}/offline-close`),
      );
      expect(seen.native).toEqual(['after close() rs=2', 'error rs=3', 'close 1006 false rs=3']);
      expect(seen.facade).toEqual(seen.native);
    } finally {
      await context.setOffline(false);
    }
  });
});
