// Checks the built packages the way users load them: `import` (ESM) and `require` (CJS) must
// expose the same names, core's promised public names must be there, and @resock/node and
// @resock/browser must re-export all of core. Run after `pnpm build`.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

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
  const imported = await import(id);
  const required = require(id);
  return { esm: namesOf(imported), cjs: namesOf(required), imported, required };
};

const surfaces = {};
for (const id of ['@resock/core', '@resock/core/testing', '@resock/node', '@resock/browser']) {
  const { esm, cjs, imported, required } = await load(id);
  surfaces[id] = esm;
  if (esm.join() !== cjs.join())
    failures.push(`${id}: import and require differ (${esm.length} vs ${cjs.length} names)`);
  for (const name of promised[id] ?? []) {
    if (!esm.includes(name)) failures.push(`${id}: missing promised export ${name}`);
  }
  // The facade is named as what it stands in for (`ws.constructor.name`, logs), as built: a build
  // step once renamed the browser's class expression ReconnectingWebSocket2.
  for (const [how, mod] of [
    ['import', imported],
    ['require', required],
  ]) {
    const name = mod.ReconnectingWebSocket?.name;
    if (name !== undefined && name !== 'ReconnectingWebSocket')
      failures.push(`${id} (${how}): ReconnectingWebSocket.name is ${name}`);
  }
  console.log(`${id}: ${esm.length} names via import and require`);
}
for (const adapter of ['@resock/node', '@resock/browser']) {
  const missing = surfaces['@resock/core'].filter((name) => !surfaces[adapter].includes(name));
  if (missing.length > 0) failures.push(`${adapter} does not re-export ${missing.join(', ')}`);
}
// What a package's declarations import, an app's compiler must find from that package alone:
// each bare import is a dependency, and its types come with it (its own, or an @types package
// that is a dependency too). A devDependency is not installed for the package's users.
for (const dir of ['core', 'node', 'browser']) {
  const root = join('packages', dir);
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const deps = { ...manifest.dependencies, ...manifest.peerDependencies };
  const files = readdirSync(join(root, 'dist'), { recursive: true }).filter((f) => /\.d\.c?ts$/.test(f));
  for (const file of files) {
    const text = readFileSync(join(root, 'dist', file), 'utf8');
    for (const [, id] of text.matchAll(/(?:from\s+|import\()['"]([^.'"][^'"]*)['"]/g)) {
      const name = id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0];
      const typesPackage = `@types/${name.replace(/^@([^/]+)\//, '$1__')}`;
      if (!(name in deps)) failures.push(`${manifest.name}: dist/${file} imports ${id}, not a dependency`);
      else if (!hasOwnTypes(root, name) && !(typesPackage in deps))
        failures.push(
          `${manifest.name}: dist/${file} imports ${id}, whose types (${typesPackage}) are not a dependency`,
        );
    }
  }
}

function hasOwnTypes(root, name) {
  const own = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
  return Boolean(own.types || own.typings || JSON.stringify(own.exports ?? {}).includes('"types"'));
}

if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log('exports: ok');
