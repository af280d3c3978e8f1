import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// A page cannot see a handshake's 401: an expired token looks like a lost link. The default's
// handshake-unknown row gets fresh credentials after the 2nd failure in a row.
describe.skipIf(chromiumMissing)(`Chromium: refused handshakes and the refresh hook${skipReason}`, () => {
  const harness = useBrowserHarness({}, true);

  it('two 401s in a row (seen as 1006 in connecting): the refresh hook runs, and the next attempt opens', async () => {
    const { page, server } = harness();
    server.plan({ kind: 'reject', status: 401 }, { kind: 'reject', status: 401 });
    const seen = await page.evaluate(async (url) => {
      const closes: unknown[] = [];
      const actions: string[] = [];
      const refreshed: Array<{ closesBefore: number; phase: string }> = [];
      const client = window.resock.createClient({
        url,
        policy: { backoff: { type: 'constant', delayMs: 50 } },
        refresh: ({ record }) => {
          refreshed.push({ closesBefore: closes.length, phase: record.phase });
        },
      });
      client.on('close', (record) => closes.push(record));
      client.on('reconnecting', ({ action, rule }) => actions.push(`${action} ${rule}`));
      const open = await client.opened();
      const before = [...closes]; // close() below adds the app's own
      await client.close();
      return { closes: before, actions, refreshed, attempt: open.attempt };
    }, `${server.url}/expired-token`);
    expect(seen.closes).toHaveLength(2);
    expect(seen.closes[1]).toMatchObject({ code: 1006, phase: 'connecting', initiator: 'transport', reason: '' });
    expect(seen.actions).toEqual(['retry default:handshake-unknown', 'refresh default:handshake-unknown']);
    expect(seen.refreshed).toEqual([{ closesBefore: 2, phase: 'connecting' }]);
    expect(server.attempts).toHaveLength(3);
    expect(seen.attempt).toBe(3);
  });
});
