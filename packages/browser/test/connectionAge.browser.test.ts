import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

// maxConnectionAgeMs in real Chromium: the page's WebSocket tells the server 4000 max-age (a
// planned move, not a lost link), and the next connection opens at once and carries the sends.
describe.skipIf(chromiumMissing)(`Chromium: maxConnectionAgeMs${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('an open connection moves at its age: the server hears 4000 max-age, the next one echoes', async () => {
    const { page, server } = harness();
    server.plan({ kind: 'echo' }, { kind: 'echo' });
    const seen = await page.evaluate(async (url) => {
      const client = window.resock.createClient({ url, maxConnectionAgeMs: 1000, random: () => 0 });
      const opens: number[] = [];
      const moved = new Promise<void>((resolve) =>
        client.on('open', ({ attempt }) => {
          opens.push(attempt);
          if (opens.length === 2) resolve();
        }),
      );
      await moved;
      const record = client.lastClose;
      const echoed = new Promise<unknown>((resolve) => client.once('message', resolve));
      client.send('after the move');
      const echo = await echoed;
      const { reconnects } = client.stats;
      await client.close();
      return { opens, record, echo, reconnects };
    }, `${server.url}/aged`);
    expect(seen.record).toMatchObject({ code: 4000, reason: 'max-age', initiator: 'client', phase: 'open' });
    expect(seen.opens).toEqual([1, 1]); // each the first attempt of its own (empty) outage
    expect(seen.echo).toBe('after the move');
    expect(seen.reconnects).toBe(1);
    await server.waitForClientClose(1);
    expect(server.clientCloses[0]).toEqual({ attempt: 1, code: 4000, reason: 'max-age' });
  });
});
