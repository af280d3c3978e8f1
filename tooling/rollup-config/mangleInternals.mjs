// Short names for a package's internal properties in what it publishes (as Preact's build
// does): members the client's classes share across modules cannot be `#private`, and an app's
// minifier never shortens a property name, so each use kept its whole name in every bundle.
// Only names listed in the package's mangle.json are renamed; the declarations must not name
// one (checked when they are written), so no published type promises a property that is gone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { transform } from 'esbuild';

/** @param {string} file the package's mangle.json: `{ "props": [names] }` */
export function readMangleList(file) {
  const { props } = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(props) || props.some((name) => !/^[A-Za-z_$][\w$]*$/.test(name)))
    throw new Error(`${file}: "props" must be a list of property names`);
  return props;
}

const wordsIn = (text) => text.match(/[A-Za-z_$][\w$]*/g) ?? [];
/** Without its comments: a word there names no property (strings stay: `'x' in o` does). */
const codeOf = (text) => text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
/** The words of code (a source, a declaration) outside its comments: a doc may mention any name. */
export const codeWords = (text) => wordsIn(codeOf(text));

/**
 * One name for each listed property, the same in every chunk and format of the build. esbuild
 * picks them (shortest for the most used) from a stand-in module where every other word of the
 * sources' code is a property too, so no short name can be one the code already uses.
 */
async function nameEach(props, sourceDir) {
  const listed = new Set(props);
  const uses = new Map(props.map((name) => [name, 0]));
  const others = new Set();
  for (const file of readdirSync(sourceDir, { recursive: true })) {
    if (!/\.ts$/.test(file)) continue;
    for (const word of codeWords(readFileSync(join(sourceDir, file), 'utf8')))
      if (listed.has(word)) uses.set(word, uses.get(word) + 1);
      else others.add(word);
  }
  const unused = props.filter((name) => uses.get(name) === 0);
  if (unused.length) throw new Error(`mangle.json lists names no source uses: ${unused.join(', ')}`);
  const standIn = [
    ...[...others].map((word) => `x.${word};`),
    ...props.map((name) => `x.${name};`.repeat(uses.get(name))),
  ].join('\n');
  const { mangleCache } = await transform(standIn, { mangleProps: matcher(props), mangleCache: {} });
  if (!mangleCache) throw new Error('esbuild gave no mangleCache');
  return mangleCache;
}

const matcher = (props) => new RegExp(`^(?:${props.join('|')})$`);

/** The rollup plugin for the JavaScript outputs (ESM and CJS alike). */
export function mangleInternals(props, sourceDir) {
  let names;
  return {
    name: 'mangle-internals',
    async buildStart() {
      names = await nameEach(props, sourceDir);
    },
    async renderChunk(code) {
      const out = await transform(code, {
        mangleProps: matcher(props),
        mangleCache: names,
        sourcemap: 'external',
        loader: 'js',
        charset: 'utf8',
      });
      return { code: out.code, map: out.map };
    },
  };
}

/** The rollup plugin for the declarations: a listed name there is a type the code would break. */
export function refuseMangledInTypes(props) {
  const listed = new Set(props);
  return {
    name: 'refuse-mangled-in-types',
    generateBundle(_, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk') continue;
        const named = [...new Set(codeWords(file.code).filter((word) => listed.has(word)))];
        if (named.length)
          this.error(`${file.fileName} names ${named.join(', ')}, which mangle.json renames: unlist them`);
      }
    },
  };
}
