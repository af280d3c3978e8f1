// What `resock policy explain` pairs: a rule on transport errors is shown for a subject only
// with the errors that can come with it (the e2e tests in cli.e2e.test.ts cover the rest).
import { definePolicy } from '@resock/node';
import { describe, expect, it } from 'vitest';
import { explainPolicy } from '../src/cli/explainPolicy';

describe('policy explain pairs transport errors with the statuses they can come with', () => {
  it('WS_UNEXPECTED_RESPONSE never with a 101, RESOCK_INVALID_UPGRADE only with one', () => {
    const policy = definePolicy({
      rules: [
        { name: 'bad-upgrade', errors: ['RESOCK_INVALID_UPGRADE'], action: 'stop' },
        { name: 'answered', errors: ['WS_UNEXPECTED_RESPONSE'], action: 'stop' },
      ],
    });
    const after503 = explainPolicy(policy, { kind: 'status', status: 503 }).join('\n');
    const after101 = explainPolicy(policy, { kind: 'status', status: 101 }).join('\n');
    // ws reports a non-101 answer as WS_UNEXPECTED_RESPONSE; RESOCK_INVALID_UPGRADE is a 101 it
    // refused (explainPolicy.ts's own comment). Before both were paired with every status.
    expect(after503).toContain("HTTP 503, the transport's error being WS_UNEXPECTED_RESPONSE:");
    expect(after503).not.toContain('RESOCK_INVALID_UPGRADE');
    expect(after101).toContain("HTTP 101, the transport's error being RESOCK_INVALID_UPGRADE:");
    expect(after101).not.toContain('WS_UNEXPECTED_RESPONSE');
  });

  it('lists only the codes the rule is the one for: an earlier rule may take some of them', () => {
    const policy = definePolicy({
      rules: [
        { name: 'dns-again', errors: ['EAI_AGAIN'], action: 'retry' },
        { name: 'dns', errors: ['ENOTFOUND', 'EAI_AGAIN'], action: 'stop' },
      ],
    });
    const lines = explainPolicy(policy, { kind: 'code', code: 1006 }).join('\n');
    expect(lines).toContain("the transport's error being EAI_AGAIN:\n  rule     your rule dns-again");
    // Before: "ENOTFOUND or EAI_AGAIN" under the second rule, which never sees EAI_AGAIN.
    expect(lines).toContain("the transport's error being ENOTFOUND:\n  rule     your rule dns");
    expect(lines).not.toContain('ENOTFOUND or EAI_AGAIN');
  });
});

describe('policy explain on resock’s own backlog limit', () => {
  it('pairs RESOCK_BACKLOG_FULL with a 1006 on an open connection only', () => {
    const policy = definePolicy({ rules: [{ name: 'flooded', errors: ['RESOCK_BACKLOG_FULL'], action: 'stop' }] });
    // Before: paired with every code a transport error can come with (a 1015, a refused
    // handshake), and said to apply before the open too.
    expect(explainPolicy(policy, { kind: 'code', code: 1006 }).join('\n')).toContain(
      "close code 1006 Abnormal Closure, the transport's error being RESOCK_BACKLOG_FULL (phase open):\n  rule     your rule flooded",
    );
    expect(explainPolicy(policy, { kind: 'code', code: 1015 }).join('\n')).not.toContain('RESOCK_BACKLOG_FULL');
    expect(explainPolicy(policy, { kind: 'status', status: 503 }).join('\n')).not.toContain('RESOCK_BACKLOG_FULL');
  });
});

describe('policy explain on a refresh rule', () => {
  it('says that resock connect, which has no refresh hook, stops there', () => {
    const lines = explainPolicy(definePolicy(), { kind: 'code', code: 3000 }).join('\n');
    expect(lines).toMatch(/without one \(resock connect has none\) it stops/);
  });
});

describe('policy explain on a rule narrowed by phase', () => {
  it('tells a failed handshake from a dropped connection', () => {
    const policy = definePolicy({
      rules: [{ name: 'handshakes', codes: [1006], phase: ['connecting'], action: 'retry', maxConsecutive: 10 }],
    });
    const text = explainPolicy(policy, { kind: 'code', code: 1006 }).join('\n');
    expect(text).toMatch(
      /a handshake that failed with nothing known \(a browser, undici\) or a handshake that failed with a system error \(ws: ECONNREFUSED, …\) or the connect deadline passed \(timeout\):\n\s+rule\s+your rule handshakes/,
    );
    expect(text).toMatch(
      /the link dropped \(initiator transport\) or a close deadline passed \(timeout\):\n\s+rule\s+preset row default:transient/,
    );
  });

  it("the default's handshake-unknown row: what a browser shows, and its refreshes; ws's refused connection is transient", () => {
    const text = explainPolicy(definePolicy(), { kind: 'code', code: 1006 }).join('\n');
    expect(text).toMatch(
      /a handshake that failed with nothing known \(a browser, undici\):\n\s+rule\s+preset row default:handshake-unknown[\s\S]*?refresh\s+also its hook first after the 2nd, 4th, 8th … match in a row/,
    );
    expect(text).toMatch(
      /a handshake that failed with a system error \(ws: ECONNREFUSED, …\)[^:]*:\n\s+rule\s+preset row default:transient/,
    );
  });

  it("a user rule's refreshAfter is said", () => {
    const policy = definePolicy({
      rules: [{ name: 'hs', codes: [1006], phase: ['connecting'], action: 'retry', refreshAfter: 3 }],
    });
    const text = explainPolicy(policy, { kind: 'code', code: 1006 }).join('\n');
    expect(text).toContain('also its hook first after the 3rd, 6th, 12th … match in a row');
  });
});

describe('policy explain on rules narrowed by phase, for server codes and transport errors', () => {
  it("a server's close code narrowed to phase connecting (a refused greeting) is explained", () => {
    // graphql-ws: the server closes 4403 before connection_ack — phase connecting with a greeting.
    const policy = definePolicy({
      rules: [{ name: 'refused-greeting', codes: [4403], phase: ['connecting'], action: 'stop' }],
    });
    const text = explainPolicy(policy, { kind: 'code', code: 4403 }).join('\n');
    expect(text).toContain('your rule refused-greeting');
  });

  it('a transport-error rule narrowed to phase open (a reset of a live connection) is explained', () => {
    const policy = definePolicy({
      rules: [{ name: 'reset-live', errors: ['ECONNRESET'], phase: ['open'], action: 'stop' }],
    });
    const text = explainPolicy(policy, { kind: 'code', code: 1006 }).join('\n');
    expect(text).toContain('your rule reset-live');
  });
});

describe('policy explain names the rules whose when decides first', () => {
  it("centrifugo's legacy JSON reason rows, ahead of the code's row; none for the default", () => {
    const centrifugo = explainPolicy(definePolicy({ preset: 'centrifugo' }), { kind: 'code', code: 4000 }).join('\n');
    expect(centrifugo).toMatch(/rule\s+preset row centrifugo:centrifugo-reconnect/);
    expect(centrifugo).toContain('unless   centrifugo:centrifugo-told-stop matches first (stop, by its when)');
    expect(centrifugo).toContain('unless   centrifugo:centrifugo-told-reconnect matches first (retry, by its when)');
    const plain = explainPolicy(definePolicy(), { kind: 'code', code: 4000 }).join('\n');
    expect(plain).not.toContain('unless');
  });
});

describe('policy explain on codes no close frame carries', () => {
  it('an invalid code says what ws does with it (a 1006 naming the violation); 1005 offers no reason hint', () => {
    const policy = definePolicy({});
    const invalid = explainPolicy(policy, { kind: 'code', code: 1004 }).join('\n');
    // Its row (invalid-code) is for transports that pass such a code on: ws fails the connection.
    expect(invalid).toContain('default:invalid-code');
    expect(invalid).toContain('1006, error WS_ERR_INVALID_CLOSE_CODE');
    expect(invalid).not.toContain('retryAfter'); // no close frame, no reason to hint in
    // A close frame without a status: no reason either.
    expect(explainPolicy(policy, { kind: 'code', code: 1005 }).join('\n')).not.toContain('retryAfter');
    // A code a close frame may carry keeps the hint.
    expect(explainPolicy(policy, { kind: 'code', code: 1012 }).join('\n')).toContain('{"retryAfter":120}');
  });
});
