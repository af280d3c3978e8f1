// A transport may call back from inside send() — an in-memory or loopback transport answers at
// once, a hand-written one reports a drop it noticed while writing. Nothing it reports is acted
// on until the write and its bookkeeping are done, so a listener that sends again finds every
// message written once or in its place, and sends behind what was sent before it.
import { createClient, type DroppedEvent, type ReliableOptions, type Transport } from '@resock/core';
import { createFakeTransport, createVirtualClock, type FakeConnection } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { callingBack, harness } from './clientHarness';

/** Messages are JSON `{ id, … }`; the peer acknowledges with `{ ack: id }`. */
const reliable: ReliableOptions = {
  id: (message) => (typeof message === 'string' ? (JSON.parse(message) as { id?: number }).id : undefined),
  ackOf: (incoming) => (typeof incoming === 'string' ? (JSON.parse(incoming) as { ack?: number }).ack : undefined),
};
const msg = (id: number) => JSON.stringify({ id, body: `m${id}` });
const untracked = (name: string) => JSON.stringify({ name });

/**
 * The server answers a write from inside the same send() call (an in-memory or loopback
 * transport) — every write, or once armed only the next one — and after `refuseAfter` more
 * writes the socket refuses (its close has begun).
 */
function loopback(answerEvery = false) {
  let echo = false;
  let writesLeft = Number.POSITIVE_INFINITY;
  const { fake, transport } = callingBack((conn, send, data) => {
    if (writesLeft-- <= 0) throw new Error('the socket is closing');
    send();
    if (answerEvery || echo) {
      echo = false;
      conn.deliver(`reply to ${String(data)}`);
    }
  });
  return {
    fake,
    transport,
    echoNextWrite: () => {
      echo = true;
    },
    refuseAfter: (writes: number) => {
      writesLeft = writes;
    },
  };
}

describe('a transport that reports the close from inside send()', () => {
  /**
   * The fake transport, except that the next write on a connection, once armed, is followed by
   * the link dropping inside the same send() call (a hand-written transport that learns of the
   * dead socket while writing and reports it at once).
   */
  function dropInsideSend() {
    let armed: FakeConnection | undefined;
    const { fake, transport } = callingBack((conn, send) => {
      send();
      if (armed === conn) {
        armed = undefined;
        conn.drop();
      }
    });
    return { fake, transport, arm: () => (armed = fake.last()) };
  }

  // Messages go out in send() order: a listener's send made while send(b) runs comes after b.
  it('a message sent by a listener during send(b) does not jump ahead of b', () => {
    const t = dropInsideSend();
    const h = harness({ transport: t.transport });
    t.fake.last().accept();
    t.fake.last().refuseSends(); // backpressure: 'a' waits in the queue
    expect(h.client.send('a')).toBe('queued');
    t.fake.last().refuseSends(false);
    t.arm(); // writing 'a' (flushed by the next send) kills the link inside that write
    h.client.on('state', ({ to }) => {
      if (to === 'waiting') h.client.send('c'); // e.g. "resubscribe" queued on a drop
    });
    expect(h.client.send('b')).toBe('queued');
    h.clock.runNext();
    t.fake.last().accept();
    expect(t.fake.last().sent).toEqual(['b', 'c']);
  });

  it('…and close() hands the two back in the order they were handed to send()', async () => {
    const t = dropInsideSend();
    const h = harness({ transport: t.transport });
    t.fake.last().accept();
    t.fake.last().refuseSends();
    h.client.send('a');
    t.fake.last().refuseSends(false);
    t.arm();
    h.client.on('state', ({ to }) => {
      if (to === 'waiting') h.client.send('c');
    });
    h.client.send('b');
    await h.client.close();
    expect(h.of<DroppedEvent>('dropped').map((e) => e.data)).toEqual(['b', 'c']);
  });
});

describe('a transport that delivers a message from inside send() (loopback)', () => {
  /** A client whose `message` listener answers the first server message with a send (a common pattern). */
  function answering(options: Parameters<typeof harness>[0] = {}) {
    const t = loopback();
    const h = harness({ transport: t.transport, ...options });
    let answered = false;
    h.client.on('message', () => {
      if (answered) return;
      answered = true;
      h.client.send(JSON.stringify({ name: 'answer' }));
    });
    return { t, h };
  }

  // Without `reliable`, no message is written twice.
  it('a queued message is written once when a listener sends while it is being flushed', () => {
    const { t, h } = answering();
    t.fake.last().accept();
    t.fake.last().refuseSends();
    h.client.send(untracked('a')); // waits: the socket refused it
    t.fake.last().refuseSends(false);
    t.echoNextWrite(); // the server answers 'a' from inside its write
    h.client.send(untracked('b')); // flushes 'a' first
    // 'b' was handed to send() before the listener's answer: it goes first.
    expect(t.fake.last().sent).toEqual([untracked('a'), untracked('b'), untracked('answer')]);
  });

  // Every message is written, queued or reported dropped: none is lost without a word.
  it('…and no queued message vanishes when that nested flush is cut short', () => {
    const { t, h } = answering();
    t.fake.last().accept();
    t.fake.last().refuseSends();
    h.client.send(untracked('a'));
    h.client.send(untracked('x'));
    t.fake.last().refuseSends(false);
    t.echoNextWrite();
    t.refuseAfter(2); // 'a' goes, then (inside it) 'a' again, then the socket's close begins
    h.client.send(untracked('b'));
    const accounted = [
      ...t.fake.last().sent,
      ...h.client.takeQueued(),
      ...h.of<DroppedEvent>('dropped').map((e) => e.data),
    ];
    expect(accounted).toContain(untracked('x'));
  });

  it('with reliable, a tracked message sent while open is written once per connection', () => {
    const { t, h } = answering({ reliable });
    t.fake.last().accept();
    t.echoNextWrite();
    expect(h.client.send(msg(1))).toBe('sent');
    expect(t.fake.last().sent).toEqual([msg(1), untracked('answer')]);
  });
});

describe('what a transport reports from inside send() is replayed in the order it was made', () => {
  // A request/response app: on "reply to a" it sends "b". The transport answered a, then x (both
  // written by the open's flush), and only later b: the app must hear the replies in that order,
  // as a WebSocket delivers messages in order.
  it('a reply to a message written by a replayed callback does not overtake earlier held replies', () => {
    const t = loopback(true);
    const h = harness({ transport: t.transport });
    h.client.send('a'); // queued: still connecting
    h.client.send('x');
    h.client.on('message', (data) => {
      if (data === 'reply to a') h.client.send('b');
    });
    t.fake.last().accept(); // the open's flush writes a, then x
    expect(t.fake.last().sent).toEqual(['a', 'x', 'b']);
    expect(h.of('message')).toEqual(['reply to a', 'reply to x', 'reply to b']);
  });

  it('…the same when the app’s own send() flushes what waited', () => {
    const t = loopback(true);
    const h = harness({ transport: t.transport });
    t.fake.last().accept();
    t.fake.last().refuseSends();
    h.client.send('a');
    h.client.send('x');
    t.fake.last().refuseSends(false);
    h.client.on('message', (data) => {
      if (data === 'reply to a') h.client.send('b');
    });
    h.client.send('y'); // flushes a and x first, then y
    expect(t.fake.last().sent).toEqual(['a', 'x', 'y', 'b']);
    expect(h.of('message')).toEqual(['reply to a', 'reply to x', 'reply to y', 'reply to b']);
  });
});

describe('a message that arrived during a write is heard even if the app then lets go of its connection', () => {
  // "reply to a" arrived while a was written; later in the same send() a `dropped` listener
  // calls reconnect(). The reply arrived first, so the app hears it.
  it('a reply that arrived before a dropped-listener’s reconnect() still reaches the app', () => {
    const t = loopback(true);
    const h = harness({
      transport: t.transport,
      queue: { maxMessages: 100, maxBytes: 10, overflow: 'drop-newest' },
    });
    t.fake.last().accept();
    t.fake.last().refuseSends();
    h.client.send('a');
    h.client.send('x');
    t.fake.last().refuseSends(false);
    t.refuseAfter(1); // a goes (and is answered inside its write), then x is refused
    h.client.on('dropped', () => h.client.reconnect());
    expect(h.client.send('b'.repeat(20))).toBe('dropped'); // larger than the queue: dropped
    expect(t.fake.connections[0]?.sent).toEqual(['a']);
    expect(t.fake.connections).toHaveLength(2); // the reconnect happened
    expect(h.of('message')).toEqual(['reply to a']);
  });
});

describe('a signal aborted from inside a write of the flush', () => {
  // A hand-written in-process transport: its "server" cancels the batch when it receives A
  // (app code run inside send() may abort a signal). resock's abort listener took A out while A
  // was being written; the flush then took the next one, B, out unwritten and untold.
  it('does not lose the next queued message', () => {
    const fake = createFakeTransport();
    const controller = new AbortController();
    const transport: Transport = {
      connect(request, handlers) {
        const platform = fake.connect(request, handlers);
        return {
          send(data) {
            platform.send(data);
            if (data === 'A') controller.abort();
          },
          close: (code, reason) => platform.close(code, reason),
        };
      },
    };
    const client = createClient({ url: 'wss://x.test/', transport, clock: createVirtualClock(0) });
    const dropped: string[] = [];
    client.on('dropped', ({ data, reason }: DroppedEvent) => dropped.push(`${String(data)} ${reason}`));
    expect(client.send('A', { signal: controller.signal })).toBe('queued');
    expect(client.send('B')).toBe('queued');
    fake.last().accept();
    // B is written, still waits, or is told dropped: every message is accounted for exactly once.
    const accounted =
      fake.last().sent.filter((d) => d === 'B').length +
      dropped.filter((d) => d.startsWith('B ')).length +
      client.takeQueued().filter((d) => d === 'B').length;
    expect(accounted).toBe(1);
    void client.close();
  });
});
