// The terminal timeline: what it says of a decision, and its countdown while the client waits.
import { decide, normalizeClose } from '@resock/node';
import { describe, expect, it } from 'vitest';
import { demoPolicy } from '../src/demoPolicy';
import { Timeline } from '../src/terminal/timeline';

function captured(tty: boolean) {
  const writes: string[] = [];
  const timeline = new Timeline({ tty, color: false, write: (text) => void writes.push(text) });
  return { timeline, writes };
}

const decisionAfter = (code: number, reason: string) =>
  decide(demoPolicy, normalizeClose({ code, reason, wasClean: true }, { phase: 'open', initiator: 'server' }), {
    attempt: 1,
    refreshAvailable: true,
  });

describe('the timeline', () => {
  it('names a delay the server asked for in its close reason beside the rule’s note', () => {
    // A close reason a browser passes on: docs/close-codes.md, "come back in its close reason".
    const decision = decisionAfter(1001, '{"retryAfter":5}');
    expect(decision.delayMs).toBeGreaterThanOrEqual(5000); // what the client really waits
    const { timeline, writes } = captured(false);
    timeline.decision(decision);
    // The going-away row's note alone says "retry within 0–1 s".
    expect(writes.join('')).toMatch(/↳ .*The server asks for 5 s or more\./);
  });

  it('keeps the countdown drawn below a line printed while the client waits', () => {
    const { timeline, writes } = captured(true);
    timeline.decision(decisionAfter(1013, 'overloaded')); // the demo policy waits ≥ 3 s
    timeline.note('send', '"sent while offline 1" → queued'); // as chapter 3 prints during its wait
    const after = writes.slice(writes.findIndex((w) => w.includes('sent while offline 1')) + 1).join('');
    timeline.stopCountdown();
    expect(after).toContain('next attempt in');
  });

  it('ends the countdown when the state changes (the wait is over)', () => {
    const { timeline, writes } = captured(true);
    timeline.decision(decisionAfter(1013, 'overloaded'));
    timeline.state('waiting', 'connecting');
    const after = writes.slice(writes.findIndex((w) => w.includes('waiting → connecting')) + 1).join('');
    expect(after).not.toContain('next attempt in');
  });
});
