// docs/migrating.md promises that its resock examples are what a user can paste: each `ts` block
// is type-checked here as a page's code (lib.dom, strict), then run, so options TypeScript accepts
// but createClient refuses (a value out of range) fail too.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const guide = readFileSync(new URL('../../../docs/migrating.md', import.meta.url), 'utf8');
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
const configPath = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
const reports = fileURLToPath(new URL('../reports/', import.meta.url));

/** TypeScript's errors for `file`, compiled as this package's own (page) code is. */
function typeErrors(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    { noEmit: true, customConditions: ['@resock/source'] },
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const program = ts.createProgram([file], config.options);
  return ts
    .getPreEmitDiagnostics(program, program.getSourceFile(file))
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** What a page has that Node 20 lacks, for the examples to run: a WebSocket that never opens (no network), storage. */
const pagePrelude = `
class NeverOpens extends EventTarget {
  static CONNECTING = 0; static OPEN = 1; static CLOSING = 2; static CLOSED = 3;
  readyState = 0; bufferedAmount = 0; binaryType = 'blob'; protocol = ''; extensions = '';
  constructor(readonly url: string) { super(); }
  send() {}
  close() {}
}
Object.assign(globalThis, { WebSocket: NeverOpens, sessionStorage: { token: 't0ken' } });
`;

describe('docs/migrating.md', () => {
  it('has resock examples to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((code, index) => [index, code] as const))(
    'example %i type-checks as page code, and runs: createClient accepts its options',
    async (index, code) => {
      mkdirSync(reports, { recursive: true });
      // Inside the package, so '@resock/browser' resolves to it as it would in an app.
      const example = `${reports}migrating-example-${index}.ts`;
      const runner = `${reports}migrating-run-${index}.ts`;
      writeFileSync(example, code);
      expect(typeErrors(example)).toEqual([]);
      // An option refused throws at import.
      writeFileSync(runner, `${pagePrelude}\nawait import('./migrating-example-${index}.ts');\nprocess.exit(0);\n`);
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@resock/source', runner]);
      await expect(run).resolves.toMatchObject({ stderr: '' });
    },
  );
});
