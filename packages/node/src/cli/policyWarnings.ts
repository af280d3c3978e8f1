// What `resock policy check` warns of in a valid policy: rules of yours that can never match,
// and codes that look like something else. A policy with warnings is still valid (exit 0).
import type { Policy, PolicyRule } from '@resock/core';

type Ranges = NonNullable<PolicyRule['codes']>;

/** Whether `ranges` together hold every integer of [low, high]. */
function rangesCover(ranges: Ranges, low: number, high: number): boolean {
  let next = low;
  for (const [from, to] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (from > next) break;
    if (to >= next) next = to + 1;
  }
  return next > high;
}

/** Whether every value of `inner` is one of `outer`'s (`outer` absent: no condition). */
const within = (outer: readonly unknown[] | undefined, inner: readonly unknown[] | undefined) =>
  outer === undefined || (inner !== undefined && inner.every((value) => outer.includes(value)));

/**
 * Whether `earlier` matches every close `later` does, so `later` is never reached: its codes
 * and statuses hold `later`'s, and each of its conditions is one `later` has as strictly. A
 * `when` is code: what it answers cannot be known here.
 */
function shadows(earlier: PolicyRule, later: PolicyRule): boolean {
  const narrowing =
    within(earlier.initiator, later.initiator) &&
    within(earlier.phase, later.phase) &&
    within(earlier.errors, later.errors) &&
    (earlier.retryAfter === undefined || earlier.retryAfter === later.retryAfter) &&
    earlier.when === undefined;
  if (!narrowing) return false;
  // Neither codes nor statuses: every close.
  if (earlier.codes === undefined && earlier.status === undefined) return true;
  if (later.codes === undefined && later.status === undefined) return false;
  const holds = (outer: PolicyRule['codes'], inner: PolicyRule['codes']) =>
    inner === undefined || (outer !== undefined && inner.every(([low, high]) => rangesCover(outer, low, high)));
  return holds(earlier.codes, later.codes) && holds(earlier.status, later.status);
}

/** A code no close frame carries (RFC 6455 §7.4.1): only a client's own record has it. */
const noFrame = new Set([1005, 1006, 1015]);

/** One line per problem a valid policy may still have, naming the rule. */
export function policyWarnings(policy: Policy): string[] {
  const own = policy.rules.filter((rule) => rule.source === 'user');
  const warnings: string[] = [];
  own.forEach((rule, i) => {
    const earlier = own.slice(0, i).find((e) => shadows(e, rule));
    if (earlier) warnings.push(`${rule.id}: never matches: ${earlier.id}, before it, takes every close it would`);
    if (rule.codes?.some(([low]) => low < 1000))
      warnings.push(
        `${rule.id}: close codes under 1000 are never sent (RFC 6455); a handshake's HTTP status is matched by status`,
      );
    // codes: [1006] beside status: [503] reads as "a 1006 answered 503", but either matches.
    if (rule.status && rule.codes?.some(([low, high]) => low <= 1006 && 1006 <= high))
      warnings.push(
        `${rule.id}: matches every 1006 (a lost link too), not only a handshake answered with its statuses: a rule with codes and status matches either`,
      );
    const onlyServer = rule.initiator !== undefined && rule.initiator.every((who) => who === 'server');
    const frameless = ([low, high]: readonly [number, number]) => {
      for (let code = low; code <= high; code++) if (!noFrame.has(code)) return false;
      return true;
    };
    if (onlyServer && rule.codes?.every(frameless))
      warnings.push(`${rule.id}: never matches: a server's close frame never carries 1005, 1006 or 1015`);
  });
  return warnings;
}
