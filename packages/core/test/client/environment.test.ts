import { type CloseRecord, createClient, InvalidOptionsError } from '@resock/core';
import { createFakeEnvironment, createFakeTransport } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness, URL_WITH_TOKEN } from './clientHarness';

describe('page awareness (environment)', () => {
  it('makes no attempt while offline, and one at once when back online', () => {
    const environment = createFakeEnvironment({ online: false });
    const h = harness({ environment });
    expect(h.client.state).toBe('waiting');
    expect(h.transport.connections).toHaveLength(0);
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(0);
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(1);
  });

  it('holds a retry that falls due while offline, then attempts right after online', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().fail();
    environment.emit('offline');
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1);
    expect(h.clock.pending()).toBe(0);
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('gives up a handshake the network went from under, and attempts at once when back online', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    const stuck = h.transport.last(); // no answer yet
    environment.emit('offline');
    expect(stuck.terminated).toBe(true); // let go (as at connectTimeoutMs), not left to hang
    expect(h.of<CloseRecord>('close')).toMatchObject([
      { code: 1006, phase: 'connecting', initiator: 'transport', reason: 'offline' },
    ]);
    expect(h.client.state).toBe('waiting');
    h.clock.advance(60_000); // past connectTimeoutMs: no attempt while offline
    expect(h.transport.connections).toHaveLength(1);
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
    h.transport.last().accept();
    expect(h.client.state).toBe('open');
  });

  it('on online, attempts at once instead of finishing the back-off', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, random: () => 0.999 });
    for (let i = 0; i < 4; i++) {
      h.transport.last().fail();
      h.clock.runNext();
    }
    h.transport.last().fail(); // the next wait is ~16 s
    environment.emit('offline');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(6);
  });

  it('with pauseWhenHidden, holds retries while hidden and runs the due one when shown', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, pauseWhenHidden: true });
    h.transport.last().fail();
    environment.emit('hidden');
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1);
    environment.emit('visible');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('with pauseWhenHidden, a client created in a hidden page still connects: only retries wait', () => {
    // A page opened in a background tab (middle-click, session restore) is hidden from the start.
    const environment = createFakeEnvironment({ visible: false });
    const h = harness({ environment, pauseWhenHidden: true });
    expect(h.transport.connections).toHaveLength(1);
    h.transport.last().fail();
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(1); // the retry waits for the page
    environment.emit('visible');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('without pauseWhenHidden, an overdue retry (its timer throttled in the background) runs when shown', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().fail();
    environment.emit('hidden');
    h.clock.jump(10_000); // the tab slept: the 1 s timer has not fired
    expect(h.transport.connections).toHaveLength(1);
    environment.emit('visible');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('closes with reconnectCloseCode on pagehide (it means to come back), holds, and reconnects on pageshow', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment }, { terminate: false });
    h.transport.last().accept();
    const socket = h.transport.last();
    environment.emit('pagehide');
    // Not 1000: some servers end the session of a client that closes with 1000.
    expect(socket.closeCall).toEqual({ code: 4000, reason: 'pagehide' });
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({ code: 4000, reason: 'pagehide', initiator: 'client' });
    expect(h.client.state).toBe('waiting');
    expect(h.clock.pending()).toBe(0);
    environment.emit('pageshow');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('a page restored from the bfcache while offline waits for online', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().accept();
    environment.emit('pagehide');
    environment.emit('offline');
    environment.emit('pageshow');
    expect(h.transport.connections).toHaveLength(1);
    expect(h.client.state).toBe('waiting');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2);
  });

  it('a refresh cut short by pagehide runs again on pageshow, before connecting', async () => {
    const environment = createFakeEnvironment();
    const signals: AbortSignal[] = [];
    const h = harness({
      environment,
      refresh: ({ signal }) => {
        signals.push(signal);
        return new Promise<void>(() => undefined); // the token server is slow
      },
    });
    h.transport.last().reject(401);
    await h.clock.advanceAsync(0);
    expect(signals).toHaveLength(1);
    environment.emit('pagehide');
    expect(signals[0]?.aborted).toBe(true);
    environment.emit('pageshow');
    await h.clock.advanceAsync(0);
    expect(signals).toHaveLength(2);
    expect(h.transport.connections).toHaveLength(1); // no attempt with the stale credentials
  });

  it('a refresh that finishes while offline holds the attempt until online', async () => {
    const environment = createFakeEnvironment();
    let finish = () => {};
    const h = harness({ environment, refresh: () => new Promise<void>((resolve) => (finish = resolve)) });
    h.transport.last().reject(401);
    await h.clock.advanceAsync(0); // the hook is running
    environment.emit('offline');
    finish();
    await h.clock.advanceAsync(0);
    expect(h.transport.connections).toHaveLength(1); // nothing dialled offline
    expect(h.client.state).toBe('waiting');
    environment.emit('online');
    expect(h.transport.connections).toHaveLength(2); // fresh credentials, no second refresh
  });

  it('lets go of the environment while failed, and listens again on reconnect()', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().reject(403); // the default policy stops
    expect(h.client.state).toBe('failed');
    expect(environment.listeners).toBe(0);
    h.client.reconnect();
    expect(environment.listeners).toBe(1);
    environment.emit('offline');
    h.transport.last().fail();
    h.clock.advance(60_000);
    expect(h.transport.connections).toHaveLength(2); // held: it hears the page again
  });

  it('closing a failed client leaves no listener behind (none taken up on the way)', async () => {
    const environment = createFakeEnvironment();
    let subscribed = 0;
    const counting = {
      ...environment,
      subscribe: (l: Parameters<typeof environment.subscribe>[0]) => {
        subscribed++;
        return environment.subscribe(l);
      },
    };
    const h = harness({ environment: counting });
    h.transport.last().reject(403);
    await h.client.close();
    expect(environment.listeners).toBe(0);
    expect(subscribed).toBe(1);
  });

  it('turns a subscribe() that throws at creation into InvalidOptionsError, leaving no abort listener', () => {
    const environment = createFakeEnvironment();
    const broken = {
      ...environment,
      subscribe: () => {
        throw new Error('no page here');
      },
    };
    const controller = new AbortController();
    let added = 0;
    const signal = controller.signal;
    const addEventListener = signal.addEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof addEventListener>) => {
      added++;
      addEventListener(...args);
    }) as typeof signal.addEventListener;
    const transport = createFakeTransport();
    expect(() => createClient({ url: URL_WITH_TOKEN, transport, environment: broken, signal })).toThrow(
      InvalidOptionsError,
    );
    expect(() => createClient({ url: URL_WITH_TOKEN, transport, environment: broken })).toThrow(
      /environment: subscribe threw \(Error: no page here\)/,
    );
    expect(added).toBe(0); // the signal holds nothing of a client that was never made
    expect(transport.connections).toEqual([]);
  });

  it('closes cleanly when subscribe() returned no function to let go with', async () => {
    // An RxJS-style subscription object instead of the function the Environment type asks for.
    const environment = createFakeEnvironment();
    const h = harness({ environment: { ...environment, subscribe: () => ({ unsubscribe() {} }) as never } });
    h.transport.last().accept();
    const record = await h.client.close();
    expect(record.code).toBe(1000);
    expect(h.of('error')).toEqual([]);
  });

  it('lets go of the environment when closed', async () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    expect(environment.listeners).toBe(1);
    await h.client.close();
    expect(environment.listeners).toBe(0);
  });
});

describe('timers that fire late (a throttled or frozen tab)', () => {
  it('does not declare a peer dead because the heartbeat check itself ran late', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    h.transport.last().accept();
    h.clock.advance(1000); // ping sent; the pong is answered
    h.transport.last().goSilent();
    h.clock.advance(1000); // second ping, unanswered so far
    h.clock.jump(30_000); // the tab froze before the check
    h.clock.advance(0);
    expect(h.client.state).toBe('open'); // asked again instead
    expect(h.transport.last().pings).toBe(3);
    h.clock.advance(500);
    // And now it really is dead: let go, the retry 0–1 s away.
    expect(h.client.state).toBe('waiting');
    expect(h.client.lastClose).toMatchObject({ code: 1006, initiator: 'heartbeat' });
  });

  it('still finds a dead peer when every check runs late (a tab throttled for good)', () => {
    const h = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    h.transport.last().accept();
    h.transport.last().goSilent();
    h.clock.advance(1000); // ping, unanswered
    h.clock.jump(60_000); // intensive throttling: timers wake about once a minute
    h.clock.advance(0);
    expect(h.client.state).toBe('open'); // the first late check asks again
    h.clock.jump(60_000);
    h.clock.advance(0);
    expect(h.client.state).toBe('waiting'); // the next one decides, however late
    expect(h.client.lastClose).toMatchObject({ code: 1006, initiator: 'heartbeat' });
  });

  it('gives a close deadline that fired late one more second for the queued close', async () => {
    const h = harness();
    h.transport.last().accept();
    h.transport.last().goSilent();
    const closing = h.client.close(4000, 'bye');
    h.clock.jump(20_000); // frozen past the 3 s close deadline
    h.clock.advance(0);
    expect(h.client.state).toBe('closing'); // one more second
    h.transport.last().serverClose(4000, 'bye'); // the server's answer was waiting in the queue
    await expect(closing).resolves.toMatchObject({ code: 4000, wasClean: true, synthetic: false });
  });

  it('gives a connect deadline that fired late one more second for the queued open', () => {
    const h = harness({ connectTimeoutMs: 2000 });
    h.clock.jump(20_000);
    h.clock.advance(0);
    expect(h.client.state).toBe('connecting');
    h.transport.last().accept();
    expect(h.client.state).toBe('open');
  });
});
