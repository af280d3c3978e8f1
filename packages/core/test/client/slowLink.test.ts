import { whatwgTransport } from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client';
import { harness } from './clientHarness';

// A large message crossing a slow link holds the pong (or the close frame) behind it: while bytes
// still move, a deadline gives another one instead of calling the link dead.
describe('a slow link is not a dead one', () => {
  const heartbeat = { intervalMs: 1000, timeoutMs: 500 };

  it('an unanswered ping gets another timeoutMs while bytes move, and is dead once they stop', () => {
    const { transport, clock, of } = harness({ heartbeat }, { autoPong: false });
    transport.last().accept();
    clock.advance(1000); // ping
    expect(transport.last().pings).toBe(1);
    clock.advance(300);
    transport.last().moveBytes(16_384);
    clock.advance(200); // the deadline: bytes moved since the ping
    expect(of('close')).toEqual([]);
    clock.advance(300);
    transport.last().moveBytes(16_384);
    clock.advance(200); // the next one: moved again
    expect(of('close')).toEqual([]);
    clock.advance(499);
    expect(of('close')).toEqual([]);
    clock.advance(1); // nothing moved for timeoutMs
    expect(of('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });

  /** Open, with `buffered` bytes still in the process; the ping is out, and no pong will come. */
  const pinged = (buffered = 0) => {
    const { transport, clock, of } = harness({ heartbeat }, { autoPong: false });
    transport.last().accept();
    const conn = transport.last();
    conn.setBuffered(buffered);
    clock.advance(1000); // ping (queued behind what is buffered)
    /** `deadlines` pong deadlines pass, a byte of the peer's moving before each. */
    const trickle = (deadlines: number) => {
      for (let i = 0; i < deadlines; i++) {
        conn.moveBytes(1); // a never-ending frame dripped, or the server's own pings
        clock.advance(500);
      }
    };
    return { conn, clock, of, trickle };
  };

  it('a peer that only trickles (a byte per deadline, for ever) is dead ten timeoutMs after the ping', () => {
    const { conn, of, trickle } = pinged();
    trickle(9); // each deadline extended
    expect(of('close')).toEqual([]);
    // Before: extended for as long as a byte came per timeoutMs, so the client stayed open for
    // good, hearing nothing (a hostile server parked it).
    trickle(1); // the tenth: bytes moved, but a pong this late is not coming
    expect(of('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
    expect(conn.terminated).toBe(true);
  });

  it('an upload still leaving this process holds the ping behind it: no limit while it drains', () => {
    const { conn, clock, of, trickle } = pinged(50_000_000); // a large message, still buffered
    for (let i = 1; i <= 30; i++) {
      conn.moveBytes(100_000); // the upload drains, slowly
      conn.setBuffered(50_000_000 - i * 100_000);
      clock.advance(500);
    }
    // Before (with the limit counting every deadline): dead at the tenth, and a reliable
    // message resent on the next connection would be cut the same way, for ever.
    expect(of('close')).toEqual([]);
    conn.setBuffered(0); // all out: the ping has left too (the next deadline still sees the drain)
    trickle(10);
    expect(of('close')).toEqual([]);
    trickle(1);
    expect(of('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });

  it('a backlog that does not drain (the peer stopped reading) does not lift the limit', () => {
    const { of, trickle } = pinged(5_000_000); // stuck: the server reads nothing, but drips
    trickle(10);
    expect(of('close')).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });

  it('the pong that finally arrives ends the wait, and pings resume intervalMs after it', () => {
    const { transport, clock, of } = harness({ heartbeat }, { autoPong: false });
    transport.last().accept();
    clock.advance(1000);
    transport.last().moveBytes();
    clock.advance(500); // extended
    transport.last().pong();
    clock.advance(999);
    expect(transport.last().pings).toBe(1);
    clock.advance(1);
    expect(transport.last().pings).toBe(2);
    expect(of('close')).toEqual([]);
  });

  it('a close handshake gets another closeTimeoutMs while bytes move', async () => {
    const h = harness({ closeTimeoutMs: 3000 });
    h.transport.last().accept();
    h.transport.last().goSilent();
    const closing = h.client.close(1000, 'done');
    h.clock.advance(2000);
    h.transport.last().moveBytes(); // what was sent before close() still draining
    h.clock.advance(1000);
    expect(h.client.state).toBe('closing');
    h.clock.advance(2999);
    expect(h.client.state).toBe('closing');
    h.clock.advance(1); // nothing moved for closeTimeoutMs
    expect(await closing).toMatchObject({ code: 1006, phase: 'closing', synthetic: true });
    expect(h.transport.last().terminated).toBe(true);
  });

  it('a peer that trickles bytes keeps a close waiting ten closeTimeoutMs at most', async () => {
    const h = harness({ closeTimeoutMs: 3000 });
    h.transport.last().accept();
    h.transport.last().goSilent();
    const closing = h.client.close();
    for (let i = 0; i < 9; i++) {
      h.transport.last().moveBytes();
      h.clock.advance(3000);
      expect(h.client.state).toBe('closing');
    }
    h.transport.last().moveBytes();
    h.clock.advance(3000);
    expect(await closing).toMatchObject({ code: 1006, synthetic: true });
  });

  /** A client whose connections' progress reads `read()`: a transport written by hand. */
  const withProgress = (read: () => number) => {
    const clock = createVirtualClock(0);
    const fake = createFakeTransport({ autoPong: false });
    const client = createClient({
      url: 'wss://x.test/',
      clock,
      heartbeat,
      transport: {
        connect(request, handlers) {
          return Object.defineProperty(Object.create(fake.connect(request, handlers)), 'progress', { get: read });
        },
      },
    });
    const closes: unknown[] = [];
    client.on('close', (record) => closes.push(record));
    fake.last().accept();
    fake.last().goSilent();
    return { clock, client, closes };
  };
  let count = 100;
  const broken: Array<[string, () => number]> = [
    [
      'throws',
      () => {
        throw new Error('no counters here');
      },
    ],
    ['is NaN', () => Number.NaN],
    ['goes down', () => count--],
  ];

  it.each(broken)('a progress that %s is no movement: a dead peer is still found', (_, read) => {
    const { clock, closes } = withProgress(read);
    clock.advance(1500); // ping at 1000, no pong by 1500
    expect(closes).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]);
  });

  it.each(broken)('a progress that %s is no movement: a close ends after one closeTimeoutMs', async (_, read) => {
    const { clock, client } = withProgress(read);
    const closing = client.close();
    clock.advance(3000);
    expect(await closing).toMatchObject({ code: 1006, synthetic: true });
  });

  describe('on a WHATWG WebSocket (bufferedAmount is all it shows)', () => {
    /** A socket whose network takes `rate` bytes per 100 ms from bufferedAmount; no pongs. */
    const linkAt = (rate: number) => {
      const clock = createVirtualClock(0);
      const sockets: Array<{ bufferedAmount: number }> = [];
      class FakeSocket {
        binaryType = 'blob';
        readyState = 1;
        protocol = '';
        extensions = '';
        bufferedAmount = 0;
        onOpen: (() => void) | undefined;
        constructor() {
          sockets.push(this);
        }
        send(data: string | ArrayBufferView | ArrayBuffer) {
          this.bufferedAmount += typeof data === 'string' ? data.length : data.byteLength;
        }
        close() {}
        addEventListener(type: string, listener: () => void) {
          if (type === 'open') this.onOpen = listener;
        }
        removeEventListener() {}
      }
      const client = createClient({
        url: 'wss://x.test/',
        clock,
        transport: whatwgTransport({ WebSocket: FakeSocket as never }),
        heartbeat: { intervalMs: 1000, timeoutMs: 2000, message: 'ping', isPong: (d) => d === 'pong' },
      });
      const closes: unknown[] = [];
      client.on('close', (record) => closes.push(record));
      (sockets[0] as FakeSocket).onOpen?.();
      const tick = () => {
        for (const socket of sockets) socket.bufferedAmount = Math.max(0, socket.bufferedAmount - rate);
        clock.setTimeout(tick, 100);
      };
      clock.setTimeout(tick, 100);
      return { clock, client, closes };
    };

    it('bytes that drain while the app sends more still count (a second upload behind the first)', () => {
      const { clock, client, closes } = linkAt(100); // 1 kB/s, all along
      client.send(new Uint8Array(20_000));
      clock.advance(1500); // ping at 1000, behind ~19 kB
      client.send(new Uint8Array(20_000)); // the backlog grows though bytes drain
      clock.advance(1500); // the pong's deadline, at 3000: 2 kB moved since the ping
      expect(closes).toEqual([]);
    });

    it('bytes a dead peer’s buffers take with room to spare do not (an app that keeps chatting)', () => {
      const { clock, client, closes } = linkAt(1_000_000); // nothing ever waits
      for (let t = 0; t < 3000; t += 200) {
        client.send('chat');
        clock.advance(200);
      }
      expect(closes).toMatchObject([{ code: 1006, initiator: 'heartbeat' }]); // ping 1000, dead 3000
    });
  });
});
