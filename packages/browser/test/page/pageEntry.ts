// What the test pages load: the built @resock/browser (from dist, as users get it) plus the
// platform-free contract runner, on `window.resock`.

import * as resock from '@resock/browser';
import { runContractSteps } from '@resock/test-utils/contractRunner';

Object.assign(window, { resock: { ...resock, runContractSteps } });
