import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { build } from 'esbuild';
import { type Control, parseControl } from './control';

const app = fileURLToPath(new URL('./app.ts', import.meta.url));
const page = fileURLToPath(new URL('./index.html', import.meta.url));

/** A control request is a few dozen bytes; anything near this is no page's button press. */
const maxControlBytes = 4096;

/**
 * The browser half of the demo: one server that serves the page (bundled from @resock/browser's
 * sources at start, so no build is needed), is the WebSocket server the page's client talks
 * to, and takes the page's button presses at POST /control.
 */
export async function startDemoPage(options: { port?: number } = {}): Promise<ScenarioServer & { pageUrl: string }> {
  const [bundle, html] = await Promise.all([
    build({
      entryPoints: [app],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      conditions: ['@resock/source'],
      write: false,
      logLevel: 'error',
    }).then((result) => result.outputFiles[0]?.text ?? ''),
    import('node:fs/promises').then((fs) => fs.readFile(page, 'utf8')),
  ]);
  let server: ScenarioServer | undefined;
  server = await startScenarioServer({
    ...(options.port === undefined ? {} : { port: options.port }),
    http: (req, res) => {
      if (req.method === 'GET' && req.url === '/')
        return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      if (req.method === 'GET' && req.url === '/app.js')
        return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      if (req.method !== 'POST' || req.url !== '/control' || !server) return void res.writeHead(404).end();
      const live = server;
      readControl(req, res, (control) => {
        apply(live, control);
        res.writeHead(204).end();
      });
    },
  });
  return Object.assign(server, { pageUrl: `http://127.0.0.1:${server.port}/` });
}

/** Reads and checks a control request, then hands it on; a bad one is answered here, with why. */
function readControl(req: IncomingMessage, res: ServerResponse, then: (control: Control) => void): void {
  const refuse = (status: number, error: string) => {
    // Connection: close, as the rest of an oversized body is not read.
    res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({ error }));
  };
  const tooLarge = `the body is over ${maxControlBytes} bytes`;
  if (Number(req.headers['content-length']) > maxControlBytes) return void refuse(413, tooLarge);
  // Decoded as UTF-8 by the stream, so a character split across two chunks arrives whole.
  req.setEncoding('utf8');
  let body = '';
  let bytes = 0;
  req.on('data', (chunk: string) => {
    if (res.headersSent) return;
    bytes += Buffer.byteLength(chunk);
    if (bytes > maxControlBytes) return void refuse(413, tooLarge);
    body += chunk;
  });
  req.on('end', () => {
    if (res.headersSent) return;
    const control = parseControl(body);
    if ('error' in control) return void refuse(400, control.error);
    then(control);
  });
}

function apply(server: ScenarioServer, control: Control): void {
  switch (control.action) {
    case 'close':
      server.closeAll(control.code, control.reason ?? '');
      return;
    case 'drop':
      server.destroyAll();
      return;
    case 'reject': {
      // A finite number (parseControl saw to it): its String() has no CR/LF to smuggle in a header with.
      const headers: Record<string, string> = control.retryAfter ? { 'Retry-After': String(control.retryAfter) } : {};
      // The next handshake is refused; drop the live connection so the client meets it now.
      server.plan({ kind: 'reject', status: control.status, headers });
      server.destroyAll();
      return;
    }
  }
}
