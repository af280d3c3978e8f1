import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');

const entries: Record<string, string> = {
  'native WebSocket': "globalThis.s = new WebSocket('wss://example.com/');",
  resock: "import { createClient } from '@resock/browser'; globalThis.x = createClient;",
  'resock (ReconnectingWebSocket)':
    "import { ReconnectingWebSocket } from '@resock/browser'; globalThis.x = ReconnectingWebSocket;",
  'reconnecting-websocket': "import RWS from 'reconnecting-websocket'; globalThis.x = RWS;",
  partysocket: "import { WebSocket } from 'partysocket'; globalThis.x = WebSocket;",
};

/** What each library adds to a browser bundle: esbuild, ESM, minified, gzip -9 (from dist). */
export async function bundle(): Promise<Record<string, { min: number; gzip: number }>> {
  const out: Record<string, { min: number; gzip: number }> = {};
  for (const [name, contents] of Object.entries(entries)) {
    const result = await build({
      stdin: { contents, resolveDir: here, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      write: false,
      logLevel: 'error',
    });
    const code = result.outputFiles[0]?.text ?? '';
    out[name] = { min: code.length, gzip: gzipSync(code, { level: 9 }).length };
  }
  return out;
}
