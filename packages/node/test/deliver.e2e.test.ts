// deliver(): a promise of what becomes of each message, against a real ws server that loses
// its connection half-way through a batch.
import { type Client, MessageDroppedError, type NodeClientOptions } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlainServer } from './fixtures/plainServer';
import { quickClient } from './fixtures/quickClient';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const client = (port: number, options: Partial<NodeClientOptions> = {}): Client => quickClient(cleanup, port, options);

const reliable = {
  id: (message: unknown) => (typeof message === 'string' ? (JSON.parse(message) as { id?: number }).id : undefined),
  ackOf: (incoming: unknown) =>
    typeof incoming === 'string' ? (JSON.parse(incoming) as { ack?: number }).ack : undefined,
};

describe('deliver() against a real ws server', () => {
  it('resolves acked for every message once the server acknowledges it, across a dropped connection', async () => {
    const server = await startPlainServer();
    cleanup.push(server.stop);
    const received: number[] = [];
    let connections = 0;
    server.wss.on('connection', (socket) => {
      const first = ++connections === 1;
      socket.on('message', (raw) => {
        const { id } = JSON.parse(String(raw)) as { id: number };
        received.push(id);
        // The first connection dies on message 2, unacknowledged: 1 was acked, 2–4 were not.
        if (first && id === 2) socket.terminate();
        else if (!first || id === 1) socket.send(JSON.stringify({ ack: id }));
      });
    });
    const c = client(server.port, { reliable });
    await c.opened();
    const fates = await Promise.all([1, 2, 3, 4].map((id) => c.deliver(JSON.stringify({ id }))));
    expect(fates).toEqual(['acked', 'acked', 'acked', 'acked']);
    expect(connections).toBe(2);
    // Whatever reached the first connection, the second had every unacknowledged one, in order.
    expect(received.slice(received.lastIndexOf(2))).toEqual([2, 3, 4]);
  });

  it('resolves sent once a message queued while connecting is written, and rejects what close() drops', async () => {
    const server = await startPlainServer();
    cleanup.push(server.stop);
    const received: string[] = [];
    const heard = new Promise<void>((resolve) =>
      server.wss.on('connection', (socket) =>
        socket.on('message', (raw) => {
          received.push(String(raw));
          resolve();
        }),
      ),
    );
    const c = client(server.port);
    await expect(c.deliver('early')).resolves.toBe('sent');
    await heard;
    expect(received).toEqual(['early']);
    c.reconnect(); // connecting again: the next message waits in the queue
    const dropped = c.deliver('never');
    await c.close();
    const error = await dropped.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(MessageDroppedError);
    expect(error).toMatchObject({ reason: 'closed', data: 'never' });
  });
});
