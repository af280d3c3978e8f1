import { readFile } from 'node:fs/promises';
import { definePolicy, isInvalidPolicyError, type Policy, type PresetName, presetNames } from '@resock/core';
import { explainPolicy, parseSubject } from './explainPolicy';

export class UsageError extends Error {}

/** What messages call a policy: its file's name, or "the policy given" (inline JSON may be long). */
const nameOf = (source: string) => (source.trimStart().startsWith('{') ? 'the policy given' : source);

/**
 * A policy from a JSON file, a preset by name (`default`, `persistent`, …), or the JSON itself
 * (`'{"preset":"persistent","rules":[…]}'`: no file to write for a quick try or a one-off run).
 */
export async function loadPolicy(source: string): Promise<Policy> {
  if ((presetNames as readonly string[]).includes(source)) return definePolicy({ preset: source as PresetName });
  const name = nameOf(source);
  let text = source;
  if (name === source) {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      // A preset's name misspelt (`graphqlws`) is no file either: say which names there are.
      const meant = presetNames.find((name) => name.toLowerCase() === source.toLowerCase());
      const presets = meant ? `did you mean the preset ${meant}?` : `nor a preset (${presetNames.join(', ')})`;
      throw new UsageError(`cannot read ${source}: ${(error as Error).message}; ${presets}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${name} is not JSON: ${(error as Error).message}`);
  }
  return definePolicy(json as never);
}

/** `resock policy check <file>`: 0 when valid, 1 with every problem and its path otherwise. */
export async function policyCheck(source: string, out: (line: string) => void): Promise<number> {
  try {
    const policy = await loadPolicy(source);
    const own = policy.rules.filter((r) => r.source === 'user').length;
    out(
      `${nameOf(source)}: valid — ${own} rule${own === 1 ? '' : 's'} of yours, then the ${policy.preset} preset's ${policy.rules.length - own} rows`,
    );
    return 0;
  } catch (error) {
    if (!isInvalidPolicyError(error)) throw error;
    out(`${nameOf(source)}: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`);
    for (const problem of error.problems) out(`  ${problem.path}: ${problem.message}`);
    return 1;
  }
}

/** `resock policy explain <file|preset> <code|status>`: what the policy does after it, and why. */
export async function policyExplain(source: string, what: string, out: (line: string) => void): Promise<number> {
  const subject = parseSubject(what);
  if (!subject)
    throw new UsageError(
      `"${what}" is neither a close code (0–65535) nor an HTTP status (100–599); say code:N or status:N`,
    );
  const policy = await loadPolicy(source);
  for (const line of explainPolicy(policy, subject)) out(line);
  return 0;
}
