// POST /control, where the page's buttons make the server misbehave. The scenario server writes
// a refused handshake's status and headers raw, so a request is checked whole before anything
// is done: a bad one is refused with the problem named, and the live connection is left alone.
import { request } from 'node:http';
import { type Client, createClient } from '@resock/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoPage } from '../src/page/pageServer';

let server: Awaited<ReturnType<typeof startDemoPage>>;
beforeAll(async () => {
  server = await startDemoPage();
});
afterAll(() => server.stop());

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

/** Posts a control request (a string is sent as is); resolves with the status and the `{ error }` given. */
async function control(body: unknown) {
  const res = await fetch(`${server.pageUrl}control`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = res.headers.get('content-type') === 'application/json';
  return { status: res.status, error: json ? ((await res.json()) as { error: string }).error : await res.text() };
}

async function liveClient(): Promise<Client> {
  const client = createClient({ url: `${server.url}/live`, heartbeat: false });
  clients.push(client);
  await client.opened();
  return client;
}

/** A WebSocket handshake by hand; resolves with the HTTP response the server gave instead of 101. */
function refusedHandshake() {
  return new Promise<{ status: number | undefined; headers: Record<string, unknown> }>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/live',
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode, headers: res.headers });
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error('the handshake was accepted'));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('POST /control refuses a bad request', () => {
  const tooLongReason = 'é'.repeat(62); // 124 UTF-8 bytes: one more than a close frame holds
  it.each([
    ['an unknown action', { action: 'explode' }, 'action: expected one of "close", "drop", "reject", got "explode"'],
    ['no action', {}, 'action: expected one of "close", "drop", "reject", got none'],
    ['a body that is no JSON', 'drop', 'the body is not JSON'],
    ['a body that is no object', '[]', 'the body is not a JSON object'],
    ['a field the action has not', { action: 'drop', code: 1000 }, 'code: not a field of "drop"'],
    [
      'a status that is no number',
      { action: 'reject', status: 'abc' },
      'status: expected an HTTP status, an integer 100–599, got "abc"',
    ],
    [
      'a status above 599',
      { action: 'reject', status: 600 },
      'status: expected an HTTP status, an integer 100–599, got 600',
    ],
    [
      'a fractional status',
      { action: 'reject', status: 429.5 },
      'status: expected an HTTP status, an integer 100–599, got 429.5',
    ],
    // The header-splitting attempt: CR/LF would end Retry-After and start a header of its own.
    [
      'CR/LF in retryAfter',
      { action: 'reject', status: 429, retryAfter: '1\r\nX-Injected: yes' },
      'retryAfter: expected a number of seconds ≥ 0, got "1\\r\\nX-Injected: yes"',
    ],
    [
      'a retryAfter the page could not read (NaN, sent as null)',
      { action: 'reject', status: 429, retryAfter: null },
      'retryAfter: expected a number of seconds ≥ 0, got null',
    ],
    [
      'a negative retryAfter',
      { action: 'reject', status: 429, retryAfter: -1 },
      'retryAfter: expected a number of seconds ≥ 0, got -1',
    ],
    ...[1005, 1006, 1015, 2000, 5000].map((code) => [
      `close code ${code}, which no server may send`,
      { action: 'close', code },
      `code: expected a close code a server may send (1000–1003, 1007–1014, 3000–4999), got ${code}`,
    ]),
    [
      'a reason over 123 UTF-8 bytes',
      { action: 'close', code: 4001, reason: tooLongReason },
      'reason: at most 123 UTF-8 bytes, got 124',
    ],
    [
      'a reason without a code (an empty close frame has no room for it)',
      { action: 'close', reason: 'bye' },
      'reason: needs a code to go with it',
    ],
  ] as Array<[string, unknown, string]>)('%s: 400, with the problem named', async (_what, body, error) => {
    expect(await control(body)).toEqual({ status: 400, error });
  });

  it('leaves the live connection alone and plans nothing when a reject is refused', async () => {
    const client = await liveClient();
    const closed = new Promise((resolve) => client.once('close', () => resolve('dropped')));
    expect((await control({ action: 'reject', status: 'abc' })).status).toBe(400);
    // Still open: an echo comes back before any close (a dropped connection would close first).
    const outcome = await Promise.race([
      closed,
      new Promise((resolve) => {
        client.once('message', () => resolve('still open'));
        client.send('are you there');
      }),
    ]);
    expect(outcome).toBe('still open');
    await liveClient(); // and the next handshake is accepted, as nothing was planned
  });

  it.each([
    ['by its Content-Length', false],
    ['as it streams in (chunked, no Content-Length)', true],
  ])('answers a body over 4 KiB with 413, %s', async (_how, chunked) => {
    const body = JSON.stringify({ action: 'drop', pad: 'x'.repeat(5000) });
    const answer = new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${server.pageUrl}control`, { method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      if (chunked) {
        req.setHeader('transfer-encoding', 'chunked');
        req.write(body.slice(0, 3000));
        req.end(body.slice(3000));
      } else {
        req.setHeader('content-length', Buffer.byteLength(body));
        req.end(body);
      }
    });
    expect(await answer).toBe(413);
  });
});

describe('POST /control does what a good request asks', () => {
  it('close: the client gets the code, and a reason of exactly 123 UTF-8 bytes', async () => {
    const client = await liveClient();
    const reason = `${'é'.repeat(61)}x`;
    const closed = new Promise<{ code: number; reason: string }>((resolve) => client.once('close', resolve));
    expect(await control({ action: 'close', code: 4001, reason })).toEqual({ status: 204, error: '' });
    expect(await closed).toMatchObject({ code: 4001, reason });
  });

  it('reject: the next handshake is refused with that status and Retry-After, and nothing more', async () => {
    expect(await control({ action: 'reject', status: 429, retryAfter: 2 })).toEqual({ status: 204, error: '' });
    const refused = await refusedHandshake();
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('2');
  });
});
