// A server that accepts nothing before its own async handshake (graphql-ws: `connection_init`,
// then `connection_ack`; anything else first is closed 4401): the `greeting` option sends the
// init first on every connection and holds the queue until the ack.
import type { Client, NodeClientOptions } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { conditions } from './fixtures/conditions';
import { startPlainServer } from './fixtures/plainServer';
import { quickClient } from './fixtures/quickClient';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** The server's view: what each connection received after its ack, and how each ended. */
async function handshakeServer() {
  const server = await startPlainServer();
  cleanup.push(server.stop);
  const connections: Array<{ socket: WebSocket; tokens: string[]; received: string[] }> = [];
  const closes: number[] = [];
  // `until(check)`: once `check()` holds after some message the server handled, or a close.
  const { changed, until } = conditions();
  server.wss.on('connection', (socket) => {
    const seen = { socket, tokens: [] as string[], received: [] as string[] };
    connections.push(seen);
    let acked = false;
    socket.on('close', (code) => {
      closes.push(code);
      changed();
    });
    socket.on('message', async (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; token?: string; n?: number };
      if (message.type === 'connection_init') {
        seen.tokens.push(String(message.token));
        // onConnect checks the token asynchronously: the client must not talk meanwhile.
        await new Promise((resolve) => setImmediate(resolve));
        acked = true;
        socket.send(JSON.stringify({ type: 'connection_ack' }));
      } else if (!acked) socket.close(4401, 'Unauthorized');
      else seen.received.push(String(message.n));
      changed();
    });
  });
  return { port: server.port, connections, closes, until };
}

const client = (port: number, options: Partial<NodeClientOptions> = {}): Client => quickClient(cleanup, port, options);

const item = (n: number) => JSON.stringify({ type: 'subscribe', n });

describe('greeting: an app-level handshake before anything else (a real ws server)', () => {
  it('without it, what was queued reaches the server before the init and is refused (4401)', async () => {
    const { port, closes, until } = await handshakeServer();
    const c = client(port, { policy: { rules: [{ codes: [4401], action: 'stop' }] } });
    c.on('open', () => c.send(JSON.stringify({ type: 'connection_init', token: 't' })));
    for (const n of [1, 2, 3]) c.send(item(n));
    const failed = new Promise((resolve) => c.once('failed', resolve));
    await until(() => closes.length === 1);
    await failed;
    expect(closes).toEqual([4401]);
  });

  it('sends the init first on every connection, and the queue only after the ack, in order', async () => {
    const { port, connections, closes, until } = await handshakeServer();
    let token = 0;
    const c = client(port, {
      greeting: {
        message: () => JSON.stringify({ type: 'connection_init', token: `t${++token}` }),
        isAccepted: (data) => typeof data === 'string' && JSON.parse(data).type === 'connection_ack',
      },
    });
    const opens: number[] = [];
    c.on('open', () => opens.push(connections.length));
    for (const n of [1, 2, 3]) c.send(item(n));
    await until(() => connections[0]?.received.length === 3);
    expect(connections[0]?.received).toEqual(['1', '2', '3']);
    expect(opens).toEqual([1]); // told once the server accepted
    // The server drops the link; the next connection greets again, with a fresh token.
    connections[0]?.socket.terminate();
    await new Promise((resolve) => c.once('reconnecting', resolve));
    for (const n of [4, 5]) c.send(item(n));
    await until(() => connections[1]?.received.length === 2);
    expect(connections.map((x) => x.tokens)).toEqual([['t1'], ['t2']]);
    expect(connections[1]?.received).toEqual(['4', '5']);
    expect(closes).not.toContain(4401);
  });
});
