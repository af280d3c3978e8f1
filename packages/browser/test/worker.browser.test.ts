import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe, expect, it } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

describe.skipIf(chromiumMissing)(`Chromium: in a Web Worker${skipReason}`, () => {
  const harness = useBrowserHarness();

  it('connects and echoes with no page environment (a worker has no page lifecycle)', async () => {
    const seen = await harness().page.evaluate(async (url) => {
      // A module worker that loads the same bundle as the page, then reports back.
      const source = `
        import '${location.origin}/bundle.js';
        const { createClient, pageEnvironment } = globalThis.resock;
        const client = createClient({ url: ${JSON.stringify(url)} });
        await client.opened();
        const echoed = new Promise((resolve) => client.once('message', resolve));
        client.send('from the worker');
        const data = await echoed;
        const record = await client.close();
        postMessage({ noPage: pageEnvironment() === undefined, data, code: record.code, state: client.state });
      `;
      const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), {
        type: 'module',
      });
      return new Promise((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(event.message));
      });
    }, `${harness().server.url}/echo`);
    expect(seen).toEqual({ noPage: true, data: 'from the worker', code: 1000, state: 'closed' });
  });
});
