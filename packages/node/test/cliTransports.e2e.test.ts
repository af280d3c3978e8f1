// `resock connect` over what changes how bytes leave the process: TLS (its handle holds a whole
// write until the last byte is sent) and permessage-deflate (ws compresses one message at a time
// and queues the rest, pings too). Run from source against real servers on 127.0.0.1.
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { startSlowLink } from '@resock/test-utils';
import { afterEach, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { WebSocketServer } from 'ws';
import { launch } from './fixtures/cliSession';
import { listenLocally } from './fixtures/listenLocally';
import { startPlainServer } from './fixtures/plainServer';

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
  const received: string[] = [];
  let bytes = 0;
  let onBytes = () => {};
  wss.on('connection', (ws: WebSocket) => {
    (ws as unknown as { _socket: Socket })._socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      onBytes();
    });
    ws.on('message', (data) => received.push(String(data).slice(0, 12)));
  });
  const RATE = 500_000;
  const link = await startSlowLink({ targetPort: port, upBytesPerSecond: RATE });
  cleanup.push(() => link.stop());
  const run = launch(['connect', link.url.replace(/^ws:/, 'wss:')], cleanup);
  await run.has(' open ');
  const big = `big:${'x'.repeat(20_000_000)}`;
  run.child.stdin.end(`${big}\nafter\n`);
  const eleven = new Promise<void>((resolve) => {
    onBytes = () => bytes >= RATE * 11 && resolve();
  });
  await Promise.race([eleven, run.exited]);
  const movedBeforeEnd = bytes;
  link.unthrottle();
  const [code] = await run.exited;
  expect(movedBeforeEnd).toBeGreaterThan(RATE * 9); // the link moved for ~10 s or more
  expect(run.out.stderr).not.toContain('nothing has left the process');
  expect({ code, received }).toEqual({ code: 0, received: ['big:xxxxxxxx', 'after'] });
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
