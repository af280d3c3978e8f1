// A server on this machine (localhost, 127.0.0.0/8, [::1]) answers whatever the network does,
// yet a browser says offline whenever no link but loopback is up: Wi-Fi off with a dev server,
// a kiosk's local agent, an e2e run in a container without a network. A client dialling here
// pays the page's offline no heed: it waited for ever (created offline) or let a working socket
// go (offline while open), where a native WebSocket connects and keeps working.
import { type CloseRecord, createClient } from '@resock/core';
import { createFakeEnvironment, createFakeTransport, createVirtualClock, flushPromises } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';

function client(url: Parameters<typeof createClient>[0]['url'], online = true) {
  const environment = createFakeEnvironment({ online });
  const transport = createFakeTransport();
  const clock = createVirtualClock(0);
  const c = createClient({ url, environment, transport, clock });
  const closes: CloseRecord[] = [];
  c.on('close', (record) => closes.push(record));
  return { c, environment, transport, clock, closes };
}

describe('a client whose server is on this machine, with the network down', () => {
  it.each([
    'ws://localhost:8080/',
    'ws://127.0.0.1:8080/',
    'ws://127.8.9.10/',
    'ws://[::1]:8080/',
    'http://LocalHost/',
  ])('created offline, dials %s at once', (url) => {
    const { c, transport } = client(url, false);
    expect(c.state).toBe('connecting');
    expect(transport.connections).toHaveLength(1);
  });

  it('keeps its open socket when the network goes, and sends go straight out', () => {
    const { c, environment, transport, closes } = client('ws://localhost:8080/');
    transport.last().accept();
    environment.emit('offline');
    expect(c.state).toBe('open');
    expect(transport.last().terminated).toBe(false);
    expect(closes).toEqual([]);
    expect(c.send('hi')).toBe('sent');
  });

  it('retries a refused attempt after its back-off while offline, not parked until online', () => {
    const { c, environment, transport, clock } = client('ws://127.0.0.1:9/');
    environment.emit('offline');
    transport.last().fail();
    expect(c.state).toBe('waiting');
    clock.runNext(); // the retry's timer
    expect(transport.connections).toHaveLength(2);
  });

  it('a url function: dials here once it has said so', async () => {
    const { c, environment, transport } = client(async () => 'ws://localhost:8080/');
    await flushPromises();
    transport.last().accept();
    environment.emit('offline');
    expect(c.state).toBe('open');
  });
});

describe('a client whose server is elsewhere', () => {
  it.each(['wss://api.example.test/', 'ws://10.0.0.2/', 'ws://localhost.example.test/', 'ws://128.0.0.1/'])(
    'created offline, waits for online (%s)',
    (url) => {
      const { c, environment, transport } = client(url, false);
      expect(c.state).toBe('waiting');
      expect(transport.connections).toHaveLength(0);
      environment.emit('online');
      expect(transport.connections).toHaveLength(1);
    },
  );

  it('lets its open socket go when the network goes (no heartbeat to probe it)', () => {
    const { c, environment, transport, closes } = client('wss://api.example.test/');
    transport.last().accept();
    environment.emit('offline');
    expect(c.state).toBe('waiting');
    expect(closes).toMatchObject([{ code: 1006, reason: 'offline' }]);
  });
});
