// What was sent while connecting goes out at open, before the open is told (so no listener's send
// overtakes it). A loopback or in-memory transport answers from inside that send(): the reply is
// heard after the open, as what came with the open is — never before it, as with a WebSocket.
import { createClient, ReconnectingWebSocket } from '@resock/core';
import { createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { callingBack } from './clientHarness';

const url = 'wss://api.example.test/socket';

/** The fake transport, the server answering each write with `answer(data)` from inside send(). */
const loopback = (answer: (data: unknown) => string) =>
  callingBack((conn, send, data) => {
    send();
    conn.deliver(answer(data));
  });

describe('a reply to a message flushed at open', () => {
  it('is heard after the open event, with the connection known', () => {
    const { fake, transport } = loopback((data) => `reply to ${String(data)}`);
    const client = createClient({ url, transport, clock: createVirtualClock(0) });
    const heard: string[] = [];
    client.on('state', ({ to }) => heard.push(`state ${to}`));
    client.on('open', () => heard.push('open'));
    client.on('message', (m) => heard.push(`message ${String(m)}, protocol ${client.protocol}`));
    client.send('hello');
    fake.last().accept({ protocol: 'p' });
    expect(heard).toEqual(['state open', 'open', 'message reply to hello, protocol p']);
    void client.close();
  });

  it('comes after onopen on the WebSocket facade, with its origin', () => {
    const { fake, transport } = loopback((data) => `reply to ${String(data)}`);
    const ws = new ReconnectingWebSocket(url, [], { transport, clock: createVirtualClock(0) });
    const seen: string[] = [];
    ws.onopen = () => seen.push('open');
    ws.onmessage = (event) => seen.push(`message ${String(event.data)} from ${event.origin}`);
    ws.send('hello');
    fake.last().accept();
    expect(seen).toEqual(['open', 'message reply to hello from wss://api.example.test']);
    ws.close();
  });

  it('is one of its connection’s messages for isReady (the outage is over)', async () => {
    const { fake, transport } = loopback(() => '"ready"');
    const clock = createVirtualClock(0);
    const client = createClient<string>({
      url,
      transport,
      clock,
      random: () => 0.5,
      stableAfterMs: 60_000,
      isReady: (m) => m === 'ready',
      // Heard a microtask later: validated after the open, but taken in before it was told.
      messages: {
        '~standard': { version: 1, vendor: 'test', validate: (value) => Promise.resolve({ value: value as string }) },
      },
    });
    const attempts: number[] = [];
    client.on('reconnecting', (e) => attempts.push(e.attempt));
    const heard = new Promise((resolve) => client.once('message', resolve));
    fake.last().fail();
    clock.runNext();
    client.send('hello');
    fake.last().accept();
    expect(await heard).toBe('ready');
    fake.last().drop();
    // isReady accepted a message of this connection: the next retry is the first of a new outage.
    expect(attempts).toEqual([1, 1]);
    void client.close();
  });
});
