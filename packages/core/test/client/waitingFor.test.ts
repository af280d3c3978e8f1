// client.waitingFor: what a waiting client's next attempt waits for besides its delay, for an
// app that shows "reconnecting in 5 s" and must not count down while the retry is held.
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('client.waitingFor', () => {
  it('is undefined while connecting, open, and waiting on its delay alone', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, pauseWhenHidden: true });
    expect(h.client.waitingFor).toBeUndefined(); // connecting
    h.transport.last().accept();
    expect(h.client.waitingFor).toBeUndefined(); // open
    h.transport.last().drop();
    expect(h.client.state).toBe('waiting');
    expect(h.client.waitingFor).toBeUndefined(); // the reconnecting event's delay is all
  });

  it("says 'online' while offline, before the retry falls due and once it is held, until back online", () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().fail();
    environment.emit('offline');
    expect(h.client.waitingFor).toBe('online'); // its timer still runs: when due, it holds
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1);
    expect(h.client.waitingFor).toBe('online');
    environment.emit('online');
    expect(h.client.state).toBe('connecting');
    expect(h.client.waitingFor).toBeUndefined();
  });

  it("says 'online' for a first connection made offline, and nothing for a server on this machine", () => {
    const offline = createFakeEnvironment({ online: false });
    expect(harness({ environment: offline }).client.waitingFor).toBe('online');
    // A browser says offline whenever only loopback is up; such a server still answers.
    const local = harness({ environment: createFakeEnvironment({ online: false }), url: 'ws://127.0.0.1:9/' });
    expect(local.client.state).toBe('connecting');
    local.transport.last().fail();
    expect(local.client.waitingFor).toBeUndefined();
  });

  it("says 'visible' for a retry held while hidden with pauseWhenHidden, not without it", () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, pauseWhenHidden: true });
    h.transport.last().fail();
    environment.emit('hidden');
    expect(h.client.waitingFor).toBe('visible');
    environment.emit('visible');
    expect(h.client.waitingFor).toBeUndefined();
    const unpaused = harness({ environment: createFakeEnvironment({ visible: false }) });
    unpaused.transport.last().fail();
    expect(unpaused.client.waitingFor).toBeUndefined(); // its timer alone decides
  });

  it("says 'pageshow' once the page is put away, offline or not, and 'online' after a restore while offline", () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().accept();
    environment.emit('pagehide');
    expect(h.client.waitingFor).toBe('pageshow');
    environment.emit('offline');
    expect(h.client.waitingFor).toBe('pageshow');
    environment.emit('pageshow');
    expect(h.client.waitingFor).toBe('online');
    environment.emit('online');
    expect(h.client.state).toBe('connecting');
    expect(h.client.waitingFor).toBeUndefined();
  });

  it('is undefined once the client has failed, disconnected or closed', async () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().accept();
    h.transport.last().serverClose(1000); // the server is done: stop
    environment.emit('offline');
    expect(h.client.state).toBe('failed');
    expect(h.client.waitingFor).toBeUndefined();
    h.client.disconnect();
    expect(h.client.waitingFor).toBeUndefined();
    await h.client.close();
    expect(h.client.waitingFor).toBeUndefined();
  });
});
