import { fileURLToPath } from 'node:url';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { bundlePage, launchChromium, OFFLINE_HOST } from '@resock/test-utils/chromium';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

const entry = fileURLToPath(new URL('../page/pageEntry.ts', import.meta.url));
let bundle: Promise<string> | undefined;

/** The page bundle, built once per test file from @resock/browser's dist. */
function pageBundle(): Promise<string> {
  bundle ??= bundlePage(entry);
  return bundle;
}

const html =
  '<!doctype html><meta charset="utf-8"><title>resock test page</title><script type="module" src="/bundle.js"></script>';

export interface BrowserHarness {
  /** Serves the page at / and is a scenario server for its sockets too. */
  readonly server: ScenarioServer;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/** A fresh headless Chromium (see launchChromium) on the test page. */
export async function startBrowserHarness(
  options: { bfcache?: boolean; crossOriginIsolated?: boolean } = {},
): Promise<BrowserHarness> {
  const js = await pageBundle();
  // What a page needs for SharedArrayBuffer: cross-origin isolation (COOP + COEP).
  const isolation = options.crossOriginIsolated
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};
  const server = await startScenarioServer({
    http: (req, res) => {
      // /elsewhere: a second page to navigate to (and back from, through the bfcache).
      if (req.url === '/' || req.url === '/elsewhere')
        res.writeHead(200, { 'content-type': 'text/html', ...isolation }).end(html);
      else if (req.url === '/bundle.js')
        res.writeHead(200, { 'content-type': 'text/javascript', ...isolation }).end(js);
      else res.writeHead(404).end();
    },
  });
  const { context, close } = await launchChromium(options);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.waitForFunction(() => 'resock' in window);
  return {
    server,
    context,
    page,
    async close() {
      await close();
      await server.stop();
    },
  };
}

/**
 * The calling describe block's harness: started before its tests and closed after them (`each`:
 * a fresh one per test, where Chromium's throttling of quick failures would carry over). Read it
 * inside the tests: `harness().page`.
 */
export function useBrowserHarness(options: Parameters<typeof startBrowserHarness>[0] = {}, each = false) {
  let harness: BrowserHarness | undefined;
  const start = async () => {
    harness = await startBrowserHarness(options);
  };
  const stop = () => harness?.close();
  if (each) {
    beforeEach(start, 30_000);
    afterEach(stop);
  } else {
    beforeAll(start, 30_000);
    afterAll(stop);
  }
  return (): BrowserHarness => {
    if (!harness) throw new Error('the browser harness has not started');
    return harness;
  };
}

/** `url` (the scenario server's) by a name the client takes for a remote host: for tests of the page's offline. */
export const remote = (url: string): string => url.replace('//127.0.0.1:', `//${OFFLINE_HOST}:`);
