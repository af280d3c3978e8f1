// `resock connect` over what changes how bytes leave the process: TLS (its handle holds a whole
// write until the last byte is sent) and permessage-deflate (ws compresses one message at a time
// and queues the rest, pings too). Run from source against real servers on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { launch } from './fixtures/cliSession';
import { listenLocally } from './fixtures/listenLocally';
import { startPlainServer } from './fixtures/plainServer';
import { slowLargeUpload } from './fixtures/slowUpload';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const tlsFile = (name: string) => new URL(`./fixtures/tls/${name}`, import.meta.url);

// The stall check reads the TCP handle under TLS: a large line crossing a slow but moving link
// over wss:// is not a stall (as over ws://, in cliBackpressure).
it('wss://: a large line crossing a slow but moving link is not taken for a stall', async () => {
  // The self-signed certificate (CA:TRUE, for 127.0.0.1) is trusted by the CLI's process.
  const before = process.env.NODE_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = tlsFile('self.pem').pathname;
  cleanup.push(() => {
    if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = before;
  });
  const server = createHttpsServer({ key: readFileSync(tlsFile('self.key')), cert: readFileSync(tlsFile('self.pem')) });
  const wss = new WebSocketServer({ server });
  const port = await listenLocally(server, cleanup);
  expect(await slowLargeUpload(wss, port, 'wss', cleanup)).toEqual({
    code: 0,
    received: ['big:xxxxxxxx', 'after'],
    movedTenSeconds: true,
    stalledSaid: false,
  });
}, 90_000);

// Short lines to a permessage-deflate server: the window of lines not yet proved read keeps the
// compression queue short, so the heartbeat's ping is not held behind a 1 MiB backlog of them
// (it was: the heartbeat dropped a healthy link, and the lines still queued were lost).
it('seq 60000 to a permessage-deflate server (heartbeat 2 s) arrives whole, exit 0', async () => {
  const { wss, port, stop } = await startPlainServer({ perMessageDeflate: true });
  cleanup.push(stop);
  let received = 0;
  wss.on('connection', (ws: WebSocket) => ws.on('message', () => received++));
  const run = launch(['connect', `ws://127.0.0.1:${port}`, '--heartbeat', '2000'], cleanup);
  await run.has(' open ');
  const lines = Array.from({ length: 60_000 }, (_, i) => String(i + 1));
  run.child.stdin.end(`${lines.join('\n')}\n`);
  const [code] = await run.exited;
  const events = run.out.stderr
    .split('\n')
    .filter((line) => / (close|unconfirmed|error) /.test(line))
    .map((line) => line.slice(15, 120));
  expect({ code, received, events }).toEqual({ code: 0, received: 60_000, events: [] });
}, 120_000);
