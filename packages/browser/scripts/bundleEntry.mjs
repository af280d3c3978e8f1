// How the size scripts bundle an entry: the way an app's bundler would (esbuild, ESM, browser
// platform, minified), from the built package (dist), then gzip -9.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `contents` bundled; `inputs` is esbuild's per-module bytes in the output. */
export async function bundleEntry(contents, plugins = []) {
  const result = await build({
    stdin: { contents, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  const code = result.outputFiles[0].text;
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    inputs: Object.values(result.metafile.outputs)[0].inputs,
  };
}

export const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
