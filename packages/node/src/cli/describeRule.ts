// How `resock policy explain` describes one rule: its action, its wait, its limits, and why.
import { type Backoff, type Policy, type PolicyRule, ruleNote } from '@resock/core';

export const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describeBackoff(backoff: Backoff): string {
  switch (backoff.type) {
    case 'constant':
      return backoff.jitterMs
        ? `constant ${s(backoff.delayMs)} + 0–${s(backoff.jitterMs)}`
        : `constant ${s(backoff.delayMs)}`;
    case 'linear':
      return `linear ${s(backoff.initialDelayMs)} +${s(backoff.stepMs)} per attempt, cap ${s(backoff.maxDelayMs)}, jitter ${backoff.jitter}`;
    case 'exponential': {
      const jitter =
        typeof backoff.jitter === 'number' ? `±${Math.round(backoff.jitter * 100)} %` : `${backoff.jitter} jitter`;
      return `exponential ${s(backoff.initialDelayMs)} ×${backoff.factor}, cap ${s(backoff.maxDelayMs)}, ${jitter}`;
    }
  }
}

/**
 * `withRetryAfter`: whether the server said when to come back (a Retry-After, a close reason's
 * hint), or `'either'` when the same rule decides both ways (a throttle's wait then differs).
 */
export function describeRule(policy: Policy, rule: PolicyRule, withRetryAfter: boolean | 'either'): string[] {
  const index = policy.rules.indexOf(rule);
  const where = rule.source === 'user' ? `your rule ${rule.id}` : `preset row ${rule.id}`;
  const lines = [`  rule     ${where}${index >= 0 ? ` (#${index + 1} of ${policy.rules.length})` : ''}`];
  lines.push(`  action   ${rule.action}`);
  if (rule.action === 'stop') {
    lines.push('  then     no reconnect: the client fails with this close record');
  } else {
    const backoff = `${describeBackoff(rule.backoff ?? policy.backoff)}${rule.backoff ? '' : ' (the policy’s back-off)'}`;
    // A throttle's wait is the server's word when it gives one, instead of the back-off.
    const told = 'the server’s Retry-After (clamped 1 s – 10 min) + 0–10 %';
    if (rule.action === 'throttle' && withRetryAfter === true) lines.push(`  wait     ${told}`);
    else if (rule.action === 'throttle' && withRetryAfter === 'either')
      lines.push(`  wait     ${told}, when it sends one`, `  else     ${backoff}`);
    else if (rule.firstDelayMs) {
      const [min, max] = rule.firstDelayMs;
      lines.push(
        `  first    ${min === max ? s(min) : `uniform ${s(min)}–${s(max)}`} (at an outage's first retry; past it, a floor under the back-off)`,
        `  then     ${backoff}`,
      );
    } else lines.push(`  wait     ${backoff}`);
    if (rule.minDelayMs > 0)
      lines.push(
        `  floor    at least ${s(rule.minDelayMs)}${withRetryAfter === false ? '' : ' (raised by a Retry-After)'}`,
      );
    if (rule.action === 'refresh')
      lines.push('  refresh  the client calls its refresh hook first; without one (resock connect has none) it stops');
    if (rule.refreshAfter !== undefined)
      lines.push(
        `  refresh  also its hook first after the ${ordinals(rule.refreshAfter)} … match in a row (resock connect has none: a plain retry)`,
      );
    if (rule.maxConsecutive !== undefined)
      lines.push(
        `  limit    at most ${rule.maxConsecutive} in a row: the ${ordinal(rule.maxConsecutive + 1)} stops the client`,
      );
    const cap = policy.maxAttempts === undefined ? 'unlimited' : String(policy.maxAttempts);
    lines.push(`  counts   ${rule.counts ? `toward maxAttempts (${cap})` : 'not toward maxAttempts'}`);
    if (policy.maxElapsedMs !== undefined)
      lines.push(`  budget   no attempt starts later than ${s(policy.maxElapsedMs)} into the outage (maxElapsedMs)`);
  }
  const why = rule.description ?? ruleNote(rule.id);
  if (why) lines.push(`  why      ${why}`);
  return lines;
}

/** `2` → `2nd`. */
const ordinal = (k: number) =>
  `${k}${k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th')}`;

/** `2` → `2nd, 4th, 8th`: the turns of refreshAfter. */
const ordinals = (n: number): string => [n, 2 * n, 4 * n].map(ordinal).join(', ');
