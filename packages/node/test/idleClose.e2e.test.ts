// idleTimeoutMs against a real ws server: the server hears 1000 idle, and the next send opens a
// new connection that carries it.
import type { Client, NodeClientOptions } from '@resock/node';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlainServer } from './fixtures/plainServer';
import { quickClient } from './fixtures/quickClient';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const client = (port: number, options: Partial<NodeClientOptions> = {}): Client => quickClient(cleanup, port, options);

describe('idleTimeoutMs against a real ws server', () => {
  it('closes a quiet connection with 1000 idle, and the next send connects again', async () => {
    const server = await startPlainServer();
    cleanup.push(server.stop);
    let serverClosed: (close: [number, string]) => void = () => undefined;
    const firstClose = new Promise<[number, string]>((resolve) => (serverClosed = resolve));
    let heard: (message: string) => void = () => undefined;
    const firstMessage = new Promise<string>((resolve) => (heard = resolve));
    let connections = 0;
    server.wss.on('connection', (socket) => {
      connections++;
      socket.on('close', (code, reason) => serverClosed([code, String(reason)]));
      socket.on('message', (raw) => heard(String(raw)));
    });
    // With protocol pings every 50 ms: heartbeat traffic does not keep it open.
    const c = client(server.port, { idleTimeoutMs: 1000, heartbeat: { intervalMs: 50, timeoutMs: 1000 } });
    const idle = new Promise<void>((resolve) => c.on('state', ({ to }) => to === 'idle' && resolve()));
    await idle;
    expect(c.lastClose).toMatchObject({ code: 1000, reason: 'idle', initiator: 'client' });
    expect(await firstClose).toEqual([1000, 'idle']); // the server heard why
    await expect(c.deliver('hello again')).resolves.toBe('sent');
    expect(await firstMessage).toBe('hello again');
    expect(connections).toBe(2);
  });
});
