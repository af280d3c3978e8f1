import { defineTestConfig } from '@resock/vitest-config';

// The Node tests again, against the built @resock/core and @resock/node an app installs: the
// build renames core's internal properties, so the published code is tested, not only the
// sources. Left out: the CLI's tests (their child processes load the sources themselves) and
// the leak test (it reads the client's internal emitter, which the build renames).
export default defineTestConfig(
  {
    include: ['test/*.e2e.test.ts', 'test/transportContract.test.ts'],
    exclude: ['test/cli*.test.ts', 'test/exit.e2e.test.ts', 'test/leak.e2e.test.ts'],
  },
  { published: true },
);
