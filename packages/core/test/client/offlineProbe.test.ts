import type { CloseRecord, DroppedEvent, SendResult, Transport } from '@resock/core';
import { createFakeEnvironment, createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** An open socket whose peer has gone quiet, then the device goes offline: the probe is out. */
function silentWhenOffline() {
  const environment = createFakeEnvironment();
  const h = harness({ environment, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } });
  h.transport.last().accept();
  const socket = h.transport.last();
  socket.goSilent();
  environment.emit('offline');
  return { h, socket, environment };
}

/** The device went offline with a socket open: probe it with the heartbeat rather than trust it. */
describe('the offline probe', () => {
  it('probes an open socket when the device goes offline instead of trusting it', () => {
    const { h, socket } = silentWhenOffline();
    expect(socket.pings).toBe(1);
    h.clock.advance(2000);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({ initiator: 'heartbeat' });
    expect(h.client.state).toBe('waiting'); // and it will not retry until online
    expect(h.transport.connections).toHaveLength(1);
  });

  it('without a heartbeat to probe with, lets the socket go when offline and reconnects on online', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment }, { terminate: false }); // like a browser's WebSocket
    h.transport.last().accept();
    const socket = h.transport.last();
    environment.emit('offline');
    expect(socket.closeCall).toEqual({ code: 4000, reason: 'offline' });
    expect(h.client.lastClose).toMatchObject({ code: 1006, initiator: 'transport', phase: 'open', synthetic: true });
    expect(h.client.send('while offline')).toBe('queued'); // into the queue, not a dead socket
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1); // no attempt while offline
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['while offline']);
  });

  it('holds sends while the probe is out: queued, then written once the peer answers', () => {
    const { h, socket } = silentWhenOffline();
    expect(h.client.send('a')).toBe('queued'); // not into a socket that may be dead
    socket.pong();
    expect(socket.sent).toEqual(['a']);
    expect(h.client.send('b')).toBe('sent');
  });

  it('a send held during a probe that fails goes out on the next connection', () => {
    const { h, environment } = silentWhenOffline();
    h.client.send('a');
    h.clock.advance(2000); // no answer: the peer is dead
    environment.emit('online');
    h.transport.last().accept();
    expect(h.transport.connections.map((c) => c.sent)).toEqual([[], ['a']]);
  });

  it('does not hold sends for ever when the probe could not be sent (heartbeat.message threw)', () => {
    // The builder fails exactly when the offline probe asks for a ping: the heartbeat stops,
    // no probe is out, and no answer would ever release what waits for one.
    const environment = createFakeEnvironment();
    let calls = 0;
    const h = harness(
      {
        environment,
        heartbeat: {
          intervalMs: 30_000,
          timeoutMs: 2000,
          message: () => {
            calls++;
            if (calls === 1) throw new Error('ping builder failed once');
            return 'ping';
          },
        },
      },
      { ping: false }, // like a browser's WebSocket
    );
    h.transport.last().accept();
    environment.emit('offline'); // probe: the builder throws, the heartbeat stops
    expect(h.of('error')).toHaveLength(1);
    h.client.send('a');
    h.clock.advance(60_000);
    environment.emit('online');
    h.clock.advance(10 * 60_000);
    // Whatever the fix, a new connection (if one was made) is accepted: 'a' must reach a socket.
    if (h.transport.last().state === 'connecting') h.transport.last().accept();
    expect(h.client.stats.messagesQueued).toBe(0);
    expect(h.transport.connections.flatMap((c) => c.sent)).toContain('a');
  });

  it('a goodbye sent during the probe goes out ahead of close(), not dropped with the queue', () => {
    const { h, socket } = silentWhenOffline();
    h.client.send('bye');
    void h.client.close(1000, 'done');
    expect(socket.sent).toEqual(['bye']);
    expect(socket.closeCall).toEqual({ code: 1000, reason: 'done' });
  });

  it('judges at once a ping whose deadline passed while its timer was held back', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } });
    h.transport.last().accept();
    const socket = h.transport.last();
    socket.goSilent();
    h.clock.advance(30_000); // the ping goes out
    h.clock.jump(60_000); // a frozen tab: its deadline passes unjudged
    environment.emit('offline');
    expect(socket.pings).toBe(2); // judged now: far too late, so asked once more
    h.clock.advance(2000);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({ initiator: 'heartbeat' });
  });

  it('keeps a socket that answers the probe', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } });
    h.transport.last().accept();
    environment.emit('offline');
    h.clock.advance(2000);
    expect(h.client.state).toBe('open');
  });

  it('a probe answered at once (within ping()) holds no send afterwards', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } }); // autoPong
    h.transport.last().accept();
    environment.emit('offline'); // the probe's pong comes back inside ping()
    expect(h.transport.last().pings).toBe(1);
    expect(h.client.send('a')).toBe('sent'); // was 'queued' until the next ping, 30 s later
    expect(h.transport.last().sent).toEqual(['a']);
  });
});

describe('the message that answers the offline probe', () => {
  it('a volatile reply sent from its message listener goes out, behind what was held', () => {
    const { h, socket } = silentWhenOffline();
    expect(h.client.send('held')).toBe('queued');
    const results: SendResult[] = [];
    h.client.on('message', () => results.push(h.client.send('reply', { volatile: true })));
    socket.deliver('server: still here');
    expect(results).toEqual(['sent']);
    expect(socket.sent).toEqual(['held', 'reply']);
    expect(h.of<DroppedEvent>('dropped')).toEqual([]);
  });
});

/** The fake transport, with one log of what each connection was asked to do, in order. */
function loggingTransport() {
  const fake = createFakeTransport();
  const wire: string[] = [];
  const transport: Transport = {
    connect(request, handlers) {
      const connection = fake.connect(request, handlers);
      return {
        send: (data) => {
          connection.send(data);
          wire.push(`send ${String(data)}`);
        },
        close: (code, reason) => {
          wire.push(`close ${code}`);
          connection.close(code, reason);
        },
        ping: () => connection.ping?.(),
        terminate: () => connection.terminate?.(),
      };
    },
  };
  return { fake, transport, wire };
}

describe('close() from the listener of the message that answers the probe', () => {
  it('a message listener that closes the client: what the probe held goes out ahead of the close frame', () => {
    const environment = createFakeEnvironment();
    const { fake, transport, wire } = loggingTransport();
    const h = harness({ environment, transport, heartbeat: { intervalMs: 30_000, timeoutMs: 2000 } });
    fake.last().accept();
    const socket = fake.last();
    socket.goSilent(); // no pong, no echo of the close frame
    environment.emit('offline'); // the probe is out: sends are held
    expect(h.client.send('bye')).toBe('queued');
    // The answer is a message; its listener leaves (a "logged out" push, say).
    h.client.on('message', () => void h.client.close(1000, 'done'));
    socket.deliver('server: you are logged out');
    // As without the probe, and as close() from anywhere else during the probe
    // (offlineProbe.test: "a goodbye sent during the probe goes out ahead of close()"):
    // 'bye' is written before the close frame, never after it.
    expect(wire).toEqual(['send bye', 'close 1000']);
    expect(h.of<DroppedEvent>('dropped')).toEqual([]);
  });
});
