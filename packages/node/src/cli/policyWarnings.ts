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
  outer === undefined || (inner?.every((value) => outer.includes(value)) ?? false);

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

/** One line per problem a valid policy may still have, naming the rule. */
export function policyWarnings(policy: Policy): string[] {
  const own = policy.rules.filter((rule) => rule.source === 'user');
  const warnings: string[] = [];
  own.forEach((rule, i) => {
    const earlier = own.slice(0, i).find((e) => shadows(e, rule));
    if (earlier) warnings.push(`${rule.id}: never matches: ${earlier.id}, before it, takes every close it would`);
    // Wholly below 1000: a catch-all such as "0-65535" is fine.
    if (rule.codes?.some(([, high]) => high < 1000))
      warnings.push(
        `${rule.id}: close codes under 1000 are never sent (RFC 6455); a handshake's HTTP status is matched by status`,
      );
    // codes: [1006] beside status: [503] reads as "a 1006 answered 503", but either matches.
    if (rule.status && rule.codes?.some(([low, high]) => low <= 1006 && 1006 <= high))
      warnings.push(
        `${rule.id}: matches every 1006 (a lost link too), not only a handshake answered with its statuses: a rule with codes and status matches either`,
      );
    // 1006 is a connection lost without a close frame: never the server's (its initiator is the
    // transport). Not 1005, which a server's close frame without a status is, nor 1015, which a
    // browser may record without saying who.
    const onlyServer = rule.initiator?.every((who) => who === 'server') ?? false;
    if (onlyServer && rule.codes?.every(([low, high]) => low === 1006 && high === 1006))
      warnings.push(
        `${rule.id}: never matches: a server's close is never a 1006 (no close frame: initiator transport)`,
      );
  });
  return warnings;
}
