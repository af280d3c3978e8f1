// `pnpm --filter @resock/browser size:why`: where createClient's bytes go, and what is left when
// whole areas are taken out — the figures behind the size budget's decision (size-limit.json).
// Run after `pnpm build`. The "without" bundles are for measuring only: their stubbed modules
// export placeholders, so they do not run.
import { readFileSync } from 'node:fs';
import { bundleEntry, kb } from './bundleEntry.mjs';

const entry = "import { createClient } from '@resock/browser'; globalThis.x = createClient;";

/** Core's modules by area (file names in core's dist); anything else is its own area. */
const areas = {
  'options and policy checks': ['resolveOptions', 'inputChecks', 'policyInput', 'backoffSpec', 'errors', 'sendOptions'],
  'policy engine and presets': [
    'definePolicy',
    'decide',
    'presets',
    'defaultRows',
    'codeRanges',
    'computeBackoff',
    'jitter',
    'strategies',
  ],
  'close records': ['normalizeClose', 'retryAfter', 'closeCode', 'closeVocabulary', 'closeArguments', 'utf8'],
  'state machine': ['transition', 'stepCore', 'state', 'pageChanges', 'machineTypes', 'serverWait'],
  'client shell': [
    'client',
    'clientShell',
    'sendingSections',
    'connectionShell',
    'outboundShell',
    'shellState',
    'connectionHandlers',
    'namedTimers',
    'target',
    'refreshRunner',
    'redactUrl',
    'acceptShell',
    'inboundShell',
    'greetingShell',
    'droppingShell',
    'endConnection',
    'callOptions',
    'listenerOptions',
    'socketUrl',
    'binary',
  ],
  'queue, heartbeat, outbox, inbound': [
    'heartbeat',
    'sharedScheduler',
    'minHeap',
    'outbox',
    'queue',
    'inbound',
    'expiry',
    'waitingSignals',
  ],
  'events (eventemitter3 + typing)': ['index', 'typedEmitter'],
};
const areaOf = (file) => {
  const base = file
    .split(/[\\/]/)
    .pop()
    .replace(/\.m?js$/, '');
  if (/eventemitter3/.test(file)) return 'events (eventemitter3 + typing)';
  for (const [area, names] of Object.entries(areas)) if (file.includes('core') && names.includes(base)) return area;
  if (
    ['whatwgTransport', 'drainMeter', 'browserTransport', 'pageEnvironment', 'pageUrl', 'createClient'].includes(base)
  )
    return 'transport and page';
  return 'the rest (entry, defaults, clock)';
};

/** Modules replaced by placeholders of the same exports, to measure what remains without them. */
const exportNames = (source) => {
  const names = new Set();
  for (const m of source.matchAll(/export\s+(?:async\s+)?(?:function\*?|const|let|var|class)\s+([\w$]+)/g))
    names.add(m[1]);
  for (const m of source.matchAll(/export\s*\{([^}]*)\}/g))
    for (const part of m[1].split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop();
      if (name) names.add(name);
    }
  return [...names];
};
const stub = (modules) => ({
  name: 'stub',
  setup(b) {
    b.onLoad({ filter: /core[\\/]dist[\\/].*\.js$/ }, (args) => {
      const base = args.path.split(/[\\/]/).pop().replace('.js', '');
      if (!modules.includes(base)) return undefined;
      const names = exportNames(readFileSync(args.path, 'utf8'));
      return {
        contents: names.length ? `export const ${names.map((n) => `${n} = globalThis.q`).join(', ')};` : '',
        loader: 'js',
      };
    });
  },
});

const full = await bundleEntry(entry);
const byArea = {};
for (const [file, { bytesInOutput }] of Object.entries(full.inputs)) {
  const area = areaOf(file);
  byArea[area] = (byArea[area] ?? 0) + bytesInOutput;
}
console.log(`createClient: ${kb(full.min)} min, ${kb(full.gzip)} gzip. Minified bytes by area:`);
for (const [area, bytes] of Object.entries(byArea).sort((a, b) => b[1] - a[1]))
  console.log(`  ${area.padEnd(34)} ${kb(bytes).padStart(10)}  ${((100 * bytes) / full.min).toFixed(0).padStart(3)} %`);

const removals = [
  ['options and policy checks', areas['options and policy checks']],
  ['… and the presets', [...areas['options and policy checks'], 'presets', 'defaultRows']],
  [
    '… and queue, heartbeat, outbox, inbound',
    [...areas['options and policy checks'], 'presets', 'defaultRows', ...areas['queue, heartbeat, outbox, inbound']],
  ],
  [
    '… and eventemitter3',
    [
      ...areas['options and policy checks'],
      'presets',
      'defaultRows',
      ...areas['queue, heartbeat, outbox, inbound'],
      'typedEmitter',
    ],
  ],
];
console.log('What remains (gzip) when whole areas are taken out:');
for (const [label, modules] of removals) {
  const { gzip } = await bundleEntry(entry, [stub(modules)]);
  console.log(`  without ${label.padEnd(44)} ${kb(gzip).padStart(10)}`);
}
