// What the core decides after a few closes: a real run of the policy engine on the default
// preset (until the live demo of @resock/node exists). Seeded, so every run prints the same.
import { type CloseContext, decide, definePolicy, normalizeClose } from '@resock/core';
import { seededRandom } from '@resock/core/testing';

const policy = definePolicy({
  rules: [
    {
      name: 'app-kicked-user',
      codes: [4000],
      action: 'stop',
      description: '4000: our app kicked this user; do not come back.',
    },
  ],
});
const random = seededRandom(2026);
const start = Date.UTC(2026, 10, 21, 12, 0, 0);

const scenarios: Array<[string, unknown, CloseContext]> = [
  ['server restarts', { code: 1012, reason: 'deploy', wasClean: true }, {}],
  ['network drops', { code: 1006, reason: '', wasClean: false }, {}],
  ['token expired', { code: 3000, reason: 'token expired' }, {}],
  ['server overloaded', { code: 1013, reason: 'overloaded' }, {}],
  ['handshake 429 + Retry-After: 7', { code: 1006 }, { handshake: { status: 429, headers: { 'retry-after': '7' } } }],
  ['handshake 403', { code: 1006 }, { handshake: { status: 403 } }],
  ['app code 4000', { code: 4000, reason: 'kicked' }, {}],
  ['heartbeat lost the peer', { code: 1006 }, { initiator: 'heartbeat' }],
  ['server says goodbye', { code: 1000, reason: 'bye' }, {}],
  ['user closes', { code: 1000 }, { initiator: 'client' }],
];

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`.padStart(8);
console.log('resock: what the default policy decides after each close\n');
console.log(`${'scenario'.padEnd(32)}${'record'.padEnd(38)}${'action'.padEnd(10)}${'delay'.padStart(8)}  rule`);
for (const [title, raw, context] of scenarios) {
  const record = normalizeClose(raw, { ...context, now: start });
  const decision = decide(policy, record, {
    attempt: 1,
    refreshAvailable: true,
    random,
    now: start,
  });
  const status = record.handshake?.status ? ` HTTP ${record.handshake.status}` : '';
  const what = `${record.code}${status} ${record.phase}/${record.initiator}`;
  const delay = decision.action === 'stop' ? '—'.padStart(8) : seconds(decision.delayMs);
  console.log(`${title.padEnd(32)}${what.padEnd(38)}${decision.action.padEnd(10)}${delay}  ${decision.rule}`);
  console.log(`${''.padEnd(32)}↳ ${decision.explanation}`);
}
