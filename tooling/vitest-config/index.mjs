// Shared test settings. Tests run against the packages' TypeScript sources through the
// `@resock/source` export condition, so they need no build first; a published run (below)
// takes the built packages instead. Each run writes a JSON report to reports/; .ci/run sums
// those into one line.
import { defineConfig } from 'vitest/config';

const sourceConditions = ['@resock/source', 'module', 'node', 'import', 'default'];
// What an app resolves: the packages' built dist, the code that is published (its internal
// properties renamed by the build: tooling/rollup-config/mangleInternals.mjs).
const publishedConditions = sourceConditions.slice(1);

/**
 * @param {import('vitest/config').ViteUserConfig['test']} [test]
 * @param {{ published?: boolean }} [options] published: run against the built packages; the
 *   report is then reports/vitest-published.json, which .ci/run counts as well.
 */
export function defineTestConfig(test = {}, { published = false } = {}) {
  const conditions = published ? publishedConditions : sourceConditions;
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['node'] } },
    test: {
      include: ['test/**/*.test.ts'],
      reporters: ['default', 'json'],
      outputFile: { json: published ? 'reports/vitest-published.json' : 'reports/vitest.json' },
      // A test that needs longer than this is waiting on something that will not come.
      testTimeout: 10_000,
      ...test,
    },
  });
}
