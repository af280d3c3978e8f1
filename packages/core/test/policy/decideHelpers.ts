import {
  type CloseContext,
  type DecideContext,
  decide,
  definePolicy,
  normalizeClose,
  type PolicyInput,
} from '@resock/core';
import { seededRandom } from '@resock/core/testing';

export const now = Date.UTC(2026, 10, 21, 12, 0, 0);

/** A server close with `code` (or a rejected handshake, via the context). */
export function record(code: number, context: CloseContext = {}) {
  return normalizeClose({ code, reason: '' }, { now, ...context });
}

export function handshake(status: number, headers: Record<string, string> = {}) {
  return record(1006, { handshake: { status, headers } });
}

/** Decides with a seeded random, attempt 1 and a refresh hook unless told otherwise. */
export function decideWith(
  closeRecord: ReturnType<typeof record>,
  context: Partial<DecideContext> = {},
  policy: PolicyInput = {},
) {
  return decide(definePolicy(policy), closeRecord, {
    attempt: 1,
    refreshAvailable: true,
    random: seededRandom(1),
    now,
    ...context,
  });
}

/** The delays of many decisions with different seeds, to check a range. */
export function delays(
  closeRecord: ReturnType<typeof record>,
  context: Partial<DecideContext> = {},
  policy: PolicyInput = {},
  n = 300,
): number[] {
  return Array.from(
    { length: n },
    (_, seed) =>
      decide(definePolicy(policy), closeRecord, {
        attempt: 1,
        refreshAvailable: true,
        now,
        ...context,
        random: seededRandom(seed),
      }).delayMs,
  );
}
