import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { remote, useBrowserHarness } from './harness/browserHarness';

// A fresh browser per test: offline emulation and Chromium's connect throttling are per profile.
describe.skipIf(chromiumMissing)(`Chromium: page lifecycle${skipReason}`, () => {
  const harness = useBrowserHarness({}, true);

  const quick = { backoff: { type: 'constant', delayMs: 100 } } as const;

  describe('the page around the client', () => {
    it('offline: probes the open socket, makes no attempt until online, then one at once, and delivers queued messages in order', async () => {
      const { page, context, server } = harness();
      await page.evaluate(
        ({ url, policy }) => {
          const client = window.resock.createClient({
            url,
            policy,
            heartbeat: { intervalMs: 60_000, timeoutMs: 500, message: 'ping', isPong: (d) => d === 'ping' },
          });
          window.state = { client, closes: [] as unknown[] };
          client.on('close', (record) => (window.state.closes as unknown[]).push(record));
          // "At once": the attempt starts inside the page's own 'online' dispatch (the client's
          // listener runs before this one), not a back-off later.
          client.on('state', ({ to }) => {
            if (to === 'connecting') window.state.connectingAt = performance.now();
          });
          window.addEventListener('online', () => (window.state.onlineAt = performance.now()));
          return client.opened();
        },
        { url: remote(`${server.url}/lifecycle`), policy: quick },
      );
      expect(server.attempts).toHaveLength(1);
      await context.setOffline(true);
      // Offline emulation leaves the socket open but holds its frames: the probe goes unanswered.
      await page.waitForFunction(() => (window.state.closes as unknown[]).length === 1);
      const record = await page.evaluate(() => (window.state.closes as unknown[])[0]);
      expect(record).toMatchObject({ initiator: 'heartbeat', code: 1006 });
      await page.evaluate(() => {
        const client = window.state.client as ReturnType<typeof window.resock.createClient>;
        return ['a', 'b', 'c'].map((m) => client.send(m));
      });
      // A window several retry delays long in which nothing may happen.
      await page.waitForTimeout(800);
      expect(server.attempts).toHaveLength(1);
      expect(
        await page.evaluate(() => (window.state.client as ReturnType<typeof window.resock.createClient>).waitingFor),
      ).toBe('online');
      await page.evaluate(() => (window.state.connectingAt = undefined));
      await context.setOffline(false);
      await server.waitForAttempts(2);
      const { connectingAt, onlineAt } = await page.evaluate(() => ({
        connectingAt: window.state.connectingAt,
        onlineAt: window.state.onlineAt,
      }));
      expect(connectingAt).toBeDefined();
      expect(connectingAt as number).toBeLessThanOrEqual(onlineAt as number);
      // The server also records the probe's 'ping', which Chromium releases when back online.
      const onSecond = () => server.received.filter((r) => r.attempt === 2 && r.data !== 'ping');
      await server.waitForReceived(() => onSecond().length >= 3);
      expect(onSecond().map((r) => r.data)).toEqual(['a', 'b', 'c']);
      expect(server.attempts).toHaveLength(2);
    });

    it('offline without a heartbeat: lets the unprobeable socket go at once, reconnects on online', async () => {
      const { page, context, server } = harness();
      await page.evaluate(
        ({ url, policy }) => {
          const client = window.resock.createClient({ url, policy });
          window.state = { client, closes: [] as unknown[] };
          client.on('close', (record) => (window.state.closes as unknown[]).push(record));
          return client.opened();
        },
        { url: remote(`${server.url}/lifecycle`), policy: quick },
      );
      await context.setOffline(true);
      await page.waitForFunction(() => (window.state.closes as unknown[]).length === 1);
      const { record, state, waitingFor } = await page.evaluate(() => ({
        record: (window.state.closes as unknown[])[0],
        state: (window.state.client as ReturnType<typeof window.resock.createClient>).state,
        waitingFor: (window.state.client as ReturnType<typeof window.resock.createClient>).waitingFor,
      }));
      expect(record).toMatchObject({ code: 1006, reason: 'offline', initiator: 'transport', synthetic: true });
      expect(state).toBe('waiting');
      expect(waitingFor).toBe('online'); // for a countdown: the retry comes with the network
      await page.evaluate(() => (window.state.client as ReturnType<typeof window.resock.createClient>).send('held'));
      await context.setOffline(false);
      await server.waitForAttempts(2);
      await page.evaluate(() => (window.state.client as ReturnType<typeof window.resock.createClient>).opened());
      await server.waitForReceived((received) => received.some((r) => r.attempt === 2));
      expect(server.received.filter((r) => r.attempt === 2).map((r) => r.data)).toEqual(['held']);
    });

    it('offline during a handshake: gives the attempt up, and on online attempts at once (not after connectTimeoutMs)', async () => {
      const { page, context, server } = harness();
      server.plan({ kind: 'hang' }); // the first handshake never completes
      await page.evaluate(
        ({ url, policy }) => {
          // A connect deadline far beyond this test's wait for the second attempt.
          const client = window.resock.createClient({ url, policy, connectTimeoutMs: 60_000 });
          window.state = { client, closes: [] as unknown[] };
          client.on('close', (record) => (window.state.closes as unknown[]).push(record));
        },
        { url: remote(`${server.url}/stuck`), policy: quick },
      );
      await server.waitForAttempts(1);
      await context.setOffline(true);
      await page.waitForFunction(() => (window.state.closes as unknown[]).length === 1);
      const record = await page.evaluate(() => (window.state.closes as unknown[])[0]);
      expect(record).toMatchObject({ code: 1006, phase: 'connecting', initiator: 'transport', reason: 'offline' });
      await context.setOffline(false);
      await server.waitForAttempts(2, 10_000);
      const state = await page.evaluate(async () => {
        const client = window.state.client as ReturnType<typeof window.resock.createClient>;
        await client.opened();
        return client.state;
      });
      expect(state).toBe('open');
    });

    it('pauseWhenHidden: no retry while hidden; shown again, the due retry happens at once', async () => {
      const { page, server } = harness();
      await page.evaluate(
        ({ url, policy }) => {
          let visibility: DocumentVisibilityState = 'visible';
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
          window.state = {
            setVisibility: (value: DocumentVisibilityState) => {
              visibility = value;
              document.dispatchEvent(new Event('visibilitychange'));
              window.state.shownAt = performance.now();
            },
          };
          const client = window.resock.createClient({ url, policy, pauseWhenHidden: true });
          window.state.client = client;
          client.on('state', ({ to }) => {
            if (to === 'connecting') window.state.connectingAt = performance.now();
          });
          return client.opened();
        },
        { url: `${server.url}/hidden`, policy: quick },
      );
      await page.evaluate(() => (window.state.setVisibility as (v: string) => void)('hidden'));
      server.terminateAll();
      // Nothing may happen here, so nothing can be awaited: 8× the policy's 100 ms retry delay,
      // in which a retry not held while hidden would certainly have come.
      await page.waitForTimeout(800);
      expect(server.attempts).toHaveLength(1);
      expect(
        await page.evaluate(() => (window.state.client as ReturnType<typeof window.resock.createClient>).waitingFor),
      ).toBe('visible');
      await page.evaluate(() => {
        window.state.connectingAt = undefined;
        (window.state.setVisibility as (v: string) => void)('visible');
      });
      await server.waitForAttempts(2);
      // At once: inside the visibilitychange dispatch, not a back-off later.
      const { connectingAt, shownAt } = await page.evaluate(() => ({
        connectingAt: window.state.connectingAt,
        shownAt: window.state.shownAt,
      }));
      expect(connectingAt).toBeDefined();
      expect(connectingAt as number).toBeLessThanOrEqual(shownAt as number);
    });

    it('shown again after its timer was held up, an overdue retry runs at once (no pauseWhenHidden)', async () => {
      const { page, server } = harness();
      await page.evaluate(
        ({ url }) => {
          let visibility: DocumentVisibilityState = 'visible';
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
          const setVisibility = (value: DocumentVisibilityState) => {
            visibility = value;
            document.dispatchEvent(new Event('visibilitychange'));
          };
          const client = window.resock.createClient({ url, policy: { backoff: { type: 'constant', delayMs: 300 } } });
          window.state = { client };
          client.on('reconnecting', () => {
            // A background tab whose timers are held up: the 300 ms retry is overdue by the time
            // the page is shown again, and its timer has not had a chance to fire.
            setVisibility('hidden');
            const until = performance.now() + 600;
            while (performance.now() < until) {
              // the page's only task keeps running: no timer can fire
            }
            setVisibility('visible');
            // Before any timer: the client's own step (after this listener) is already done.
            queueMicrotask(() => {
              window.state.afterShown = client.state;
            });
          });
          return client.opened();
        },
        { url: `${server.url}/overdue` },
      );
      server.terminateAll();
      await server.waitForAttempts(2);
      expect(await page.evaluate(() => window.state.afterShown)).toBe('connecting');
    });

    it('pagehide closes with reconnectCloseCode (4000, not the 1000 some servers end a session on); a pageshow from the bfcache reconnects', async () => {
      const { page, server } = harness();
      await page.evaluate((url) => {
        const client = window.resock.createClient({ url });
        window.state = { client };
        return client.opened();
      }, `${server.url}/bfcache`);
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
      await server.waitForClientClose(1);
      expect(server.clientCloses[0]).toMatchObject({ code: 4000, reason: 'pagehide' });
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
      await server.waitForAttempts(2);
      const state = await page.evaluate(async () => {
        const client = window.state.client as ReturnType<typeof window.resock.createClient>;
        await client.opened();
        return client.state;
      });
      expect(state).toBe('open');
    });

    it('environment: undefined turns the page awareness off', async () => {
      const { page, server } = harness();
      const states = await page.evaluate(async (url) => {
        const aware = window.resock.createClient({ url });
        const unaware = window.resock.createClient({ url, environment: undefined });
        await Promise.all([aware.opened(), unaware.opened()]);
        window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
        // The page's listeners run inside dispatchEvent: the states are settled now.
        const result = { aware: aware.state, unaware: unaware.state };
        await Promise.all([aware.close(), unaware.close()]);
        return result;
      }, `${server.url}/opt-out`);
      expect(states).toEqual({ aware: 'waiting', unaware: 'open' });
    });

    it('a page that is not restored from the bfcache (pageshow without persisted) does not reconnect', async () => {
      const { page, server } = harness();
      await page.evaluate((url) => {
        const client = window.resock.createClient({ url });
        window.state = { client };
        return client.opened();
      }, `${server.url}/no-bfcache`);
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })));
      await server.waitForClientClose(1);
      await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false })));
      // Nothing may happen here: a pageshow reconnect is at once (the bfcache test above), so
      // 300 ms is ample for one that should not be.
      await page.waitForTimeout(300);
      expect(server.attempts).toHaveLength(1);
    });
  });
});
