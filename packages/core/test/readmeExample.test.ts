import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// The README's first screen promises a runnable example that prints what its comments say: it is
// run here from the README's own text, as a user would paste it.

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
/** Inside the package, so `import '@resock/core'` finds it (a package may import itself by name). */
const example = fileURLToPath(new URL('../reports/readme-example.ts', import.meta.url));

it('the README’s first example runs and prints what its comments say', async () => {
  const code = /```ts\n(import \{ decide, definePolicy, normalizeClose \}[\s\S]*?)```/.exec(readme)?.[1];
  expect(code, 'the first screen’s example').toBeDefined();
  mkdirSync(fileURLToPath(new URL('../reports/', import.meta.url)), { recursive: true });
  writeFileSync(example, code ?? '');
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    '--conditions=@resock/source',
    example,
  ]);
  // The comments' lines, with 1012's random 5–30 s as a pattern.
  const promised = [...(code ?? '').matchAll(/^\/\/ (\d{4} \w+ \d+ \S+)/gm)].map((m) => m[1]);
  expect(promised).toEqual(['1012 retry 17034 default:service-restart', '4000 stop 0 rules[1]']);
  const [restart, kicked] = stdout.trim().split('\n');
  expect(kicked).toBe(promised[1]);
  const delay = Number(/^1012 retry (\d+) default:service-restart$/.exec(restart ?? '')?.[1]);
  expect(delay).toBeGreaterThanOrEqual(5000);
  expect(delay).toBeLessThanOrEqual(30_000);
});
