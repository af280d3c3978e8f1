// `pnpm --filter @resock/browser size`: what an app pays for resock in a browser bundle.
// Each entry is bundled from the built package (dist) the way an app's bundler would — esbuild,
// ESM, browser platform, minified — then gzipped (level 9). Run after `pnpm build`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleEntry, kb, packageDir } from './bundleEntry.mjs';

// The budget for `createClient`, all-in (resock + zod/mini + eventemitter3), and the ceiling CI
// enforces until the budget is met (the measured size, so it can only shrink).
const { budgetBytes: BUDGET, ceilingBytes: limit } = JSON.parse(
  readFileSync(join(packageDir, 'size-limit.json'), 'utf8'),
);

const entries = {
  'native WebSocket (baseline)': "globalThis.s = new WebSocket('wss://example.com/');",
  "createClient from '@resock/browser'": "import { createClient } from '@resock/browser'; globalThis.x = createClient;",
  "ReconnectingWebSocket from '@resock/browser'":
    "import { ReconnectingWebSocket } from '@resock/browser'; globalThis.x = ReconnectingWebSocket;",
  both: "import { createClient, ReconnectingWebSocket } from '@resock/browser'; globalThis.x = [createClient, ReconnectingWebSocket];",
};

async function measure(contents) {
  const { min, gzip, inputs } = await bundleEntry(contents);
  const of = (pattern) =>
    Object.entries(inputs)
      .filter(([file]) => pattern.test(file))
      .reduce((sum, [, v]) => sum + v.bytesInOutput, 0);
  return {
    min,
    gzip,
    zodMin: of(/[\\/]zod[\\/]/),
    eventemitter3Min: of(/eventemitter3/),
  };
}

const results = {};
for (const [name, contents] of Object.entries(entries)) results[name] = await measure(contents);
const client = results["createClient from '@resock/browser'"];
const both = results.both;

console.log('bundle (esbuild, browser, minified; gzip -9)'.padEnd(48), 'min'.padStart(10), 'gzip'.padStart(10));
for (const [name, r] of Object.entries(results))
  console.log(name.padEnd(48), kb(r.min).padStart(10), kb(r.gzip).padStart(10));
console.log(`of createClient: zod ${kb(client.zodMin)} min, eventemitter3 ${kb(client.eventemitter3Min)} min`);
console.log(`the facade's own cost beside createClient: +${kb(both.gzip - client.gzip)} gzip`);
console.log(
  `budget ${kb(BUDGET)} gzip: ${client.gzip <= BUDGET ? 'met' : `NOT met (${kb(client.gzip - BUDGET)} over)`}`,
);

mkdirSync(join(packageDir, 'reports'), { recursive: true });
writeFileSync(
  join(packageDir, 'reports', 'size.json'),
  `${JSON.stringify({ budget: BUDGET, limit, results }, null, 2)}\n`,
);
if (client.gzip > limit) {
  console.error(`createClient is ${kb(client.gzip)} gzip, above the ceiling of ${kb(limit)} (size-limit.json)`);
  process.exit(1);
}
