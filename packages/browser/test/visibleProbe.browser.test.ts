import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// A tab in the background has its timers slowed or frozen, so the heartbeat's check can be long
// overdue when the page is shown again — and the socket may have died meanwhile (a laptop lid
// closed). The check owed is made at once, and sends wait for its answer, as offline's probe.
describe.skipIf(chromiumMissing)(`Chromium: the check owed when the page is shown${skipReason}`, () => {
  const harness = useBrowserHarness({}, true);

  /**
   * Opens a client with an app-level heartbeat every `intervalMs`, hides the page, keeps the
   * page's only task running for `hiddenMs` (no timer can fire, as in a frozen background tab),
   * shows it and sends 'after': what had reached the page's WebSocket before the page was
   * shown, right after, and right after the send.
   */
  function hideAndShow(path: string, intervalMs: number, hiddenMs: number) {
    const { page, server } = harness();
    return page.evaluate(
      async ({ url, intervalMs, hiddenMs }) => {
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
          heartbeat: { intervalMs, timeoutMs: 5000, message: 'ping', isPong: (d) => d === 'ping' },
        });
        window.state = { client };
        await client.opened();
        setVisibility('hidden');
        const until = performance.now() + hiddenMs;
        while (performance.now() < until) {
          // no timer can run
        }
        const beforeShown = [...written];
        setVisibility('visible');
        const whenShown = [...written];
        client.send('after');
        return { beforeShown, whenShown, afterSend: [...written] };
      },
      { url: `${server.url}${path}`, intervalMs, hiddenMs },
    );
  }

  it('shown again with a check overdue: the ping goes inside the visibilitychange, sends wait for the pong', async () => {
    const { server } = harness();
    const seen = await hideAndShow('/shown', 300, 600);
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
    const { server } = harness();
    const seen = await hideAndShow('/shown-early', 60_000, 0);
    expect(seen).toEqual({ beforeShown: [], whenShown: [], afterSend: ['after'] });
    await server.waitForReceived(() => server.received.some((r) => r.data === 'after'));
    expect(server.received.map((r) => r.data)).toEqual(['after']);
  });
});
