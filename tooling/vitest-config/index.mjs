// Shared test settings. Tests run against the packages' TypeScript sources through the
// `@resock/source` export condition, so `pnpm test` needs no build first.
// Each run writes a JSON report to reports/vitest.json; .ci/run sums those into one line.
import { defineConfig } from 'vitest/config';

const conditions = ['@resock/source', 'module', 'node', 'import', 'default'];

/** @param {import('vitest/config').ViteUserConfig['test']} [test] */
export function defineTestConfig(test = {}) {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['node'] } },
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: 'reports/vitest.json' },
      // A test that needs longer than this is waiting on something that will not come.
      testTimeout: 10_000,
      ...test,
    },
  });
}
