// Checks the built packages the way users load them: `import` (ESM) and `require` (CJS) must
// expose the same names, core's promised public names must be there, and @resock/node and
// @resock/browser must re-export all of core. Run after `pnpm build`.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// Public names other code relies on; removing one is a breaking change.
const promised = {
  '@resock/core': [
    'normalizeClose',
    'closeRecordSchema',
    'CloseCode',
    'isSendableCloseCode',
    'definePolicy',
    'decide',
    'presets',
    'exponential',
    'constant',
    'linear',
    'parseRetryAfter',
    'ResockError',
    'InvalidPolicyError',
    'InvalidCloseCodeError',
    'CloseReasonTooLongError',
    'createClient',
    'ReconnectingWebSocket',
    'InvalidOptionsError',
    'ClientClosedError',
  ],
  '@resock/core/testing': ['seededRandom', 'createFakeTransport', 'createVirtualClock'],
  '@resock/node': ['createClient', 'ReconnectingWebSocket', 'nodeTransport', 'nativeTransport'],
  '@resock/browser': ['createClient', 'ReconnectingWebSocket', 'browserTransport', 'pageEnvironment'],
};

const failures = [];
const namesOf = (mod) =>
  Object.keys(mod)
    .filter((k) => k !== 'default' && k !== '__esModule')
    .sort();
const load = async (id) => {
  const esm = namesOf(await import(id));
  const cjs = namesOf(require(id));
  return { esm, cjs };
};

const surfaces = {};
for (const id of ['@resock/core', '@resock/core/testing', '@resock/node', '@resock/browser']) {
  const { esm, cjs } = await load(id);
  surfaces[id] = esm;
  if (esm.join() !== cjs.join())
    failures.push(`${id}: import and require differ (${esm.length} vs ${cjs.length} names)`);
  for (const name of promised[id] ?? []) {
    if (!esm.includes(name)) failures.push(`${id}: missing promised export ${name}`);
  }
  console.log(`${id}: ${esm.length} names via import and require`);
}
for (const adapter of ['@resock/node', '@resock/browser']) {
  const missing = surfaces['@resock/core'].filter((name) => !surfaces[adapter].includes(name));
  if (missing.length > 0) failures.push(`${adapter} does not re-export ${missing.join(', ')}`);
}
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('exports: ok');
