import { closeInitiators, closePhases } from '../close/closeVocabulary';
import { isRecord } from '../inputChecks';

// The checks of the public decide(), matchRule() and computeBackoff(): the client's own calls
// pass what it built, and skip them (no bytes in its bundle). Called by hand (a policy's unit
// test, a tool), a wrong argument was a TypeError from deep inside ("reading 'code'").

/** What is wrong with `record` for a decision, by the fields one reads; undefined when nothing. */
function recordProblem(record: unknown): string | undefined {
  if (!isRecord(record)) return `expected a close record, got ${record === null ? 'null' : typeof record}`;
  const { code, reason, initiator, phase, handshake, error } = record;
  if (!Number.isInteger(code)) return `record.code: expected an integer, got ${String(code)}`;
  if (typeof reason !== 'string') return `record.reason: expected a string, got ${typeof reason}`;
  if (!(closeInitiators as readonly unknown[]).includes(initiator))
    return `record.initiator: expected one of ${closeInitiators.join(', ')}, got ${String(initiator)}`;
  if (!(closePhases as readonly unknown[]).includes(phase))
    return `record.phase: expected one of ${closePhases.join(', ')}, got ${String(phase)}`;
  if (handshake !== undefined && !isRecord(handshake)) return 'record.handshake: expected an object or nothing';
  if (error !== undefined && !isRecord(error)) return 'record.error: expected an object or nothing';
  return undefined;
}

/** Throws a TypeError naming the call and the field when `record` is no close record. */
export function checkRecord(call: string, record: unknown): void {
  const problem = recordProblem(record);
  if (problem) throw new TypeError(`${call}: ${problem} (a close record: a close event's, or normalizeClose's)`);
}

/** Throws a TypeError naming the call when `context` is not an object. */
export function checkContext(call: string, context: unknown, example: string): void {
  if (!isRecord(context))
    throw new TypeError(`${call}: expected a context object (${example}), got ${String(context)}`);
}

/**
 * Throws a TypeError naming the call when `policy` is not a compiled one (its rules a list):
 * matchRule() reads rules as definePolicy() gives them (a tool may hand it a copy it changed).
 */
export function checkCompiled(call: string, policy: unknown): void {
  if (!isRecord(policy) || !Array.isArray(policy.rules))
    throw new TypeError(
      `${call}: expected a policy from definePolicy(), got ${policy === null ? 'null' : typeof policy}`,
    );
}
