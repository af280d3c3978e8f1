// The hooks in real Chromium, in React 19's and React 18's development builds (StrictMode runs
// effects twice there), against a real ws server: what a component's clients do as it mounts,
// re-renders, changes its URL and unmounts.
import { fileURLToPath } from 'node:url';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { bundlePage, chromiumSkipReason, launchChromium } from '@resock/test-utils/chromium';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./page/reactPage.ts', import.meta.url));
/** The React each run bundles: the one installed (19), and 18 in its place. */
const reacts = [
  { version: '19', alias: {} },
  { version: '18', alias: { react: 'react18', 'react-dom': 'react-dom18' } },
];

type Props = { url: string; label: string; fake?: boolean };
type App = {
  mount(props: Props, options?: { strict?: boolean }): void;
  render(props: Props): void;
  unmount(): void;
  text(): string;
  states(): string[];
  sent(): string[][];
  topic(props: { base: string; topic: string }): void;
  log(): string[];
  subscriptions(): Record<string, number>;
  version(): string;
  room(props: { base: string; room: string }, options?: { strict?: boolean; hidden?: boolean }): void;
  hasActivity(): boolean;
  seen(): string[];
};
declare const app: App;

let server: ScenarioServer;
let page: Page;
let closeBrowser: () => Promise<void>;

const shows = (text: string) => page.waitForFunction((t) => app.text() === t, text);

describe.skipIf(chromiumSkipReason !== '').each(reacts)(
  `@resock/react on React $version in Chromium${chromiumSkipReason}`,
  ({ version, alias }) => {
    // React's development build: StrictMode runs effects twice only there.
    const bundle = bundlePage(entry, { define: { 'process.env.NODE_ENV': '"development"' }, alias });

    beforeEach(async () => {
      const js = await bundle;
      server = await startScenarioServer({
        http: (req, res) => {
          if (req.url === '/')
            res.writeHead(200, { 'content-type': 'text/html' }).end('<script type="module" src="/page.js"></script>');
          else if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
          else res.writeHead(404).end();
        },
      });
      const chromium = await launchChromium();
      closeBrowser = chromium.close;
      page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
      await page.goto(`http://127.0.0.1:${server.port}/`);
      await page.waitForFunction(() => 'app' in globalThis);
    });

    afterEach(async () => {
      await closeBrowser();
      await server.stop();
    });

    it('renders the state as it changes and what arrives; the open listener sends on the client it belongs to', async () => {
      await page.evaluate((url) => app.mount({ url, label: 'one' }), `${server.url}/a`);
      await shows('open one:hello'); // the echo server answers the hello sent on open
      expect(await page.evaluate(() => app.states())).toEqual(['open']);
      expect(await page.evaluate(() => app.version())).toMatch(new RegExp(`^${version}\\.`));
    });

    it("hears a client's first event however soon it comes: listeners subscribe in the task the client is made", async () => {
      // The transport opens a microtask after createClient: before any later task could re-render.
      await page.evaluate((url) => app.mount({ url, label: 'one', fake: true }), `${server.url}/a`);
      await page.waitForFunction(() => app.states()[0] === 'open');
      expect(await page.evaluate(() => app.sent())).toEqual([['hello']]);
    });

    it('in the render where deps change, code never gets the client about to be closed', async () => {
      await page.evaluate((base) => app.topic({ base, topic: 'a' }), server.url);
      await server.waitForReceived(1);
      await page.evaluate((base) => app.topic({ base, topic: 'b' }), server.url);
      await server.waitForReceived(2);
      expect(await page.evaluate(() => app.log())).toEqual(['sent a on connecting', 'sent b on connecting']);
      expect(server.received.map((r) => String(r.data))).toEqual(['subscribe a', 'subscribe b']);
    });

    it('under StrictMode the first client is closed at once and one stays open', async () => {
      await page.evaluate((url) => app.mount({ url, label: 'one' }, { strict: true }), `${server.url}/a`);
      await shows('open one:hello');
      expect(await page.evaluate(() => app.states())).toEqual(['closed', 'open']);
    });

    it('under StrictMode no render or effect is handed the client closed at once (React 18 handed it to both)', async () => {
      await page.evaluate((base) => app.room({ base, room: 'a' }, { strict: true }), server.url);
      await page.waitForFunction(() => document.getElementById('room')?.textContent === 'open');
      await server.waitForReceived(1);
      // The first client was closed at once: what it was sent is lost with it, never a throw.
      expect(await page.evaluate(() => app.log())).not.toContainEqual(expect.stringMatching(/Error/));
      expect(await page.evaluate(() => app.seen())).not.toContainEqual(expect.stringMatching(/clos/));
      expect(server.received.map((r) => String(r.data))).toEqual(['join a']);
      expect(await page.evaluate(() => app.states())).toEqual(['closed', 'open']);
    });

    it("listeners do not hear the hook's own close of a client on deps change or unmount", async () => {
      const opened = () => page.waitForFunction(() => document.getElementById('room')?.textContent === 'open');
      await page.evaluate((base) => app.room({ base, room: 'a' }), server.url);
      await opened();
      await page.evaluate((base) => app.room({ base, room: 'b' }), server.url);
      await opened();
      await server.waitForClientClose(1);
      await page.evaluate(() => app.unmount());
      await server.waitForClientClose(2);
      // What the server does is heard (the listeners work); the hook's own closes of a and b are
      // not (their state went to closing at once, a close listener's toast on every switch).
      await page.evaluate((base) => app.room({ base, room: 'c' }), server.url);
      await opened();
      server.sockets.get(3)?.close(4000, 'bye');
      await page.waitForFunction(() => app.log().some((line) => line.startsWith('close 4000')));
      const log = await page.evaluate(() => app.log());
      expect(log.filter((line) => / heard in [ab]$/.test(line))).toEqual([]);
      expect(log).toContain('close 4000 heard in c');
    });

    it('a tab hidden in <Activity> lets its client go; shown again, it is handed a new one, never the closed one', async (context) => {
      if (version === '18') return context.skip('React 18 has no <Activity>');
      expect(await page.evaluate(() => app.hasActivity())).toBe(true);
      await page.evaluate((base) => app.room({ base, room: 'a' }, { hidden: false }), server.url);
      await server.waitForReceived(1);
      await page.evaluate((base) => app.room({ base, room: 'a' }, { hidden: true }), server.url);
      await server.waitForClientClose(1);
      await page.evaluate((base) => app.room({ base, room: 'a' }, { hidden: false }), server.url);
      await server.waitForReceived(2);
      await page.waitForFunction(() => document.getElementById('room')?.textContent === 'open');
      expect(await page.evaluate(() => app.log())).toEqual(['joined a on connecting', 'joined a on connecting']);
      expect(await page.evaluate(() => app.seen())).not.toContainEqual(expect.stringMatching(/clos/));
      expect(await page.evaluate(() => app.states())).toEqual(['closed', 'open']);
    });

    it('unmounting closes the client: the server gets its close frame', async () => {
      await page.evaluate((url) => app.mount({ url, label: 'one' }), `${server.url}/a`);
      await shows('open one:hello');
      await page.evaluate(() => app.unmount());
      await server.waitForClientClose(1);
      expect(server.clientCloses).toMatchObject([{ attempt: 1, code: 1000 }]);
      await page.waitForFunction(() => app.states()[0] === 'closed');
    });

    it('a new URL closes the old client and connects a new one; a re-render keeps the client', async () => {
      await page.evaluate((url) => app.mount({ url, label: 'one' }), `${server.url}/a`);
      await shows('open one:hello');
      await page.evaluate((url) => app.render({ url, label: 'two' }), `${server.url}/a`);
      // The same client, and the latest render's listener hears the next message.
      const socket = server.sockets.get(1);
      expect(socket).toBeDefined();
      socket?.send('again');
      await shows('open two:again');
      expect(server.attempts).toHaveLength(1);
      // A new listener each render, one subscription each for the whole client's life.
      expect(await page.evaluate(() => app.subscriptions())).toEqual({ open: 1, message: 1, state: 1 });

      await page.evaluate((url) => app.render({ url, label: 'three' }), `${server.url}/b`);
      await shows('open three:hello');
      await server.waitForClientClose(1);
      expect(server.attempts.map((a) => a.path)).toEqual(['/a', '/b']);
      expect(await page.evaluate(() => app.states())).toEqual(['closed', 'open']);
    });
  },
);
