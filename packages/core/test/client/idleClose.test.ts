import { type CloseRecord, InvalidOptionsError, type ReliableOptions, type StateEvent } from '@resock/core';
import { flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { nextClose, socket } from '../facade/facadeHarness';
import { gatedSchema, harness } from './clientHarness';

const idleTimeoutMs = 60_000;

/** 'tracked' is tracked under id 1; 'ack' acknowledges it. */
const reliable: ReliableOptions = {
  id: (message) => (message === 'tracked' ? 1 : undefined),
  ackOf: (incoming) => (incoming === 'ack' ? 1 : undefined),
};

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
    expect(h.client.stats.reconnects).toBe(0); // a fresh start, not a reconnect
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

  it('a message either way puts the close off: it comes idleTimeoutMs to 1.25× that after the last', () => {
    const h = openIdle();
    h.clock.advance(idleTimeoutMs / 2);
    h.client.send('out');
    h.clock.advance(idleTimeoutMs);
    expect(h.client.state).toBe('open');
    h.transport.last().deliver('in');
    h.clock.advance(idleTimeoutMs);
    expect(h.client.state).toBe('open');
    h.clock.advance(idleTimeoutMs / 4);
    expect(h.client.state).toBe('idle');
  });

  it('an ack counts as traffic', () => {
    const h = openIdle({ reliable });
    h.client.send('tracked');
    h.clock.advance(2 * idleTimeoutMs - 1);
    h.transport.last().deliver('ack'); // a slow job's ack
    h.clock.advance(idleTimeoutMs);
    expect(h.client.state).toBe('open');
    h.clock.advance(idleTimeoutMs / 4);
    expect(h.client.state).toBe('idle');
  });

  it('a message an async schema held counts when the app hears it (it may answer)', async () => {
    const { schema, release } = gatedSchema();
    const h = openIdle({ messages: schema });
    h.transport.last().deliver('{"job":"done"}');
    h.clock.advance(2 * idleTimeoutMs - 1);
    release();
    await flushPromises();
    expect(h.of('message')).toHaveLength(1);
    h.clock.advance(idleTimeoutMs);
    expect(h.client.state).toBe('open');
    h.clock.advance(idleTimeoutMs / 4);
    expect(h.client.state).toBe('idle');
  });

  it('does not cut a message still leaving (bufferedAmount) or one still arriving (progress)', () => {
    const h = openIdle();
    const socket = h.transport.last();
    h.client.send('a large upload'); // written at once; its bytes leave over a slow link
    socket.setBuffered(50_000_000);
    h.clock.advance(3 * idleTimeoutMs);
    expect(h.client.state).toBe('open');
    socket.setBuffered(0);
    for (let waited = 0; waited < 3 * idleTimeoutMs; waited += 1000) {
      socket.moveBytes(10_000); // a large message from the server, crossing slowly
      h.clock.advance(1000);
    }
    expect(h.client.state).toBe('open');
    h.clock.advance(idleTimeoutMs + idleTimeoutMs / 4);
    expect(h.client.state).toBe('idle');
  });

  it("a server's own pings (control frames: a few bytes now and then) do not keep it busy", () => {
    const h = openIdle();
    for (let waited = 0; waited < idleTimeoutMs; waited += 10_000) {
      h.transport.last().moveBytes(6); // a ping frame from the server; the socket answers it itself
      h.clock.advance(10_000);
    }
    expect(h.client.state).toBe('idle');
  });

  it('does not pre-empt the close a refused send announced: the peer’s code reaches the policy', () => {
    const h = openIdle();
    const socket = h.transport.last();
    h.clock.advance(idleTimeoutMs - 1000); // three quiet looks
    socket.refuseSends(); // its close has begun; the close frame is on its way
    h.client.send('refused', { volatile: true }); // dropped, not queued: nothing waits
    h.clock.advance(1000); // the fourth look, inside the refusal's closeTimeoutMs
    expect(h.client.state).toBe('open');
    socket.emitClose({ code: 4001, reason: 'kicked', wasClean: true });
    expect(h.client.lastClose).toMatchObject({ code: 4001 });
  });

  it('heartbeat traffic does not keep a connection from being idle', () => {
    const h = openIdle({ heartbeat: { intervalMs: 10_000, timeoutMs: 2000 } }); // pongs come at once
    h.clock.advance(idleTimeoutMs);
    expect(h.transport.last().pings).toBeGreaterThan(4);
    expect(h.client.state).toBe('idle');
  });

  it('refuses an app-level ping without isPong: its answers would keep the connection busy for ever', () => {
    expect(() => harness({ idleTimeoutMs, heartbeat: { message: 'ping' } })).toThrow(/isPong/);
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

  it('refuses one under a second: seconds meant, it connected once a send', () => {
    // (Each idle close dials anew with the next send: 30 closed a connection 30 ms after each.)
    expect(() => harness({ idleTimeoutMs: 30 })).toThrow(
      /idleTimeoutMs: expected 0 \(never\) or a duration in ms, ≥ 1000/,
    );
    expect(() => harness({ idleTimeoutMs: 999 })).toThrow(InvalidOptionsError);
    expect(harness({ idleTimeoutMs: 1000 }).client.state).toBe('connecting');
  });
});

describe('idleTimeoutMs under ReconnectingWebSocket', () => {
  it('close() after an idle close (CONNECTING again) fires error then close 1006, as any close() while CONNECTING', async () => {
    // What the app sees follows from readyState alone: idle reads CONNECTING (code waiting for
    // OPEN keeps waiting), so close() there is a WebSocket's close() while CONNECTING.
    const { ws, transport, clock, seen } = socket({ idleTimeoutMs });
    transport.last().accept();
    const idle = nextClose(ws);
    clock.advance(idleTimeoutMs);
    await idle;
    expect(ws.readyState).toBe(ws.CONNECTING);
    const last = nextClose(ws);
    ws.close();
    expect((await last).code).toBe(1006);
    expect(seen).toEqual(['open', 'close', 'error', 'close']);
    expect(ws.client.lastClose).toMatchObject({ code: 1005, initiator: 'client' }); // the client's own record
  });

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
