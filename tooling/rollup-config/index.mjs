// One build shape for every published package: ESM (.js) + CJS (.cjs) + declarations
// (.d.ts for import, .d.cts for require), so `exports` can point each condition at its own
// file and @arethetypeswrong/cli sees no masquerading types.
import { rmSync } from 'node:fs';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import { mangleInternals, readMangleList, refuseMangledInTypes } from './mangleInternals.mjs';

// Every bare import (dependencies, node: builtins, sibling @resock packages) stays external:
// the user's bundler or Node resolves it once, so no package ships a second copy of core.
const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0');

/**
 * @param {{ input: Record<string, string>, bin?: Record<string, string>, target?: string, mangle?: string }} options
 *   input maps an output name (e.g. `index`, `testing`) to its source entry; bin maps a command
 *   to its entry, built as one executable ESM file with a shebang (no CJS, no declarations);
 *   mangle is a mangle.json whose internal property names get short names (mangleInternals.mjs).
 */
export function defineRollupConfig({ input, bin = {}, target = 'es2022', mangle }) {
  const mangled = mangle ? readMangleList(mangle) : [];
  // Chunk names carry a hash: without emptying dist first, chunks of earlier builds stay there
  // and get published. Once per `rollup -c`, before any of the builds below writes.
  rmSync('dist', { recursive: true, force: true });
  const binaries = Object.keys(bin).length
    ? [
        {
          input: bin,
          external,
          plugins: [esbuild({ target, sourceMap: true })],
          output: {
            dir: 'dist',
            format: 'es',
            entryFileNames: '[name].js',
            chunkFileNames: '[name]-[hash].js',
            banner: '#!/usr/bin/env node',
            sourcemap: true,
          },
        },
      ]
    : [];
  // The client is `AsyncDisposable` (`await using`): an app compiling with an older `lib` and
  // skipLibCheck off still finds Symbol.asyncDispose, as @types/node does it.
  const banner = '/// <reference lib="esnext.disposable" />';
  return [
    ...binaries,
    {
      input,
      external,
      plugins: [esbuild({ target, sourceMap: true }), ...(mangled.length ? [mangleInternals(mangled, 'src')] : [])],
      output: [
        // ESM keeps one file per source module: with `sideEffects: false`, an app's bundler
        // then drops whole modules it does not use (zod's schema module, preset prose).
        {
          dir: 'dist',
          format: 'es',
          preserveModules: true,
          preserveModulesRoot: 'src',
          entryFileNames: '[name].js',
          sourcemap: true,
        },
        {
          dir: 'dist',
          format: 'cjs',
          entryFileNames: '[name].cjs',
          chunkFileNames: '[name]-[hash].cjs',
          sourcemap: true,
          exports: 'named',
        },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: 'tsconfig.build.json' }), ...(mangled.length ? [refuseMangledInTypes(mangled)] : [])],
      output: [
        { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts', chunkFileNames: '[name]-[hash].d.ts', banner },
        { dir: 'dist', format: 'es', entryFileNames: '[name].d.cts', chunkFileNames: '[name]-[hash].d.cts', banner },
      ],
    },
  ];
}
