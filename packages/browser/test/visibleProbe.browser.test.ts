import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// A tab in the background has its timers slowed or frozen, so the heartbeat's check can be long
// overdue when the page is shown again — and the socket may have died meanwhile (a laptop lid
// closed). The check owed is made at once, and sends wait for its answer, as offline's probe.
describe.skipIf(chromiumMissing)(`Chromium: the check owed when the page is shown${skipReason}`, () => {
  const harness = useBrowserHarness({}, true);

  it('shown again with a check overdue: the ping goes inside the visibilitychange, sends wait for the pong', async () => {
    const { page, server } = harness();
    const seen = await page.evaluate(async (url) => {
      let visibility: DocumentVisibilityState = 'visible';
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
      const setVisibility = (value: DocumentVisibilityState) => {
        visibility = value;
        document.dispatchEvent(new Event('visibilitychange'));
      };
      // What reaches the socket, in order: the page's own WebSocket, seen from the page.
      const written: string[] = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data) {
        written.push(String(data));
        send.call(this, data);
      };
      const client = window.resock.createClient({
        url,
        heartbeat: { intervalMs: 300, timeoutMs: 5000, message: 'ping', isPong: (d) => d === 'ping' },
      });
      window.state = { client };
      await client.opened();
      // Hidden, and the page's only task keeps running past intervalMs: the heartbeat's timer
      // cannot fire, as in a frozen background tab.
      setVisibility('hidden');
      const until = performance.now() + 600;
      while (performance.now() < until) {
        // no timer can run
      }
      const beforeShown = [...written];
      setVisibility('visible');
      const whenShown = [...written];
      client.send('after');
      return { beforeShown, whenShown, afterSend: [...written] };
    }, `${server.url}/shown`);
    // Nothing went while hidden; the ping went inside the dispatch (no timer had run yet), and
    // the app's send made right after waits for the pong instead of going into the socket.
    expect(seen).toEqual({ beforeShown: [], whenShown: ['ping'], afterSend: ['ping'] });
    // The echo answers the ping: the held send goes, on the same connection.
    await server.waitForReceived(() => server.received.some((r) => r.data === 'after'));
    expect(server.received.map((r) => [r.attempt, r.data])).toEqual([
      [1, 'ping'],
      [1, 'after'],
    ]);
    expect(server.attempts).toHaveLength(1);
  });

  it('shown again before the check is due: no ping, sends go at once', async () => {
    const { page, server } = harness();
    const seen = await page.evaluate(async (url) => {
      let visibility: DocumentVisibilityState = 'visible';
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
      const setVisibility = (value: DocumentVisibilityState) => {
        visibility = value;
        document.dispatchEvent(new Event('visibilitychange'));
      };
      const written: string[] = [];
      const send = WebSocket.prototype.send;
      WebSocket.prototype.send = function (this: WebSocket, data) {
        written.push(String(data));
        send.call(this, data);
      };
      const client = window.resock.createClient({
        url,
        heartbeat: { intervalMs: 60_000, timeoutMs: 5000, message: 'ping', isPong: (d) => d === 'ping' },
      });
      window.state = { client };
      await client.opened();
      setVisibility('hidden');
      setVisibility('visible');
      client.send('after');
      return [...written];
    }, `${server.url}/shown-early`);
    expect(seen).toEqual(['after']);
    await server.waitForReceived(() => server.received.some((r) => r.data === 'after'));
    expect(server.received.map((r) => r.data)).toEqual(['after']);
  });
});
