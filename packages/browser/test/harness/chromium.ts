import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether Debian's Chromium is here. Without it the browser suites are skipped, and their
 * titles say why; `.ci/run` installs it and sets RESOCK_REQUIRE_CHROMIUM=1, so CI never skips.
 */
export const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env.RESOCK_REQUIRE_CHROMIUM === '1') {
  throw new Error(
    `${CHROMIUM} is missing and RESOCK_REQUIRE_CHROMIUM=1: install it (apt-get install -y --no-install-recommends chromium)`,
  );
}

/** Appended to a suite's title when it is skipped. */
export const skipReason = chromiumMissing
  ? ' (skipped: no /usr/bin/chromium; apt-get install chromium, as .ci/run does)'
  : '';
