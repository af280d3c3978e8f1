import {
  ClientClosedError,
  CloseReasonTooLongError,
  type DroppedEvent,
  InvalidCloseCodeError,
  InvalidMessageError,
  QueueFullError,
} from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('sending and the queue', () => {
  it('sends at once when open', () => {
    const { client, transport } = harness();
    transport.last().accept();
    expect(client.send('now')).toBe('sent');
    expect(transport.last().sent).toEqual(['now']);
  });

  it('queues while connecting and waiting, then flushes in order before open listeners send', () => {
    const { client, transport, clock } = harness();
    expect(client.send('1')).toBe('queued');
    transport.last().fail();
    expect(client.state).toBe('waiting');
    expect(client.send(new Uint8Array([2]))).toBe('queued');
    client.on('open', () => client.send('4 from an open listener'));
    expect(client.send('3')).toBe('queued');
    expect(client.bufferedAmount).toBe(3);
    clock.advance(1000);
    transport.last().accept();
    expect(transport.last().sent).toEqual(['1', new Uint8Array([2]), '3', '4 from an open listener']);
    expect(client.stats.messagesQueued).toBe(0);
  });

  it('delivers each queued message once, even across several failed attempts', () => {
    const { client, transport, clock } = harness();
    client.send('a');
    client.send('b');
    for (let i = 0; i < 3; i++) {
      transport.last().fail();
      expect(clock.pending()).toBe(1); // only the retry timer
      clock.runNext();
    }
    transport.last().accept();
    const sent = transport.connections.flatMap((c) => c.sent);
    expect(sent).toEqual(['a', 'b']);
  });

  it('drop-newest (default): refuses the new message, returns dropped and tells the app', () => {
    const { client, of } = harness({ queue: { maxMessages: 2 } });
    expect([client.send('1'), client.send('2'), client.send('3')]).toEqual(['queued', 'queued', 'dropped']);
    expect(of<DroppedEvent>('dropped')).toEqual([{ data: '3', reason: 'overflow' }]);
    expect(client.takeQueued()).toEqual(['1', '2']);
  });

  it('reject: a message over maxBytes on its own says so, not that the (empty) queue is full', () => {
    const { client } = harness({ queue: { maxBytes: 10, overflow: 'reject' } });
    expect(() => client.send('x'.repeat(11))).toThrow(new QueueFullError('maxBytes', 10, 11));
    expect(() => client.send('x'.repeat(11))).toThrow(
      'Cannot queue the message: it alone is 11 bytes, over maxBytes (10); nothing queued was dropped.',
    );
    client.send('x'.repeat(6));
    expect(() => client.send('x'.repeat(5))).toThrow(
      'Cannot queue the message: the queue is at maxBytes (10); nothing queued was dropped.',
    );
    expect(client.takeQueued()).toEqual(['x'.repeat(6)]);
  });

  it('drop-oldest: evicts the oldest, tells the app, keeps the new one', () => {
    const { client, of } = harness({ queue: { maxMessages: 2, overflow: 'drop-oldest' } });
    expect([client.send('1'), client.send('2'), client.send('3')]).toEqual(['queued', 'queued', 'queued']);
    expect(of<DroppedEvent>('dropped')).toEqual([{ data: '1', reason: 'overflow' }]);
    expect(client.takeQueued()).toEqual(['2', '3']);
  });

  it('reject: throws QueueFullError at the call and loses nothing already queued', () => {
    const { client, of } = harness({ queue: { maxMessages: 2, overflow: 'reject' } });
    client.send('1');
    client.send('2');
    expect(() => client.send('3')).toThrow(QueueFullError);
    expect(of('dropped')).toEqual([]);
    expect(client.takeQueued()).toEqual(['1', '2']);
  });

  it('bounds the queue by UTF-8 bytes too', () => {
    const { client } = harness({ queue: { maxBytes: 10, overflow: 'drop-oldest' } });
    client.send('ééé'); // 6 bytes
    client.send('abcd'); // 4 bytes: exactly full
    expect(client.bufferedAmount).toBe(10);
    expect(client.send('x')).toBe('queued');
    expect(client.takeQueued()).toEqual(['abcd', 'x']);
    expect(client.send('x'.repeat(11))).toBe('dropped'); // can never fit
  });

  it('queues a message whose send fails on a closing socket instead of losing it', () => {
    const { client, transport } = harness();
    transport.last().accept();
    transport.last().goSilent();
    const broken = transport.last();
    // The fake throws on send once its state is not open; simulate a socket dying under us.
    broken.emitClose({ code: 1006, reason: '', wasClean: false });
    expect(client.send('kept')).toBe('queued');
  });

  it('throws InvalidMessageError for data a WebSocket cannot carry, and keeps the queue', () => {
    const { client } = harness();
    client.send('a');
    expect(() => client.send(42 as never)).toThrow(InvalidMessageError);
    expect(() => client.send({} as never)).toThrow(InvalidMessageError);
    // Only a real Blob or File: something that merely claims the tag has no size to count.
    expect(() => client.send({ [Symbol.toStringTag]: 'Blob' } as never)).toThrow(/Blob/);
    // Nor one with a tag and a size but no way to read it: a browser would send "[object Blob]".
    expect(() => client.send({ [Symbol.toStringTag]: 'Blob', size: 3, type: '' } as never)).toThrow(
      InvalidMessageError,
    );
    expect(client.takeQueued()).toEqual(['a']);
  });

  it('queues a Blob or File as it is, counting its size, and writes it in its place', () => {
    const { client, transport } = harness({ queue: { maxMessages: 10, maxBytes: 10, overflow: 'drop-newest' } });
    const blob = new Blob([new Uint8Array(6)]);
    const file = new File(['abc'], 'a.txt');
    expect(client.send('a')).toBe('queued');
    expect(client.send(blob)).toBe('queued');
    expect(client.send(file)).toBe('queued');
    expect(client.bufferedAmount).toBe(10);
    expect(client.send('b')).toBe('dropped'); // 11 bytes would not fit
    transport.last().accept();
    expect(transport.last().sent).toEqual(['a', blob, file]);
    expect(client.send(new Blob(['now']))).toBe('sent');
  });

  it('a close() with a bad code or reason throws its typed error at the call and changes nothing', () => {
    const { client, transport, of } = harness();
    client.send('queued before');
    expect(() => client.close(1006)).toThrow(InvalidCloseCodeError);
    expect(() => client.close(4000, 'x'.repeat(124))).toThrow(CloseReasonTooLongError);
    expect(of('dropped')).toEqual([]);
    expect(client.state).toBe('connecting');
    transport.last().accept();
    expect(transport.last().sent).toEqual(['queued before']);
  });

  it('throws ClientClosedError after close, and tells the app about what was still queued', async () => {
    const { client, of } = harness();
    client.send('never sent');
    await client.close();
    expect(() => client.send('late')).toThrow(ClientClosedError);
    expect(() => client.reconnect()).toThrow(ClientClosedError);
    expect(() => client.open()).toThrow(ClientClosedError);
    expect(of<DroppedEvent>('dropped')).toEqual([{ data: 'never sent', reason: 'closed' }]);
  });

  it('keeps queued messages when the client fails, for reconnect() to deliver', () => {
    const { client, transport } = harness();
    client.send('kept');
    transport.last().reject(403);
    expect(client.state).toBe('failed');
    expect(client.send('also kept')).toBe('queued');
    client.reconnect();
    transport.last().accept();
    expect(transport.last().sent).toEqual(['kept', 'also kept']);
  });
});

describe('a lazy client', () => {
  it.each([
    ['the queue holds nothing', { maxMessages: 0 }],
    ['the message is larger than maxBytes', { maxBytes: 4 }],
  ])('starts on its first send even when the queue refuses it (%s)', (_why, queue) => {
    const h = harness({ lazy: true, queue });
    expect(h.client.send('too much')).toBe('dropped');
    expect(h.client.state).toBe('connecting');
    expect(h.transport.connections).toHaveLength(1);
  });
});
