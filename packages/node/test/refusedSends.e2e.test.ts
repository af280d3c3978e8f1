import {
  type Client,
  type CloseRecord,
  createClient,
  InvalidMessageError,
  nativeTransport,
  type Transport,
} from '@resock/node';
import { WebSocket as UndiciWebSocket } from 'undici';
import { describe, expect, it } from 'vitest';
import { serverPerTest } from './fixtures/serverPerTest';

const context = serverPerTest();

const nextClose = (client: Client) => new Promise<CloseRecord>((resolve) => client.once('close', resolve));

/**
 * A server that sends its close frame and then holds the TCP connection: the socket is CLOSING,
 * and both ws and a WHATWG WebSocket silently discard what they are given in that state.
 */
describe.each([
  ['ws', undefined, { code: 4000, initiator: 'server' }],
  // undici never reports the close while the server holds TCP: core's deadline lets it go.
  ['undici', nativeTransport({ WebSocket: UndiciWebSocket }), { code: 1006, initiator: 'timeout' }],
] as const)('a server that half-closes (%s)', (_name, transport: Transport | undefined, expected) => {
  it('a message sent then is queued, the connection ends within closeTimeoutMs, and it is delivered on the next', async () => {
    const { server, clients } = context;
    server.plan({ kind: 'halfClose', code: 4000 });
    const client = createClient({
      url: `${server.url}/half`,
      heartbeat: false,
      closeTimeoutMs: 500,
      policy: { backoff: { type: 'constant', delayMs: 0 } },
      ...(transport ? { transport } : {}),
    });
    clients.push(client);
    await client.opened();
    await server.waitForClientClose(1); // the client has answered the server's close frame
    const closed = nextClose(client);
    expect(client.send('important')).toBe('queued');
    expect(await closed).toMatchObject(expected);
    const [message] = await server.waitForReceived(1);
    expect(message).toEqual({ attempt: 2, data: 'important' });
  });
});

describe('a message no socket can carry', () => {
  it('a detached buffer is refused at send(), and later messages still flow', async () => {
    const { server, clients } = context;
    const client = createClient({ url: `${server.url}/echo`, heartbeat: false });
    clients.push(client);
    await client.opened();
    const buffer = new ArrayBuffer(8);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => client.send(buffer)).toThrow(InvalidMessageError);
    expect(client.send('after')).toBe('sent');
    const [message] = await server.waitForReceived(1);
    expect(message?.data).toBe('after');
  });
});
