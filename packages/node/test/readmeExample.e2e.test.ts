import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startScenarioServer } from '@resock/test-utils';
import { afterEach, expect, it } from 'vitest';

// The README's first screen promises a runnable example: it is run here as a user would, from
// the README's own text, against a local server that plays its two close codes.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** Where the example is written: inside the package, so `import '@resock/node'` finds it (self-reference). */
const example = fileURLToPath(new URL('../reports/readme-example.mjs', import.meta.url));

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

it('the README’s worker example runs: it refreshes on 4001, and gives up on 4000 (exit 1)', async () => {
  const code = /```js\n(\/\/ worker\.mjs[\s\S]*?)```/.exec(readme)?.[1];
  expect(code, 'the first screen’s worker.mjs block').toBeDefined();
  mkdirSync(fileURLToPath(new URL('../reports/', import.meta.url)), { recursive: true });
  writeFileSync(example, code ?? '');

  const server = await startScenarioServer();
  cleanup.push(() => server.stop());
  // The first connection is closed with 4001 (refresh, then retry), the second with 4000 (stop).
  server.plan({ kind: 'close', code: 4001, reason: 'token expired' }, { kind: 'close', code: 4000, reason: 'go away' });
  // execFile collects the output until the process and its pipes have closed.
  const { exitCode, stdout, stderr } = await new Promise<{ exitCode: unknown; stdout: string; stderr: string }>(
    (resolve) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', '--conditions=@resock/source', example],
        { env: { ...process.env, FEED_URL: `${server.url}/live`, FEED_TOKEN: 't0' }, timeout: 8000 },
        (error, out, err) => resolve({ exitCode: error ? error.code : 0, stdout: out, stderr: err }),
      ),
  );

  expect(server.attempts.map((a) => a.path)).toEqual(['/live?token=t0', '/live?token=t0']);
  expect(stdout).toMatch(/^4001 → retry in \d+ ms \(rules\[1\]\)$/m);
  expect(stderr).toContain('gave up');
  expect(exitCode).toBe(1);
});
