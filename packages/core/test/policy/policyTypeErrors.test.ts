// TypeScript's error for a mistake in a policy written inline must name the mistake: with the
// compiled Policy type in the parameter's union, it reported a correct close code instead
// ("Type 'number' is not assignable to type 'CodeRange'"). Compiled here with the compiler API.
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const configPath = fileURLToPath(new URL('../../tsconfig.test.json', import.meta.url));
const probePath = fileURLToPath(new URL('./policyTypeProbe.ts', import.meta.url));

/** The type errors of `lines` (one statement each), by line: compiled as a file beside this one. */
function typeErrors(lines: string[]): string[][] {
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
  );
  if (!config) throw new Error('tsconfig.test.json could not be read');
  const source = [
    "import { createClient, decide, definePolicy, normalizeClose } from '@resock/core';",
    "import { createFakeTransport } from '@resock/core/testing';",
    'const transport = createFakeTransport();',
    ...lines,
  ].join('\n');
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, ...rest) =>
    name === probePath ? ts.createSourceFile(name, source, ts.ScriptTarget.ES2022) : getSourceFile(name, ...rest);
  host.fileExists = (name) => name === probePath || fileExists(name);
  host.readFile = (name) => (name === probePath ? source : readFile(name));
  const program = ts.createProgram([probePath], config.options, host);
  const byLine: string[][] = lines.map(() => []);
  for (const d of ts.getPreEmitDiagnostics(program, program.getSourceFile(probePath))) {
    const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line - 3 : -1;
    byLine[line]?.push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return byLine;
}

describe('type errors in a policy written inline', () => {
  it('name the misspelt key, the unknown action, the widened action — never a correct code', () => {
    const errors = typeErrors([
      "createClient({ url: 'wss://x', transport, policy: { rules: [{ codes: [1013], action: 'throttle', minDelay: 1000 }] } });",
      "createClient({ url: 'wss://x', transport, policy: { rules: [{ codes: [4000], action: 'stop' }], maxAttempt: 5 } });",
      "definePolicy({ rules: [{ codes: [1013], action: 'throttle', minDelay: 1000 }] });",
      "decide({ rules: [{ codes: [1013], action: 'throttle', minDelay: 1000 }] }, normalizeClose({ code: 1000 }), { attempt: 1 });",
      "createClient({ url: 'wss://x', transport, policy: { rules: [{ codes: [4000], action: 'stopp' }] } });",
      "const kept = { rules: [{ codes: [4000], action: 'stop' }] }; createClient({ url: 'wss://x', transport, policy: kept });",
      "createClient({ url: 'wss://x', transport, policy: definePolicy({ rules: [{ codes: [4000], action: 'stop' }] }) });",
    ]);
    expect(errors.flat().join('\n')).not.toMatch(/CodeRange/);
    expect(errors[0]).toEqual([
      expect.stringMatching(/'minDelay' does not exist in type 'RuleInput'. Did you mean to write 'minDelayMs'/),
    ]);
    expect(errors[1]).toEqual([expect.stringMatching(/'maxAttempt' does not exist in type 'PolicyInput/)]);
    expect(errors[2]).toEqual([expect.stringMatching(/'minDelay' does not exist in type 'RuleInput'/)]);
    expect(errors[3]).toEqual([expect.stringMatching(/'minDelay' does not exist in type 'RuleInput'/)]);
    expect(errors[4]).toEqual([expect.stringMatching(/'"stopp"' is not assignable .* Did you mean '"stop"'/)]);
    expect(errors[5]).toEqual([
      expect.stringMatching(/property 'action' are incompatible[\s\S]*'string' is not assignable/),
    ]);
    expect(errors[6]).toEqual([]); // a defined policy is taken
  }, 60_000);
});
