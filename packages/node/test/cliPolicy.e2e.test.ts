// `resock policy check` and `resock policy explain`, run as a user runs them.
import { describe, expect, it } from 'vitest';
import { file, resock } from './fixtures/cliRunner';

describe('resock policy', () => {
  it('check: says a valid file is valid (exit 0)', async () => {
    const { code, stdout } = await resock([
      'policy',
      'check',
      file('ok', { rules: [{ codes: [4000], action: 'stop' }] }),
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid — 1 rule of yours, then the default preset's 21 rows/);
  });

  it('check: lists every problem with its path (exit 1)', async () => {
    const { code, stdout } = await resock([
      'policy',
      'check',
      file('bad', { rules: [{ codes: [70000], action: 'nope' }], maxAttempt: 1 }),
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain('rules[0].codes[0]: expected a close code 0–65535 or a range "a-b"');
    expect(stdout).toContain('rules[0].action: expected one of "stop", "retry", "refresh", "throttle"');
    expect(stdout).toContain('maxAttempt: unknown key');
  });

  it('check: warns of a rule of yours that never matches (valid still: exit 0)', async () => {
    const rules = [
      { name: 'all', codes: ['4000-4999'], action: 'retry' },
      { name: 'kick', codes: [4004], action: 'stop' },
    ];
    const { code, stdout } = await resock(['policy', 'check', file('shadowed', { rules })]);
    expect(code).toBe(0);
    expect(stdout).toContain('warning: kick: never matches: all, before it, takes every close it would');
  });

  it("check: a typo in one rule does not hide the others' meaning (a reversed range, an option that does nothing)", async () => {
    const rules = [
      { code: 4001, action: 'stop' },
      { codes: ['4999-4000'], action: 'retry' },
      { codes: [4002], action: 'stop', maxConsecutive: 3 },
    ];
    const { code, stdout } = await resock(['policy', 'check', file('typo', { rules })]);
    expect(code).toBe(1);
    expect(stdout).toContain('3 problems');
    expect(stdout).toContain('rules[0].code: unknown key');
    expect(stdout).toContain('rules[1].codes[0]: expected a range "a-b" with 0 ≤ a ≤ b ≤ 65535');
    expect(stdout).toContain('rules[2].maxConsecutive: has no effect on a "stop" rule');
  });

  it('takes the policy as JSON in the argument, named "the policy given" (check, explain)', async () => {
    const inline = JSON.stringify({ rules: [{ name: 'kicked', codes: [4000], action: 'stop' }] });
    const check = await resock(['policy', 'check', inline]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^the policy given: valid — 1 rule of yours/);
    const bad = await resock(['policy', 'check', ' {"rules":[{"codes":[4000],"acton":"stop"}]}']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('the policy given: 2 problems');
    const broken = await resock(['policy', 'check', '{"rules":']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('the policy given is not JSON');
    const explain = await resock(['policy', 'explain', inline, '4000']);
    expect(explain.stdout).toContain('kicked');
  });

  it("a preset's name misspelt is no missing file only: it names the preset meant", async () => {
    const { code, stderr } = await resock(['policy', 'explain', 'graphqlws', '4400']);
    expect(code).toBe(2);
    expect(stderr).toContain('did you mean the preset graphqlWs?');
    const other = await resock(['policy', 'check', 'no-such-policy.json']);
    expect(other.stderr).toContain('nor a preset (default, persistent, httpMirror, graphqlWs, centrifugo, none)');
  });

  it('explain: says what happens after a close code, and why', async () => {
    const { code, stdout } = await resock(['policy', 'explain', 'default', '1012']);
    expect(code).toBe(0);
    expect(stdout).toContain('close code 1012 Service Restart');
    expect(stdout).toContain('default:service-restart');
    expect(stdout).toMatch(/first\s+uniform 5\.0 s–30\.0 s/);
  });

  it('explain: a retry hint in the close reason is mentioned where it counts (not after a stop)', async () => {
    const retried = await resock(['policy', 'explain', 'default', '1013']);
    expect(retried.stdout).toMatch(/hint\s+a reason like \{"retryAfter":120\}/);
    const stopped = await resock(['policy', 'explain', 'default', '1000']);
    expect(stopped.stdout).not.toContain('retryAfter');
    const off = await resock(['policy', 'explain', file('nohints', { reasonHints: false }), '1013']);
    expect(off.stdout).not.toContain('retryAfter');
    const rules = { rules: [{ name: 'told', codes: [4000], retryAfter: true, action: 'throttle' }] };
    const split = await resock(['policy', 'explain', file('told', rules), '4000']);
    expect(split.stdout).toMatch(
      /with a retry hint in its reason[\s\S]*told[\s\S]*without one:[\s\S]*default:transient/,
    );
  });

  it('explain: an HTTP status, with and without Retry-After', async () => {
    const { stdout } = await resock(['policy', 'explain', 'default', '429']);
    expect(stdout).toContain('HTTP 429 answering the handshake, with Retry-After:');
    expect(stdout).toContain('HTTP 429 answering the handshake, without Retry-After:');
    // Its floor, said without a Retry-After, is not "raised by" one.
    expect(stdout).toMatch(/without Retry-After:[\s\S]*floor\s+at least 30\.0 s\n/);
    // One rule for both (502): a retry's wait is only raised by a Retry-After.
    const both = await resock(['policy', 'explain', 'default', '502']);
    expect(both.stdout).toContain('hint     a Retry-After makes the wait at least what it says');
  });

  it('explain: the user’s rule comes first', async () => {
    const { stdout } = await resock([
      'policy',
      'explain',
      file('kick', { rules: [{ codes: [4000], action: 'stop' }] }),
      '4000',
    ]);
    expect(stdout).toMatch(/your rule rules\[0\][\s\S]*action\s+stop/);
  });

  it('explain: a 1006 by its causes, none of them the server (no close frame)', async () => {
    const policy = file('drop', { rules: [{ codes: [1006], initiator: ['transport'], action: 'stop' }] });
    const { stdout } = await resock(['policy', 'explain', policy, '1006']);
    expect(stdout).not.toContain('from the server');
    expect(stdout).toMatch(/the link dropped \(initiator transport\):\n\s+rule\s+your rule rules\[0\]/);
    expect(stdout).toMatch(/the heartbeat found the peer dead \(heartbeat\):\n\s+rule\s+preset row default:heartbeat/);
  });

  it('explain: a 1015 is a TLS handshake that failed, never the server’s (no close frame, no reason hint)', async () => {
    const { stdout } = await resock(['policy', 'explain', 'default', '1015']);
    expect(stdout).toMatch(/a TLS handshake that failed:\n\s+rule\s+preset row default:tls-handshake/);
    expect(stdout).not.toContain('from the server');
    expect(stdout).not.toContain('retryAfter');
  });

  // The Node README's rule to retry a message over maxPayload: a 1009 the client sent itself.
  it('explain: a 1009 the client sent itself is told apart where a rule does (maxPayload)', async () => {
    const rules = { rules: [{ name: 'big', codes: [1009], initiator: ['transport'], action: 'retry' }] };
    const { stdout } = await resock(['policy', 'explain', file('big', rules), '1009']);
    expect(stdout).toMatch(/1009 Message Too Big from the server:\n\s+rule\s+preset row default:fatal-protocol/);
    expect(stdout).toMatch(
      /1009 Message Too Big the client sent itself [^\n]*:\n\s+rule\s+your rule big[\s\S]*action\s+retry/,
    );
    const plain = await resock(['policy', 'explain', 'default', '1009']);
    expect(plain.stdout).not.toContain('sent itself'); // one rule for both: said once
  });

  it('explain: a rule on transport errors is told apart, where it can match (never a close frame)', async () => {
    const rules = { rules: [{ name: 'dns', errors: ['ENOTFOUND', 'EAI_AGAIN'], action: 'throttle' }] };
    const policy = file('dns', rules);
    const lost = await resock(['policy', 'explain', policy, '1006']);
    // Without those errors, the link dropped: the preset's row, as before.
    expect(lost.stdout).toMatch(
      /the link dropped \(initiator transport\)[^\n]*:\n\s+rule\s+preset row default:transient/,
    );
    expect(lost.stdout).toMatch(
      /close code 1006 [^\n]*, the transport's error being ENOTFOUND or EAI_AGAIN:\n\s+rule\s+your rule dns[\s\S]*action\s+throttle/,
    );
    const frame = await resock(['policy', 'explain', policy, '4000']);
    expect(frame.stdout).not.toContain('ENOTFOUND');
  });

  it('explain: an HTTP status is paired only with the errors that can come with an answer', async () => {
    const rules = {
      rules: [
        { name: 'refused-or-answered', errors: ['ECONNREFUSED', 'WS_UNEXPECTED_RESPONSE'], action: 'stop' },
        { name: 'tls', errors: ['CERT_HAS_EXPIRED'], action: 'stop' },
      ],
    };
    const policy = file('answered', rules);
    const status = await resock(['policy', 'explain', policy, '503']);
    // Before: "HTTP 503, the transport's error being ENOTFOUND or …" for errors of a connection
    // that never got an HTTP answer (refused, a host DNS does not know, a certificate refused).
    expect(status.stdout).toContain("HTTP 503, the transport's error being WS_UNEXPECTED_RESPONSE:");
    expect(status.stdout).not.toContain('ECONNREFUSED');
    expect(status.stdout).not.toContain('CERT_HAS_EXPIRED');
    // And a bare 1006 never has the error of a handshake answered with a status.
    const lost = await resock(['policy', 'explain', policy, '1006']);
    expect(lost.stdout).toContain("the transport's error being ECONNREFUSED:");
    expect(lost.stdout).not.toContain('WS_UNEXPECTED_RESPONSE');
    // 1015, a TLS handshake that failed, comes with a TLS error only.
    const tls = await resock(['policy', 'explain', policy, '1015']);
    expect(tls.stdout).toContain("the transport's error being CERT_HAS_EXPIRED:");
    expect(tls.stdout).not.toContain('ECONNREFUSED');
  });

  it("explain: a throttle's wait is the server's word when it gives one, not a floor under its back-off", async () => {
    const rules = {
      rules: [
        {
          name: 'rate',
          codes: [4008],
          action: 'throttle',
          maxConsecutive: 3,
          backoff: { type: 'constant', delayMs: 60000 },
        },
        { name: 'busy', status: [503], action: 'throttle', backoff: { type: 'constant', delayMs: 60000 } },
      ],
      maxElapsedMs: 600000,
    };
    const policy = file('throttle', rules);
    const code = await resock(['policy', 'explain', policy, '4008']);
    // Before: only the back-off, and a hint that "raises the wait to 120 s" (a 5 s hint gives 5 s).
    expect(code.stdout).toMatch(
      /wait\s+the server’s Retry-After [^\n]*, when it sends one\n\s+else\s+constant 60\.0 s/,
    );
    expect(code.stdout).toContain('is the Retry-After the wait above comes from');
    expect(code.stdout).not.toContain('raises the wait');
    expect(code.stdout).toContain('at most 3 in a row: the 4th stops the client');
    expect(code.stdout).toContain('no attempt starts later than 600.0 s into the outage (maxElapsedMs)');
    const status = await resock(['policy', 'explain', policy, '503']);
    expect(status.stdout).toMatch(
      /wait\s+the server’s Retry-After [^\n]*, when it sends one\n\s+else\s+constant 60\.0 s/,
    );
    // A retry's wait is only raised by it.
    const retry = await resock(['policy', 'explain', 'default', '1012']);
    expect(retry.stdout).toContain('makes the wait at least 120 s');
  });

  it('rejects what is neither a code nor a status (exit 2)', async () => {
    const { code, stderr } = await resock(['policy', 'explain', 'default', 'soon']);
    expect(code).toBe(2);
    expect(stderr).toContain('neither a close code');
  });
});
