import { readFile } from 'node:fs/promises';
import {
  definePolicy,
  isInvalidPolicyError,
  type Policy,
  type PolicyInput,
  type PresetName,
  type Problem,
  presetNames,
  type RuleInput,
} from '@resock/core';
import { explainPolicy, parseSubject } from './explainPolicy';
import { policyWarnings } from './policyWarnings';

export class UsageError extends Error {}

/** The policy's JSON itself, not a file's name: an object's text starts with `{`. */
const isInline = (source: string) => source.trimStart().startsWith('{');

/** What messages call a policy: its file's name, or "the policy given" (inline JSON may be long). */
const nameOf = (source: string) => (isInline(source) ? 'the policy given' : source);

/**
 * A policy from a JSON file, a preset by name (`default`, `persistent`, …), or the JSON itself
 * (`'{"preset":"persistent","rules":[…]}'`: no file to write for a quick try or a one-off run).
 */
export async function loadPolicy(source: string): Promise<Policy> {
  return definePolicy((await readPolicyInput(source)) as never);
}

/** What `source` names, as definePolicy's input: read, and parsed, not yet checked. */
async function readPolicyInput(source: string): Promise<unknown> {
  if ((presetNames as readonly string[]).includes(source)) return { preset: source as PresetName };
  let text = source;
  if (!isInline(source)) {
    try {
      text = await readFile(source, 'utf8');
    } catch (error) {
      // A preset's name misspelt (`graphqlws`) is no file either: say which names there are.
      const meant = presetNames.find((preset) => preset.toLowerCase() === source.toLowerCase());
      const presets = meant ? `did you mean the preset ${meant}?` : `nor a preset (${presetNames.join(', ')})`;
      throw new UsageError(`cannot read ${source}: ${(error as Error).message}; ${presets}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${nameOf(source)} is not JSON: ${(error as Error).message}`);
  }
}

/** `resock policy check <file>`: 0 when valid, 1 with every problem and its path otherwise. */
export async function policyCheck(source: string, out: (line: string) => void): Promise<number> {
  const input = await readPolicyInput(source);
  try {
    const policy = definePolicy(input as never);
    const own = policy.rules.filter((r) => r.source === 'user').length;
    out(
      `${nameOf(source)}: valid — ${own} rule${own === 1 ? '' : 's'} of yours, then the ${policy.preset} preset's ${policy.rules.length - own} rows`,
    );
    for (const warning of policyWarnings(policy)) out(`  warning: ${warning}`);
    return 0;
  } catch (error) {
    if (!isInvalidPolicyError(error)) throw error;
    const problems = [...error.problems, ...eachRuleAlone(input, error.problems)];
    out(`${nameOf(source)}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const problem of problems) out(`  ${problem.path}: ${problem.message}`);
    return 1;
  }
}

/**
 * definePolicy reads the rules' meaning (a reversed range, an option that does nothing on its
 * action) once the whole shape is right: a typo elsewhere would hide those until it is fixed,
 * one round more. Here each rule is read alone too, so one run lists them all.
 */
function eachRuleAlone(input: unknown, found: readonly Problem[]): Problem[] {
  const rules = (input as PolicyInput | null)?.rules;
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((rule: unknown, i) => {
    try {
      definePolicy({ preset: 'none', rules: [rule as RuleInput] });
      return [];
    } catch (error) {
      if (!isInvalidPolicyError(error)) return [];
      // As rules[i], and only what the whole policy's check did not say already.
      return error.problems
        .map((problem) => ({ ...problem, path: problem.path.replace(/^rules\[0\]/, `rules[${i}]`) }))
        .filter((problem) => !found.some((f) => f.path === problem.path && f.message === problem.message));
    }
  });
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
