import { type CloseRecord, InvalidOptionsError, type ReliableOptions, type StateEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { nextClose, socket } from '../facade/facadeHarness';
import { harness } from './clientHarness';

const idleTimeoutMs = 60_000;

/** An open client that closes its connection after `idleTimeoutMs` without a message. */
function openIdle(options: Parameters<typeof harness>[0] = {}) {
  const h = harness({ idleTimeoutMs, ...options });
  h.transport.last().accept();
  return h;
}

describe('idleTimeoutMs: closing a quiet connection, connecting again on the next send', () => {
  it('closes a connection no message crossed for idleTimeoutMs with 1000 idle, and goes back to idle', () => {
    const h = openIdle();
    const socket = h.transport.last();
    h.clock.advance(idleTimeoutMs - 1);
    expect(h.client.state).toBe('open');
    h.clock.advance(1);
    expect(socket.closeCall).toEqual({ code: 1000, reason: 'idle' });
    expect(h.client.state).toBe('idle');
    expect(h.of<CloseRecord>('close')).toMatchObject([
      { code: 1000, reason: 'idle', initiator: 'client', phase: 'open' },
    ]);
    expect(h.of<StateEvent>('state').at(-1)).toEqual({ from: 'open', to: 'idle' });
    expect(h.of('reconnecting')).toEqual([]); // no failure, no decision
    h.clock.advance(60 * 60_000);
    expect(h.transport.connections).toHaveLength(1); // nothing dials on its own
    expect(h.clock.pending()).toBe(0); // and nothing is left running
  });

  it('connects again on the next send, which goes out once open, as the first connection of a fresh start', () => {
    const h = openIdle();
    h.clock.advance(idleTimeoutMs);
    expect(h.client.send('again')).toBe('queued');
    expect(h.transport.connections).toHaveLength(2);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['again']);
    expect(h.of<{ attempt: number }>('open').map((open) => open.attempt)).toEqual([1, 1]);
  });

  it('opened() and open() connect again too', async () => {
    const h = openIdle();
    h.clock.advance(idleTimeoutMs);
    const opened = h.client.opened();
    expect(h.transport.connections).toHaveLength(2);
    h.transport.last().accept();
    await expect(opened).resolves.toMatchObject({ attempt: 1 });
    h.clock.advance(idleTimeoutMs);
    h.client.open();
    expect(h.transport.connections).toHaveLength(3);
  });

  it('a message either way puts the close off: it comes one to two idleTimeoutMs after the last', () => {
    const h = openIdle();
    h.clock.advance(idleTimeoutMs / 2);
    h.client.send('out');
    h.clock.advance(idleTimeoutMs / 2); // the check sees the send: it looks again later
    expect(h.client.state).toBe('open');
    h.transport.last().deliver('in');
    h.clock.advance(idleTimeoutMs); // …and sees the message in
    expect(h.client.state).toBe('open');
    h.clock.advance(idleTimeoutMs);
    expect(h.client.state).toBe('idle');
  });

  it('heartbeat traffic does not keep a connection from being idle', () => {
    const h = openIdle({ heartbeat: { intervalMs: 10_000, timeoutMs: 2000 } }); // pongs come at once
    h.clock.advance(idleTimeoutMs);
    expect(h.transport.last().pings).toBeGreaterThan(4);
    expect(h.client.state).toBe('idle');
  });

  it('an app-level ping and its pong do not either', () => {
    const h = harness(
      {
        idleTimeoutMs,
        heartbeat: { intervalMs: 10_000, timeoutMs: 2000, message: 'ping', isPong: (d) => d === 'pong' },
      },
      { ping: false }, // like a browser's WebSocket
    );
    h.transport.last().accept();
    const socket = h.transport.last();
    for (let waited = 0; waited < idleTimeoutMs; waited += 10_000) {
      h.clock.advance(10_000);
      if (socket.state === 'open' && socket.sent.at(-1) === 'ping') socket.deliver('pong');
    }
    expect(socket.sent.filter((data) => data === 'ping').length).toBeGreaterThan(4);
    expect(h.client.state).toBe('idle');
  });

  it('does not close while a tracked message waits for its ack', () => {
    const reliable: ReliableOptions = {
      id: (message) => (message === 'tracked' ? 1 : undefined),
      ackOf: (incoming) => (incoming === 'ack' ? 1 : undefined),
    };
    const h = openIdle({ reliable });
    h.client.send('tracked');
    h.clock.advance(3 * idleTimeoutMs);
    expect(h.client.state).toBe('open');
    h.transport.last().deliver('ack');
    h.clock.advance(2 * idleTimeoutMs);
    expect(h.client.state).toBe('idle');
  });

  it('is off by default, and refuses a bad value at createClient', () => {
    const h = harness();
    h.transport.last().accept();
    h.clock.advance(24 * 60 * 60_000);
    expect(h.client.state).toBe('open');
    expect(() => harness({ idleTimeoutMs: -1 })).toThrow(InvalidOptionsError);
    expect(() => harness({ idleTimeoutMs: -1 })).toThrow(/idleTimeoutMs/);
  });
});

describe('idleTimeoutMs under ReconnectingWebSocket', () => {
  it('fires close 1000 idle, reads CONNECTING while idle, and a send connects again', async () => {
    const { ws, transport, clock, seen } = socket({ idleTimeoutMs });
    transport.last().accept();
    const closed = nextClose(ws);
    clock.advance(idleTimeoutMs);
    const event = await closed;
    expect([event.code, event.reason, event.wasClean]).toEqual([1000, 'idle', false]);
    expect(ws.readyState).toBe(ws.CONNECTING);
    expect(seen).toEqual(['open', 'close']);
    ws.send('again');
    expect(transport.connections).toHaveLength(2);
    transport.last().accept();
    expect(transport.last().sent).toEqual(['again']);
  });
});
