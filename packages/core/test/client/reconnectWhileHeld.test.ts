// The app's own reconnect() while the page holds retries (offline, or hidden with
// pauseWhenHidden): a "retry now" button is the app's call to make, so it connects, also when
// fresh credentials are owed and the refresh hook runs first.
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe("the app's reconnect() while retries are held", () => {
  it.each([
    ['offline', false],
    ['hidden', true],
  ] as const)('connects at once while %s (pauseWhenHidden: %s)', (change, pauseWhenHidden) => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, pauseWhenHidden });
    h.transport.last().fail();
    environment.emit(change);
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1); // held
    h.client.reconnect();
    expect(h.transport.connections).toHaveLength(2);
  });

  it('while offline with credentials owed: the hook runs, and the attempt follows it at once', async () => {
    const environment = createFakeEnvironment();
    const refresh = () => Promise.resolve();
    const h = harness({ environment, refresh });
    h.transport.last().accept();
    h.transport.last().serverClose(3000, 'token expired'); // default: refresh after a back-off
    environment.emit('offline');
    h.client.reconnect();
    await h.clock.advanceAsync(0);
    // Before: 1 — the attempt after the hook was held until online, unlike every other reconnect().
    expect(h.transport.connections).toHaveLength(2);
  });

  it('while offline, joining a hook already running: the attempt follows it at once', async () => {
    const environment = createFakeEnvironment();
    let finish = () => {};
    const h = harness({ environment, refresh: () => new Promise<void>((resolve) => (finish = resolve)) });
    h.transport.last().reject(401); // default: refresh at once
    await h.clock.advanceAsync(0); // the hook is running
    environment.emit('offline');
    h.client.reconnect();
    finish();
    await h.clock.advanceAsync(0);
    // Before: 1, held until online.
    expect(h.transport.connections).toHaveLength(2);
  });

  it('the hook’s attempt without a reconnect() is still held while offline', async () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, refresh: () => Promise.resolve() });
    h.transport.last().reject(401);
    environment.emit('offline');
    await h.clock.advanceAsync(60_000);
    expect(h.transport.connections).toHaveLength(1);
    environment.emit('online');
    await h.clock.advanceAsync(0);
    expect(h.transport.connections).toHaveLength(2);
  });
});
