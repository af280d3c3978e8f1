import { defineTransportContract } from '@resock/test-utils';
import { chromiumMissing, chromiumSkipReason as skipReason } from '@resock/test-utils/chromium';
import { describe } from 'vitest';
import { useBrowserHarness } from './harness/browserHarness';

describe.skipIf(chromiumMissing)(`Chromium${skipReason}`, () => {
  const harness = useBrowserHarness({ crossOriginIsolated: true }); // SharedArrayBuffer

  // The same contract as the Node transports, run by the page's own WebSocket in Chromium.
  defineTransportContract({
    name: 'browserTransport (Chromium)',
    seesHandshakeStatus: false,
    canPing: false,
    canTerminate: false,
    run: (url, protocols, steps, waitMs) =>
      harness().page.evaluate(
        ({ url, protocols, steps, waitMs }) =>
          window.resock.runContractSteps(window.resock.browserTransport(), url, protocols, steps, waitMs),
        { url, protocols, steps, waitMs },
      ),
  });
});
