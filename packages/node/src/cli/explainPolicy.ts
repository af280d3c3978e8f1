import {
  type CloseRecord,
  describeCloseCode,
  isLocalOnlyCloseCode,
  isSendableCloseCode,
  isWireCloseCode,
  matchRule,
  normalizeClose,
  type Policy,
  type PolicyRule,
  ruleNote,
} from '@resock/core';
import { tlsFailure } from '../failureCodes';
import { describeRule } from './describeRule';

/** What `resock policy explain` asks about: a close code, or the HTTP status of a handshake. */
export type Subject = { kind: 'code'; code: number } | { kind: 'status'; status: number };

/**
 * `"1012"` → close code; `"429"` → HTTP status (close codes under 1000 are invalid, statuses are
 * 100–599); `"code:429"` / `"status:503"` say it explicitly. Undefined when it is neither.
 */
export function parseSubject(text: string): Subject | undefined {
  const match = /^(?:(code|status):)?(\d{1,5})$/.exec(text.trim());
  if (!match) return undefined;
  const value = Number(match[2]);
  const kind = match[1] ?? (value >= 100 && value <= 599 ? 'status' : 'code');
  if (kind === 'status') return value >= 100 && value <= 599 ? { kind, status: value } : undefined;
  return value <= 65535 ? { kind: 'code', code: value } : undefined;
}

/**
 * Rules ahead of `rule` that `record` (a server's close) reaches but whose `when` (code, not
 * data) decides: what they say depends on the close (its reason, the app's state), so they are
 * named rather than explained (centrifugo's legacy `{"reconnect":false}` reason). Core's own
 * matcher says which reach it: each is asked alone, without its `when`.
 */
function askedFirst(policy: Policy, record: CloseRecord, rule: PolicyRule): string[] {
  const before = policy.rules.slice(0, Math.max(0, policy.rules.indexOf(rule)));
  return before
    .filter(
      (r) => r.when !== undefined && matchRule({ ...policy, rules: [{ ...r, when: undefined }] }, record).id === r.id,
    )
    .map(
      (r) =>
        `  unless   ${r.id} matches first (${r.action}, by its when): ${r.description ?? ruleNote(r.id) ?? 'see the rule'}`,
    );
}

/**
 * Who ends a connection without a close frame, and in which phase, as the client's records say
 * it; a failed handshake with the transport's error code (Node's ws: refused, DNS) or without
 * one (all a browser or undici tells).
 */
const noFrameCauses = [
  ['connecting', 'transport', 'a handshake that failed with nothing known (a browser, undici)'],
  ['connecting', 'transport', 'a handshake that failed with a system error (ws: ECONNREFUSED, …)', 'ECONNREFUSED'],
  ['open', 'transport', 'the link dropped (initiator transport)'],
  ['connecting', 'timeout', 'the connect deadline passed (timeout)'],
  ['open', 'timeout', 'a close deadline passed (timeout)'],
  ['open', 'heartbeat', 'the heartbeat found the peer dead (heartbeat)'],
] as const;

/** Says, line by line, what `policy` does after `subject` and why. */
export function explainPolicy(policy: Policy, subject: Subject): string[] {
  return [...explainSubject(policy, subject), ...explainErrors(policy, subject)];
}

/**
 * Whether a transport error can come with `subject`. A system error (ECONNREFUSED, ENOTFOUND,
 * EAI_AGAIN, …) or a failed TLS handshake comes before any HTTP answer, so never with a status;
 * the errors resock's Node transport gives a handshake it got an answer to (a status other than
 * 101, a 101 it refused) come only with one, so never with a bare close code; 1015 comes only
 * with a TLS failure. RESOCK_BACKLOG_FULL comes only with a 1006 on an open connection.
 */
function canComeWith(subject: Subject, code: string, phase: 'connecting' | 'open'): boolean {
  // resock's own: an open connection let go for its async schema's backlog, a 1006.
  if (code === 'RESOCK_BACKLOG_FULL') return subject.kind === 'code' && subject.code === 1006 && phase === 'open';
  if (subject.kind === 'status') {
    // A 101 refused is RESOCK_INVALID_UPGRADE; any other answer, WS_UNEXPECTED_RESPONSE.
    if (code === 'RESOCK_INVALID_UPGRADE' || code === 'WS_UNEXPECTED_RESPONSE')
      return (code === 'RESOCK_INVALID_UPGRADE') === (subject.status === 101);
    return !/^E[A-Z0-9_]+$/.test(code) && !tlsFailure.test(code);
  }
  // 1015 is the Node transport's name for a TLS handshake that failed, by its error's code.
  if (subject.code === 1015) return tlsFailure.test(code);
  return code !== 'WS_UNEXPECTED_RESPONSE' && code !== 'RESOCK_INVALID_UPGRADE';
}

/**
 * The rules that apply to `subject` only with some transport errors (`errors`): e.g. a 1006
 * that is a host DNS does not know (`ENOTFOUND`).
 */
function explainErrors(policy: Policy, subject: Subject): string[] {
  // 1000 and 3000–4999 come only in a close frame, which carries no transport error.
  if (subject.kind === 'code' && isSendableCloseCode(subject.code)) return [];
  const what = subject.kind === 'code' ? `close code ${describeCloseCode(subject.code)}` : `HTTP ${subject.status}`;
  const recordWith = (code: string, phase: 'connecting' | 'open') => {
    const error = Object.assign(new Error(code), { code });
    return subject.kind === 'code'
      ? normalizeClose({ code: subject.code, reason: '' }, { phase, initiator: 'transport', error })
      : normalizeClose({ code: 1006, reason: '' }, { handshake: { status: subject.status }, error });
  };
  // A close code's transport error may come before the open or on an open connection (a reset).
  const phases = subject.kind === 'code' ? (['connecting', 'open'] as const) : (['connecting'] as const);
  return policy.rules.flatMap((rule) => {
    // Each code the rule is the one for (an earlier rule may take some of them), and when.
    const codes = new Set<string>();
    const when = new Set<string>();
    for (const code of rule.errors ?? [])
      for (const phase of phases)
        if (canComeWith(subject, code, phase) && matchRule(policy, recordWith(code, phase)) === rule) {
          codes.add(code);
          when.add(phase);
        }
    if (codes.size === 0) return [];
    const only = when.size === 1 && phases.length > 1 ? ` (phase ${[...when][0]})` : '';
    return [
      `${what}, the transport's error being ${[...codes].join(' or ')}${only}:`,
      ...describeRule(policy, rule, false),
    ];
  });
}

function explainSubject(policy: Policy, subject: Subject): string[] {
  if (subject.kind === 'code') {
    const code = describeCloseCode(subject.code);
    // Never in a close frame: a TLS handshake that failed (Node records it; browsers never do).
    if (subject.code === 1015) {
      const failed = normalizeClose({ code: 1015, reason: '' }, { phase: 'connecting', initiator: 'transport' });
      return [
        `close code ${code}, a TLS handshake that failed:`,
        ...describeRule(policy, matchRule(policy, failed), false),
      ];
    }
    const record = normalizeClose({ code: subject.code, reason: '' });
    if (record.initiator === 'server') {
      const rule = matchRule(policy, record);
      // A close frame may carry the server's word on when to come back (see docs/close-codes.md),
      // and a rule's `retryAfter` may tell the two apart.
      if (policy.reasonHints) {
        const told = matchRule(policy, normalizeClose({ code: subject.code, reason: '{"retryAfter":120}' }));
        if (told !== rule) {
          return [
            `close code ${code} from the server, with a retry hint in its reason ({"retryAfter":120}):`,
            ...describeRule(policy, told, true),
            `close code ${code} from the server, without one:`,
            ...describeRule(policy, rule, false),
            ...ownClose(policy, subject.code, rule),
            ...beforeAcceptance(policy, subject.code, rule),
          ];
        }
      }
      // A code no close frame may carry (1004, 1016–2999, …): ws and browsers fail the connection
      // instead, so this row is for transports that pass it on; what ws does is a 1006's. 1005
      // is a close frame without a status, and so without a reason to hint in.
      const onWire = isWireCloseCode(subject.code);
      const hinted = onWire && policy.reasonHints && rule.action !== 'stop';
      const hint =
        !onWire && !isLocalOnlyCloseCode(subject.code)
          ? [
              '  on ws    a close frame with it fails the connection instead: 1006, error WS_ERR_INVALID_CLOSE_CODE (see code:1006)',
            ]
          : hinted
            ? [
                rule.action === 'throttle'
                  ? '  hint     a reason like {"retryAfter":120} is the Retry-After the wait above comes from'
                  : '  hint     a reason like {"retryAfter":120} makes the wait at least 120 s (clamped 1 s – 10 min)',
              ]
            : [];
      return [
        `close code ${code} from the server:`,
        ...describeRule(policy, rule, hinted ? 'either' : false),
        ...hint,
        ...askedFirst(policy, record, rule),
        ...ownClose(policy, subject.code, rule),
        ...beforeAcceptance(policy, subject.code, rule),
      ];
    }
    // No close frame (1006): never the server's; the rules may tell the causes apart.
    const byRule = new Map<PolicyRule, string[]>();
    for (const [phase, initiator, cause, errorCode] of noFrameCauses) {
      const error = errorCode === undefined ? undefined : Object.assign(new Error(errorCode), { code: errorCode });
      const rule = matchRule(
        policy,
        normalizeClose({ code: subject.code, reason: '' }, { phase, initiator, ...(error ? { error } : {}) }),
      );
      byRule.set(rule, [...(byRule.get(rule) ?? []), cause]);
    }
    return [...byRule].flatMap(([rule, causes]) => [
      `close code ${code}, ${causes.join(' or ')}:`,
      ...describeRule(policy, rule, false),
    ]);
  }
  const rejected = (retryAfter: boolean) =>
    normalizeClose(
      { code: 1006, reason: '' },
      { handshake: { status: subject.status, ...(retryAfter ? { headers: { 'retry-after': '30' } } : {}) } },
    );
  const without = matchRule(policy, rejected(false));
  const withHint = matchRule(policy, rejected(true));
  if (without === withHint) {
    const floor =
      without.action === 'retry' || without.action === 'refresh'
        ? ['  hint     a Retry-After makes the wait at least what it says (clamped 1 s – 10 min)']
        : [];
    return [`HTTP ${subject.status} answering the handshake:`, ...describeRule(policy, without, 'either'), ...floor];
  }
  return [
    `HTTP ${subject.status} answering the handshake, with Retry-After:`,
    ...describeRule(policy, withHint, true),
    `HTTP ${subject.status} answering the handshake, without Retry-After:`,
    ...describeRule(policy, without, false),
  ];
}

/**
 * A server's close before it accepted the client's `greeting` (phase connecting), where a rule
 * narrowed by phase tells it from the same close on an open connection.
 */
function beforeAcceptance(policy: Policy, code: number, openRule: PolicyRule): string[] {
  const rule = matchRule(policy, normalizeClose({ code, reason: '' }, { phase: 'connecting', opened: true }));
  if (rule === openRule) return [];
  return [
    `close code ${describeCloseCode(code)} from the server before it accepted the greeting (phase connecting):`,
    ...describeRule(policy, rule, false),
  ];
}

/**
 * A 1009 the client sent itself (Node: a message over its maxPayload, initiator transport),
 * where a rule tells it from the server's — as the Node README's rule to retry it does.
 */
function ownClose(policy: Policy, code: number, serverRule: PolicyRule): string[] {
  if (code !== 1009) return [];
  const own = matchRule(policy, normalizeClose({ code, reason: '' }, { phase: 'open', initiator: 'transport' }));
  if (own === serverRule) return [];
  return [
    `close code ${describeCloseCode(code)} the client sent itself (a message over its maxPayload):`,
    ...describeRule(policy, own, false),
  ];
}
