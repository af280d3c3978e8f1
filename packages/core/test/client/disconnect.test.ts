// disconnect(): let the connection go for now and keep the client — its listeners, its queue and
// what waits for an ack — until open() or reconnect(), as socket.io's disconnect()/connect(),
// centrifuge's and reconnecting-websocket's close()/reconnect() do; close() stays final.
import { ClientClosedError, type CloseRecord, type ReliableOptions, type StateEvent } from '@resock/core';
import { flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

/** 'tracked' is tracked under id 1; 'ack' acknowledges it. */
const reliable: ReliableOptions = {
  id: (message) => (message === 'tracked' ? 1 : undefined),
  ackOf: (incoming) => (incoming === 'ack' ? 1 : undefined),
};

describe('disconnect()', () => {
  it('closes an open connection with 1000 disconnect, and the client is disconnected: no decision, no retry', () => {
    const h = harness();
    const socket = h.transport.last();
    socket.accept();
    h.client.disconnect();
    expect(socket.closeCall).toEqual({ code: 1000, reason: 'disconnect' });
    expect(h.client.state).toBe('disconnected');
    expect(h.of<CloseRecord>('close')).toMatchObject([{ code: 1000, reason: 'disconnect', initiator: 'client' }]);
    expect(h.of<StateEvent>('state').at(-1)).toEqual({ from: 'open', to: 'disconnected' });
    expect(h.of('reconnecting')).toEqual([]);
    h.clock.advance(60 * 60_000);
    expect(h.transport.connections).toHaveLength(1);
    expect(h.clock.pending()).toBe(0); // nothing left running: a Node process may exit
  });

  it('keeps what is sent meanwhile, in order, without connecting; open() connects and sends it', async () => {
    const h = harness();
    h.transport.last().accept();
    h.client.disconnect();
    expect(h.client.send('one')).toBe('queued');
    const waiting = h.client.opened(); // waits: it does not connect a held client
    const delivered = h.client.deliver('two');
    expect(h.transport.connections).toHaveLength(1);
    h.client.open();
    expect(h.transport.connections).toHaveLength(2);
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['one', 'two']);
    await expect(waiting).resolves.toMatchObject({ attempt: 1 });
    await expect(delivered).resolves.toBe('sent');
    expect(h.client.stats.reconnects).toBe(0); // a fresh start, as after an idle close
  });

  it('keeps unacknowledged messages, sent again once open() connects', () => {
    const h = harness({ reliable });
    h.transport.last().accept();
    h.client.send('tracked');
    h.client.disconnect();
    expect(h.client.stats.messagesUnacked).toBe(1);
    h.client.open();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['tracked']);
  });

  it('gives up an attempt under way, or the wait for the next one (and a refresh hook running)', async () => {
    const h = harness({
      refresh: ({ signal }) =>
        new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    const first = h.transport.last();
    h.client.disconnect(); // connecting: the handshake is cut
    expect(first.closeCall ?? first.terminated).toBeTruthy();
    expect(h.client.state).toBe('disconnected');
    h.client.open();
    h.transport.last().serverClose(4000);
    expect(h.client.state).toBe('waiting');
    h.client.disconnect(); // waiting: its timer goes
    expect(h.client.state).toBe('disconnected');
    h.clock.advance(60 * 60_000);
    expect(h.transport.connections).toHaveLength(2);
    h.client.open();
    h.transport.last().reject(401); // the default policy refreshes the credentials first
    expect(h.client.state).toBe('waiting');
    h.client.disconnect();
    await flushPromises();
    expect(h.of('error')).toEqual([]); // the hook was aborted, not failed
    expect(h.transport.connections).toHaveLength(3);
    expect(h.clock.pending()).toBe(0);
  });

  it('holds a failed client too; open() and reconnect() connect again, the back-off from its start', () => {
    const h = harness({ policy: { maxAttempts: 1, backoff: { type: 'constant', delayMs: 1000 } } });
    h.transport.last().serverClose(4000);
    h.clock.advance(1000);
    h.transport.last().serverClose(4000);
    expect(h.client.state).toBe('failed');
    h.client.disconnect();
    expect(h.client.state).toBe('disconnected');
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(3);
    h.transport.last().serverClose(4000); // an outage of its own: attempt 1 again
    expect(h.of<{ attempt: number }>('reconnecting').at(-1)).toMatchObject({ attempt: 1 });
  });

  it('throws ClientClosedError once the app closed the client, as reconnect() does', async () => {
    const h = harness();
    h.transport.last().accept();
    const closing = h.client.close();
    expect(() => h.client.disconnect()).toThrow(ClientClosedError);
    await expect(closing).resolves.toMatchObject({ code: 1000, initiator: 'client' });
    expect(() => h.client.disconnect()).toThrow(ClientClosedError);
  });
});
