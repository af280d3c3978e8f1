import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether Debian's Chromium is here. Without it browser suites are skipped, and their titles
 * say why; `.ci/run` installs it and sets RESOCK_REQUIRE_CHROMIUM=1, so CI never skips them.
 */
export const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env.RESOCK_REQUIRE_CHROMIUM === '1') {
  throw new Error(
    `${CHROMIUM} is missing and RESOCK_REQUIRE_CHROMIUM=1: apt-get install -y --no-install-recommends chromium`,
  );
}

/** Appended to a suite's title when it is skipped. */
export const chromiumSkipReason = chromiumMissing
  ? ' (skipped: no /usr/bin/chromium; apt-get install chromium, as .ci/run does)'
  : '';

/**
 * A host name Chromium resolves to 127.0.0.1: tests of the page's offline dial the scenario
 * server by it. A client dialling 127.0.0.1 or localhost pays offline no heed (a browser says
 * offline whenever only loopback is up, and a server here still answers), so under offline
 * emulation, which cuts loopback too, it would only see its attempts fail.
 */
export const OFFLINE_HOST = 'resock-remote.test';

/**
 * Headless Debian Chromium with a fresh profile. Chromium slows a page's connects down after
 * ~10 quick failures and remembers that per profile, so each suite starts clean. Playwright
 * refuses --user-data-dir in args, hence the persistent context. Playwright turns the
 * back/forward cache off by default; `bfcache: true` keeps it, for real back navigations.
 */
export async function launchChromium(
  options: { bfcache?: boolean } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'resock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    ...(options.bfcache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // A name for this machine the client takes for a remote host (OFFLINE_HOST).
      `--host-resolver-rules=MAP ${OFFLINE_HOST} 127.0.0.1`,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A test page's script: `entry` bundled for the browser as an app's bundler would (ESM), from
 * the packages' dist. `define` sets build-time constants (React reads process.env.NODE_ENV);
 * `alias` puts one package in another's place (React 18 for 19).
 */
export async function bundlePage(
  entry: string,
  { define = {}, alias = {} }: { define?: Record<string, string>; alias?: Record<string, string> } = {},
): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'error',
    define,
    alias,
  });
  return result.outputFiles[0]?.text ?? '';
}
