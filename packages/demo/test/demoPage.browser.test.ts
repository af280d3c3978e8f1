import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromiumMissing, chromiumSkipReason, launchChromium } from '@resock/test-utils/chromium';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoPage } from '../src/page/pageServer';

const reports = fileURLToPath(new URL('../reports/', import.meta.url));

/** The story's chapters, as listed on the page's timeline. */
const story = [
  '1. normal traffic',
  '2. the server restarts (1012)',
  '3. the network drops (1006)',
  '4. the token expires (3000 → refresh hook)',
  '5. overloaded (1013 Try Again Later)',
  '6. goodbye (1000)',
];
const chapters = async (page: Page) =>
  (await page.locator('li.k-chapter').allTextContents()).map((c) => c.replace(/^\+[\d.]+schapter/, ''));

describe.skipIf(chromiumMissing)(`the demo page in Chromium${chromiumSkipReason}`, () => {
  let server: Awaited<ReturnType<typeof startDemoPage>>;
  let browser: Awaited<ReturnType<typeof launchChromium>>;
  let page: Page;
  beforeAll(async () => {
    server = await startDemoPage();
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(server.pageUrl);
  }, 30_000);
  afterAll(async () => {
    await browser.close();
    await server.stop();
  });

  it('shows the close record and the decision after the server closes with the chosen code', async () => {
    await page.locator('#state', { hasText: 'open' }).waitFor();
    await page.selectOption('#code', '4001');
    await page.fill('#reason', 'token expired');
    await page.click('#close');
    const close = page.locator('li.k-close', { hasText: '4001' });
    await close.waitFor();
    expect(await close.textContent()).toContain('reason "token expired"  wasClean=true  phase=open  initiator=server');
    const decision = page.locator('li.k-decide').first();
    expect(await decision.textContent()).toMatch(/retry in \d+\.\d s\s+rule default:transient/);
    await page.locator('#state', { hasText: 'open' }).waitFor(); // and it came back
    mkdirSync(reports, { recursive: true });
    await page.screenshot({ path: `${reports}demo-page.png`, fullPage: true });
  });

  it('plays the whole story in the page, to the final 1000', async () => {
    await page.locator('#state', { hasText: 'open' }).waitFor();
    await page.click('#story');
    await page.locator('#state', { hasText: 'failed' }).waitFor({ timeout: 20_000 });
    expect(await chapters(page)).toEqual(story);
    expect(await page.locator('li.k-refresh').count()).toBe(1);
    await page.screenshot({ path: `${reports}demo-page-story.png`, fullPage: true });
  }, 30_000);

  it('plays one story at a time: the button is disabled while it runs, so a second click does nothing', async () => {
    await page.reload(); // a fresh client and timeline
    await page.locator('#state', { hasText: 'open' }).waitFor();
    const button = page.locator('#story');
    await button.click();
    await page.locator('li.k-chapter', { hasText: '2. the server restarts' }).waitFor();
    expect(await button.isDisabled()).toBe(true);
    // An impatient second click, a real one (force: Playwright would otherwise wait until enabled).
    await button.click({ force: true });
    await page.locator('#state', { hasText: 'failed' }).waitFor({ timeout: 20_000 });
    expect(await chapters(page)).toEqual(story);
    await page.locator('#story:enabled').waitFor(); // and it can be played again
  }, 30_000);

  it('shows a refused handshake as the browser sees it: 1006 in connecting, no status', async () => {
    await page.reload(); // a fresh client (the story ended with a stop)
    await page.locator('#state', { hasText: 'open' }).waitFor();
    await page.selectOption('#status', '503');
    await page.click('#reject');
    const refused = page.locator('li.k-close', { hasText: 'phase=connecting' });
    await refused.waitFor();
    const text = await refused.textContent();
    expect(text).toContain('1006 Abnormal Closure');
    expect(text).not.toContain('HTTP'); // the page prints a status when there is one; a browser has none
  });

  it("shows a request the server refuses on the timeline, in the server's words", async () => {
    await page.locator('#state', { hasText: 'open' }).waitFor();
    await page.fill('#reason', 'é'.repeat(62)); // 124 UTF-8 bytes: one more than a close frame holds
    await page.click('#close');
    const refused = page.locator('li.k-error');
    await refused.waitFor();
    expect(await refused.textContent()).toContain(
      'the server refused close (400): reason: at most 123 UTF-8 bytes, got 124',
    );
  });

  it('shows the first attempt begin (idle → connecting), not only once it has opened', async () => {
    await page.goto(server.pageUrl); // a fresh client and timeline
    await page.locator('#state', { hasText: 'open' }).waitFor();
    expect(await page.locator('li.k-state').first().textContent()).toContain('idle → connecting');
  });

  it("names a delay the server's close reason asked for, beside the rule's note", async () => {
    await page.goto(server.pageUrl);
    await page.locator('#state', { hasText: 'open' }).waitFor();
    // The one way a server can give a browser a delay (docs/close-codes.md): JSON in the close reason.
    await page.selectOption('#code', '1001');
    await page.fill('#reason', '{"retryAfter":5}');
    await page.click('#close');
    const decision = page.locator('li.k-decide').first();
    await decision.waitFor();
    expect(await decision.textContent()).toMatch(/retry in [56]\.\d s.*The server asks for 5 s or more\./);
  });

  it('says so when Close is clicked with no open connection (during a countdown), and does nothing', async () => {
    await page.goto(server.pageUrl);
    await page.locator('#state', { hasText: 'open' }).waitFor();
    await page.selectOption('#code', '1013');
    await page.fill('#reason', 'overloaded');
    await page.click('#close');
    await page.locator('#countdown', { hasText: 'next attempt in' }).waitFor(); // ≥ 3 s to go
    await page.selectOption('#code', '1000');
    await page.click('#close');
    await page.locator('li.k-note', { hasText: 'no open connection to act on (the client is waiting)' }).waitFor();
    expect(await page.textContent('#state')).toBe('waiting');
    expect(await page.locator('li.k-close').count()).toBe(1); // only the 1013
  });
});
