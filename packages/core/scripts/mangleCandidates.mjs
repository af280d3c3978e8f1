// `node scripts/mangleCandidates.mjs [--check]` (after `pnpm build`, for the declarations):
// property names core's sources use that no published declaration, platform global or
// dependency names, and mangle.json neither renames (`props`) nor keeps (`keep`) — the internal
// members a change added, to review. List in `props` what core itself defines; in `keep` what
// is a property of something outside core (a DOM object's). `--check` (core's check:package,
// so CI) fails while any is left: a new member does not quietly cost its whole name in every
// bundle.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { codeWords } from '@resock/rollup-config/mangleInternals';

const files = (dir) => readdirSync(dir, { recursive: true }).map((file) => join(dir, String(file)));
const codeOf = (text) =>
  text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');

const { props, keep = [] } = JSON.parse(readFileSync('mangle.json', 'utf8'));
const listed = new Set([...props, ...keep]);
const reserved = new Set();
// A declaration's words, as the build's own check of the declarations reads them.
for (const file of files('dist').filter((f) => /\.d\.c?ts$/.test(f)))
  for (const word of codeWords(readFileSync(file, 'utf8'))) reserved.add(word);
// By access, not descriptor: Node defines some globals (AbortController) as getters.
for (const value of Object.getOwnPropertyNames(globalThis).map((name) => globalThis[name]))
  for (let o = value; o && (typeof o === 'object' || typeof o === 'function'); o = Object.getPrototypeOf(o)) {
    for (const name of Object.getOwnPropertyNames(o)) reserved.add(name);
    if (typeof o === 'function' && o.prototype)
      for (let p = o.prototype; p; p = Object.getPrototypeOf(p))
        for (const name of Object.getOwnPropertyNames(p)) reserved.add(name);
  }
const require = createRequire(import.meta.url);
for (const dependency of ['eventemitter3', 'zod/mini'])
  for (const name of Object.keys(require(dependency))) reserved.add(name);
reserved.add('EventEmitter');

const uses = new Map();
for (const file of files('src').filter((f) => f.endsWith('.ts') && !f.includes('testing')))
  for (const [, name] of codeOf(readFileSync(file, 'utf8')).matchAll(/(?<![.\d])\.([A-Za-z_$][\w$]*)/g))
    if (!reserved.has(name) && !listed.has(name)) uses.set(name, (uses.get(name) ?? 0) + 1);
const rows = [...uses].sort((a, b) => b[1] * b[0].length - a[1] * a[0].length);
if (rows.length === 0) console.log('mangle.json: every internal property name is renamed or kept');
else {
  console.log(`not in mangle.json (uses): ${rows.map(([name, n]) => `${name} (${n})`).join(', ')}`);
  if (process.argv.includes('--check')) {
    console.log('list each in "props" (core defines it) or "keep" (a property of something outside core)');
    process.exitCode = 1;
  }
}
