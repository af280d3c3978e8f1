// Workers behind an HTTP proxy pass an agent (ws's `agent` option). The two common ones must
// behave alike: a tunnel opens through either, and a proxy that refuses the tunnel (407: wrong or
// missing credentials) is a handshake answered 407 — stopped by the default policy, not retried
// for ever as a lost link (hpagent tells it only as an Error 'Bad response: 407').
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { type CloseRecord, createClient, nodeTransport } from '@resock/node';
import { startScenarioServer } from '@resock/test-utils';
import { HttpProxyAgent } from 'hpagent';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { afterEach, describe, expect, it } from 'vitest';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** An HTTP proxy on 127.0.0.1: CONNECT gets `answer` (a status line and headers), or a tunnel. */
async function startProxy(answer?: string) {
  const sockets = new Set<Socket>();
  const proxy: Server = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    if (answer) return void socket.end(`${answer}\r\nContent-Length: 0\r\n\r\n`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  cleanup.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        proxy.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

const agents = {
  hpagent: (proxy: string) => new HttpProxyAgent({ proxy }),
  'https-proxy-agent': (proxy: string) => new HttpsProxyAgent(proxy),
};

describe.each(Object.entries(agents))('through a proxy with %s', (_name, agentFor) => {
  it('opens a tunnel to the server and talks through it', async () => {
    const server = await startScenarioServer(); // echo
    cleanup.push(() => server.stop());
    const agent = agentFor(await startProxy());
    const client = createClient({ url: server.url, transport: nodeTransport({ agent }), heartbeat: false });
    cleanup.push(() => client.close());
    await client.opened();
    const reply = new Promise((resolve) => client.once('message', resolve));
    client.send('through');
    expect(await reply).toBe('through');
  });

  it('a proxy refusing the tunnel with 407 is a handshake answered 407: the default policy stops', async () => {
    const agent = agentFor(await startProxy('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic'));
    // Nothing listens there: the proxy answers before any connection to it would be made.
    const client = createClient({ url: 'ws://127.0.0.1:9/', transport: nodeTransport({ agent }), heartbeat: false });
    cleanup.push(() => client.close());
    const closed = new Promise<CloseRecord>((resolve) => client.once('close', resolve));
    const failed = new Promise<string>((resolve) => client.once('failed', ({ decision }) => resolve(decision.rule)));
    expect(await closed).toMatchObject({ code: 1006, phase: 'connecting', handshake: { status: 407 } });
    expect(await failed).toBe('default:http-other-4xx');
    expect(client.stats.attempts).toBe(1);
  });
});
