// A policy one copy of resock defined is taken by another at run time (an app's own version beside
// a library's, or the ESM and CJS declarations of one): its type must be taken too. Compiled with
// the TypeScript API against two copies of @resock/core's built declarations.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const dist = join(dirname(createRequire(import.meta.url).resolve('@resock/core/package.json')), 'dist');
const root = mkdtempSync(join(tmpdir(), 'resock-types-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function copy(name: string): void {
  for (const file of readdirSync(dist).filter((f) => f.endsWith('.d.ts')))
    cpSync(join(dist, file), join(root, name, file), { recursive: true });
}

describe('a policy defined by another copy of resock', () => {
  it('type-checks where a policy is taken', () => {
    copy('a');
    copy('b');
    const probe = join(root, 'probe.ts');
    const source = [
      "import { definePolicy } from './a/index.js';",
      "import { createClient, decide, definePolicy as defineHere, normalizeClose, type Transport } from './b/index.js';",
      'declare const transport: Transport;',
      'const theirs = definePolicy({ maxAttempts: 3 });',
      "createClient({ url: 'wss://x.test/', transport, policy: theirs });",
      'defineHere(theirs);',
      'decide(theirs, normalizeClose({ code: 1006 }), { attempt: 1, refreshAvailable: false });',
    ].join('\n');
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.getSourceFile = (name, ...rest) =>
      name === probe ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022) : getSourceFile(name, ...rest);
    host.fileExists = (name) => name === probe || fileExists(name);
    host.readFile = (name) => (name === probe ? source : readFile(name));
    const program = ts.createProgram([probe], options, host);
    const errors = ts
      .getPreEmitDiagnostics(program, program.getSourceFile(probe))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    // Before: "Type 'number' is not assignable to type 'CodeRange'" — each copy's mark was its own symbol type.
    expect(errors).toEqual([]);
  }, 60_000);
});
