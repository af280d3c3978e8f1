// App code run from inside a write of the flush (an abort listener a hand-written transport's
// send triggers): the message being written is in flight, neither written again by a send made
// there, nor taken out as dropped, nor confused with a copy that replaced it under its id.
import { createClient, type DroppedEvent, type Transport } from '@resock/core';
import { createFakeTransport, createVirtualClock } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { jsonReliable } from './clientHarness';

/** A hand-written in-process transport: `during(data)` runs inside each write, after the frame left. */
function setup(during: (data: unknown) => void, refuse: (data: unknown) => boolean = () => false, reliable = false) {
  const fake = createFakeTransport();
  const transport: Transport = {
    connect(request, handlers) {
      const platform = fake.connect(request, handlers);
      return {
        send(data) {
          if (refuse(data)) throw new Error('busy');
          platform.send(data);
          during(data);
        },
        close: (code, reason) => platform.close(code, reason),
      };
    },
  };
  const client = createClient({
    url: 'wss://x.test/',
    transport,
    clock: createVirtualClock(0),
    ...(reliable ? { reliable: jsonReliable } : {}),
  });
  const dropped: string[] = [];
  client.on('dropped', ({ data, reason }: DroppedEvent) => dropped.push(`${String(data)} ${reason}`));
  return { fake, client, dropped };
}

describe('a send made from inside the write of a queued message', () => {
  it('does not write the message being written a second time', () => {
    // The app's listener of some other signal sends; that signal is aborted inside A's write.
    const other = new AbortController();
    const { fake, client } = setup((data) => data === 'A' && other.abort());
    other.signal.addEventListener('abort', () => client.send('C'));
    expect(client.send('A')).toBe('queued');
    expect(client.send('B')).toBe('queued');
    fake.last().accept();
    // Actual: ['A', 'A', 'B', 'C'] — the nested flush found A still at the head and wrote it again.
    expect(fake.last().sent).toEqual(['A', 'B', 'C']);
    void client.close();
  });
});

describe('a message whose signal is aborted inside its own write', () => {
  it('is not told dropped as aborted: it went out', () => {
    const controller = new AbortController();
    const { fake, client, dropped } = setup((data) => data === 'A' && controller.abort());
    expect(client.send('A', { signal: controller.signal })).toBe('queued');
    fake.last().accept();
    expect(fake.last().sent).toEqual(['A']);
    // Actual: ['A aborted'] — written to the socket (messagesSent 1) and also dropped (messagesDropped 1).
    expect(dropped).toEqual([]);
    void client.close();
  });
});

describe('a tracked copy replaced under its id from inside its own write', () => {
  it('the replacement, refused once, keeps its place and goes out before a later send', () => {
    const controller = new AbortController();
    let refuseOnce = true;
    const { fake, client } = setup(
      (data) => data === '{"id":1,"v":1}' && controller.abort(),
      (data) => {
        if (data !== '{"id":1,"v":2}' || !refuseOnce) return false;
        refuseOnce = false;
        return true;
      },
      true,
    );
    expect(client.send('{"id":1,"v":1}', { signal: controller.signal })).toBe('queued');
    // Added after the send: resock's own listener withdraws v1 first, then this one replaces it.
    controller.signal.addEventListener('abort', () => client.send('{"id":1,"v":2}'));
    fake.last().accept();
    // The socket takes messages again: what waits goes first.
    client.send('{"id":3}');
    // Actual: ['{"id":1,"v":1}', '{"id":3}'] — the flush marked id 1 sent after writing v1, and
    // so the unwritten v2 under that id: it is never written on this connection, and id 3 overtook it.
    expect(fake.last().sent).toEqual(['{"id":1,"v":1}', '{"id":1,"v":2}', '{"id":3}']);
    void client.close();
  });
});

describe('takeQueued() from inside the write of a queued message', () => {
  it('does not hand back the message being written: it went out', () => {
    let taken: unknown[] = [];
    const { fake, client } = setup((data) => {
      if (data === 'A') taken = client.takeQueued();
    });
    expect(client.send('A')).toBe('queued');
    expect(client.send('B')).toBe('queued');
    fake.last().accept();
    expect(fake.last().sent).toEqual(['A']);
    expect(taken).toEqual(['B']); // A is on the wire: handed back, the app would send it again
    void client.close();
  });

  it('does not tell it dropped when its signal was aborted first: it went out', () => {
    const controller = new AbortController();
    const { fake, client, dropped } = setup((data) => {
      if (data !== 'A') return;
      controller.abort(); // A is in flight: resock's own listener leaves it be
      client.takeQueued();
    });
    expect(client.send('A', { signal: controller.signal })).toBe('queued');
    fake.last().accept();
    expect(fake.last().sent).toEqual(['A']);
    expect(dropped).toEqual([]);
    void client.close();
  });
});
