import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const entry = fileURLToPath(new URL('../page/pageEntry.ts', import.meta.url));
let bundle: Promise<string> | undefined;

/** The page bundle, built once per test file from @resock/browser's dist. */
export function pageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'error',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundle;
}

const html =
  '<!doctype html><meta charset="utf-8"><title>resock test page</title><script type="module" src="/bundle.js"></script>';

export interface BrowserHarness {
  /** Serves the page at / and is a scenario server for its sockets too. */
  readonly server: ScenarioServer;
  readonly context: BrowserContext;
  readonly page: Page;
  /** Opens another page on the test page (a fresh page resets nothing but the document). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/**
 * Headless Debian Chromium, driven by playwright-core, with a fresh profile: Chromium slows a
 * page's connects down after ~10 quick failures and remembers it per profile, so each test
 * file starts clean.
 */
export async function startBrowserHarness(): Promise<BrowserHarness> {
  const js = await pageBundle();
  const server = await startScenarioServer({
    http: (req, res) => {
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else res.writeHead(404).end();
    },
  });
  const profile = await mkdtemp(join(tmpdir(), 'resock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const newPage = async () => {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    await page.waitForFunction(() => 'resock' in window);
    return page;
  };
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${server.port}/`);
  await page.waitForFunction(() => 'resock' in window);
  return {
    server,
    context,
    page,
    newPage,
    async close() {
      await context.close();
      await server.stop();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
