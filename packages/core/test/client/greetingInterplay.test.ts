// Review: behaviour of the greeting that was checked and found correct (these pass).
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { drops, harness, jsonReliable } from './clientHarness';

const isAck = (data: unknown) => data === 'ack';

describe('greeting with the rest of the client', () => {
  it('resends the unacknowledged after the greeting and its acceptance, before what was queued', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck }, reliable: jsonReliable });
    h.transport.last().accept();
    h.transport.last().deliver('ack');
    h.client.send('{"id":1}');
    h.transport.last().drop();
    h.client.send('{"x":1}');
    h.client.send('{"id":2}');
    h.clock.runNext();
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['init']);
    h.transport.last().deliver('ack');
    expect(h.transport.last().sent).toEqual(['init', '{"id":1}', '{"x":1}', '{"id":2}']);
  });

  it('volatile sends are dropped and ttl sends expire during the wait', () => {
    const h = harness({ greeting: { message: 'init', isAccepted: isAck }, connectTimeoutMs: 10_000 });
    h.transport.last().accept();
    expect(h.client.send('cursor', { volatile: true })).toBe('dropped');
    expect(h.client.send('soon', { ttlMs: 1000 })).toBe('queued');
    h.clock.advance(1000);
    h.transport.last().deliver('ack');
    expect(h.transport.last().sent).toEqual(['init']);
    expect(drops(h.of)).toEqual(['cursor volatile', 'soon expired']);
  });

  it('reconnect(), pagehide and offline during the wait end the attempt; the next one greets again', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, greeting: { message: 'init', isAccepted: isAck } });
    h.transport.last().accept();
    h.client.reconnect();
    expect(h.of('close')).toMatchObject([{ phase: 'connecting', initiator: 'client' }]);
    h.transport.last().accept();
    environment.emit('pagehide');
    expect(h.client.state).toBe('waiting');
    environment.emit('pageshow');
    h.transport.last().accept();
    environment.emit('offline');
    expect(h.of('close')).toHaveLength(3);
    environment.emit('online');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['init']);
    h.transport.last().deliver('ack');
    expect(h.client.state).toBe('open');
    expect(h.of('open')).toHaveLength(1);
  });

  it('the heartbeat starts on the acceptance, not during the wait; stats count it all', () => {
    const h = harness({
      greeting: { message: 'init', isAccepted: isAck },
      heartbeat: { intervalMs: 1000, timeoutMs: 500 },
      connectTimeoutMs: 10_000,
    });
    h.transport.last().accept();
    h.clock.advance(5000);
    expect(h.transport.last().pings).toBe(0);
    h.transport.last().deliver('hello');
    h.transport.last().deliver('ack');
    h.clock.advance(1000);
    expect(h.transport.last().pings).toBe(1);
    expect(h.client.stats).toMatchObject({ messagesSent: 1, messagesReceived: 2, attempts: 1, reconnects: 0 });
  });

  it('the facade is CONNECTING during the wait, OPEN on the acceptance, then hears what came meanwhile', async () => {
    const { ReconnectingWebSocket } = await import('@resock/core');
    const { createFakeTransport } = await import('@resock/core/testing');
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket('wss://x.test/', undefined, {
      transport,
      greeting: { message: 'init', isAccepted: isAck },
    });
    const seen: string[] = [];
    ws.onopen = () => seen.push(`open ${ws.readyState}`);
    ws.onmessage = (e) => seen.push(`message ${e.data}`);
    await Promise.resolve();
    transport.last().accept();
    expect(ws.readyState).toBe(0);
    ws.send('queued');
    transport.last().deliver('hello');
    transport.last().deliver('ack');
    expect(seen).toEqual(['open 1', 'message hello', 'message ack']);
    expect(transport.last().sent).toEqual(['init', 'queued']);
    ws.close();
  });
});
