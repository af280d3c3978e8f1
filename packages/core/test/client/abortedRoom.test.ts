import { type DroppedEvent, QueueFullError } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { drops, harness, jsonReliable as reliable } from './clientHarness';

/**
 * The app's own abort listener (added before the send, so it runs before resock's) sends a
 * follow-up. At that moment the first message's signal is aborted: it is out (as in flush(),
 * takeQueued() and close()), so it takes no room from the follow-up, as an expired one takes none.
 */
function abortAndSendFromOwnListener(h: ReturnType<typeof harness>, first: string, second: string) {
  const controller = new AbortController();
  let result: unknown;
  controller.signal.addEventListener('abort', () => {
    try {
      result = h.client.send(second);
    } catch (error) {
      result = error;
    }
  });
  expect(h.client.send(first, { signal: controller.signal })).toBe('queued');
  controller.abort();
  return result;
}

describe('a message whose signal the app aborted, its own abort listener sending before resock hears it, takes no room', () => {
  it('drop-newest: the follow-up is refused for a room held by the aborted message, which then leaves too', () => {
    const h = harness({ queue: { maxMessages: 1 } });
    const result = abortAndSendFromOwnListener(h, 'A', 'B');
    // A is out (aborted); B fits in the queue it leaves.
    expect(result).toBe('queued');
    expect(drops(h.of)).toEqual(['A aborted']);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['B']);
  });

  it('drop-oldest: the aborted message is told as aborted, not as an overflow eviction', () => {
    const h = harness({ queue: { maxMessages: 1, overflow: 'drop-oldest' } });
    abortAndSendFromOwnListener(h, 'A', 'B');
    expect(h.of<DroppedEvent>('dropped')).toEqual([{ data: 'A', reason: 'aborted' }]);
  });

  it('reject: no QueueFullError for a queue whose only message is aborted', () => {
    const h = harness({ queue: { maxMessages: 1, overflow: 'reject' } });
    const result = abortAndSendFromOwnListener(h, 'A', 'B');
    expect(result).not.toBeInstanceOf(QueueFullError);
    expect(result).toBe('queued');
  });

  it('reliable, drop-newest: an aborted, unacknowledged entry does not take the outbox room of a fresh one', () => {
    const h = harness({ reliable, queue: { maxMessages: 1 } });
    h.transport.last().accept();
    const controller = new AbortController();
    let result: unknown;
    controller.signal.addEventListener('abort', () => {
      result = h.client.send('{"id":2}');
    });
    expect(h.client.send('{"id":1}', { signal: controller.signal })).toBe('sent'); // waits for its ack
    controller.abort();
    expect(result).toBe('sent');
    expect(drops(h.of)).toEqual(['{"id":1} aborted']);
    expect(h.client.stats.messagesUnacked).toBe(1);
  });
});

describe('an aborted message replaced under its id from the app’s own abort listener', () => {
  // The outbox is not full: the replacement let go of the aborted copy's hold on the signal, and
  // resock's abort listener went with it mid-dispatch; the copy vanished untold.
  it('is told as aborted, full outbox or not', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    const controller = new AbortController();
    controller.signal.addEventListener('abort', () => h.client.send('{"id":1,"v":2}'));
    expect(h.client.send('{"id":1,"v":1}', { signal: controller.signal })).toBe('sent');
    controller.abort();
    expect(drops(h.of)).toEqual(['{"id":1,"v":1} aborted']);
  });
});

describe('a dropped listener that aborts the signal of another message being taken out', () => {
  it('a dropped listener that aborts a message being handed back: takeQueued() still hands it back', () => {
    const h = harness();
    const gone = new AbortController();
    const later = new AbortController();
    // The app's own listener on `gone` runs before resock's, so takeQueued() finds it aborted.
    gone.signal.addEventListener('abort', () => {
      taken = h.client.takeQueued();
    });
    let taken: unknown;
    h.client.send('cancelled', { signal: gone.signal });
    h.client.send('kept', { signal: later.signal });
    // Told of 'cancelled', the app gives up on the rest too: 'kept' is already handed back.
    h.client.on('dropped', () => later.abort());
    gone.abort();
    expect(taken).toEqual(['kept']);
    expect(drops(h.of)).toEqual(['cancelled aborted']);
  });

  it('close() tells each message the reason it had when taken out, not one a listener gave it later', async () => {
    const h = harness();
    const later = new AbortController();
    h.client.send('first');
    h.client.send('second', { signal: later.signal });
    h.client.on('dropped', () => later.abort());
    await h.client.close();
    expect(drops(h.of)).toEqual(['first closed', 'second closed']);
  });
});
