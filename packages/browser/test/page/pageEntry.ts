// What the test pages load: the built @resock/browser (from dist, as users get it) plus the
// platform-free contract runner, on `resock` (window.resock in a page).

import * as resock from '@resock/browser';
import { runContractSteps } from '@resock/test-utils/contractRunner';

// globalThis, not window: a Web Worker loads the same bundle.
Object.assign(globalThis, { resock: { ...resock, runContractSteps } });
