import { fileURLToPath } from 'node:url';
import { type ScenarioServer, startScenarioServer } from '@resock/test-utils';
import { build } from 'esbuild';

const app = fileURLToPath(new URL('./app.ts', import.meta.url));
const page = fileURLToPath(new URL('./index.html', import.meta.url));

/** What the page's buttons ask the server to do. */
export type Control =
  | { action: 'close'; code?: number; reason?: string }
  | { action: 'drop' }
  | { action: 'reject'; status: number; retryAfter?: number };

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
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        try {
          apply(server as ScenarioServer, JSON.parse(body) as Control);
          res.writeHead(204).end();
        } catch (error) {
          res.writeHead(400).end(String(error));
        }
      });
    },
  });
  return Object.assign(server, { pageUrl: `http://127.0.0.1:${server.port}/` });
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
      const headers: Record<string, string> = control.retryAfter ? { 'Retry-After': String(control.retryAfter) } : {};
      // The next handshake is refused; drop the live connection so the client meets it now.
      server.plan({ kind: 'reject', status: control.status, headers });
      server.destroyAll();
      return;
    }
  }
}
