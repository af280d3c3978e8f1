// What pageEntry.ts puts on window, for page.evaluate callbacks.
import type * as resock from '@resock/browser';
import type { runContractSteps } from '@resock/test-utils/contractRunner';

declare global {
  interface Window {
    resock: typeof resock & { runContractSteps: typeof runContractSteps };
    /** Anything a test keeps in the page between evaluate calls. */
    state: Record<string, unknown>;
  }
}
