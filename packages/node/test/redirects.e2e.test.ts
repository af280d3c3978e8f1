// With `followRedirects` (an option nodeTransport passes through), a handshake that ends on a
// redirect ws will not follow (`maxRedirects` reached, a Location it cannot parse) is a rejected
// handshake whose last answer was a 3xx: the record keeps that status, so the default policy
// stops ("not a WebSocket endpoint", docs/close-codes.md) instead of retrying it as a lost link.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { createClient, nodeTransport } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A raw HTTP server on 127.0.0.1 that answers every request with `answer(port)`. */
async function rawServer(answer: (port: number) => string) {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.once('data', () => socket.write(answer((server.address() as AddressInfo).port)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanup.push(async () => {
    for (const socket of sockets) socket.destroy();
    server.close();
    await once(server, 'close');
  });
  return (server.address() as AddressInfo).port;
}

/** What the client does after its first attempt: stops (failed) or retries, by which rule. */
function firstOutcome(client: ReturnType<typeof createClient>) {
  return new Promise<{ event: string; rule: string; status: number | undefined }>((resolve) => {
    client.once('failed', ({ decision, record }) =>
      resolve({ event: 'failed', rule: decision.rule, status: record.handshake?.status }),
    );
    client.once('reconnecting', ({ rule, record }) =>
      resolve({ event: 'reconnecting', rule, status: record.handshake?.status }),
    );
  });
}

describe('nodeTransport with followRedirects', () => {
  it.each([
    ['a redirect loop cut by maxRedirects', (self: number) => `ws://127.0.0.1:${self}/again`],
    ['a Location it cannot parse', () => 'ws://[bad'],
  ])('%s keeps its 3xx status, and the default policy stops', async (_, location) => {
    const port = await rawServer(
      (self) => `HTTP/1.1 302 Found\r\nLocation: ${location(self)}\r\nContent-Length: 0\r\n\r\n`,
    );
    const client = createClient({
      url: `ws://127.0.0.1:${port}/`,
      transport: nodeTransport({ followRedirects: true, maxRedirects: 2 }),
      heartbeat: false,
    });
    cleanup.push(() => client.close());
    expect(await firstOutcome(client)).toEqual({ event: 'failed', rule: 'default:http-not-websocket', status: 302 });
  });
});
