import type { CloseRecord, Decision } from '@resock/node'; // types only: the page's bundle stays browser-only

// How the demo shows a close record, in the terminal and in the page alike, so the two stories
// read the same and the page's test checks what the terminal prints too.

/** The handshake's HTTP status and Retry-After, when the platform reported them ('' in a browser). */
export function handshakeText(record: CloseRecord): string {
  const { handshake } = record;
  const status = handshake?.status ? `  HTTP ${handshake.status}` : '';
  const retryAfter = handshake?.retryAfterMs ? `  Retry-After ${handshake.retryAfterMs / 1000} s` : '';
  return `${status}${retryAfter}`;
}

/** Everything else the record says. */
export function closeDetails(record: CloseRecord): string {
  const { reason, wasClean, phase, initiator, synthetic } = record;
  return `reason ${JSON.stringify(reason)}  wasClean=${wasClean}  phase=${phase}  initiator=${initiator}${synthetic ? '  synthetic' : ''}`;
}

/**
 * Why the decision waits as it does: the rule's note (`ruleNote`, passed in by each side from
 * its own package), or the decision's explanation. A delay the server asked for (Retry-After, or
 * a hint in its close reason) is named too: a preset row's note says nothing of it.
 */
export function decisionWhy(decision: Decision, note: string | undefined): string {
  if (note === undefined) return decision.explanation;
  const asked =
    decision.retryAfterMs === undefined ? '' : ` The server asks for ${decision.retryAfterMs / 1000} s or more.`;
  return `${note}${asked}`;
}
