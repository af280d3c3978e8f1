// disconnect() with the rest of the client: called from listeners and from app code a step runs
// (nothing is dialled, no refresh hook runs), the facade, and the options that keep timers.
import { type CloseRecord, ReconnectingWebSocket } from '@resock/core';
import { createFakeTransport, createVirtualClock, flushPromises, seededRandom } from '@resock/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { harness } from './clientHarness';
import { inWriteClient } from './inWriteClient';

describe('disconnect() from listeners', () => {
  it('from a close listener, when the policy retries at once: nothing is dialled', () => {
    const h = harness({ policy: { preset: 'none', backoff: { type: 'constant', delayMs: 0 } } });
    h.transport.last().accept();
    h.client.once('close', () => h.client.disconnect());
    h.transport.last().serverClose(4000);
    expect(h.client.state).toBe('disconnected');
    // As a close() from the same listener: the retry due at once is given up before it dials
    // (it dialled a socket, the URL and its token on the wire, only to cut it at once).
    expect(h.transport.connections).toHaveLength(1);
    expect(h.client.stats.attempts).toBe(1);
    // It was waiting for that retry: no connecting told, no close for an attempt never dialled.
    expect(h.of<CloseRecord>('close')).toHaveLength(1);
    expect(h.of<{ to: string }>('state').map((s) => s.to)).toEqual(['open', 'waiting', 'disconnected']);
  });

  it('from inside a url function (no token: the app logs out): nothing is dialled', () => {
    let client: { disconnect(): void } | undefined;
    const h = harness({
      url: () => {
        if (client) client.disconnect();
        return 'wss://api.example.test/';
      },
    });
    client = h.client;
    h.transport.last().accept();
    h.transport.last().serverClose(1012); // service restart: retried
    h.clock.advance(60_000);
    expect(h.client.state).toBe('disconnected');
    expect(h.transport.connections).toHaveLength(1);
  });

  it('from a failed listener, then opened(): it waits for the open that open() brings', async () => {
    const h = harness({ policy: { maxAttempts: 1, backoff: { type: 'constant', delayMs: 1000 } } });
    let waited: Promise<unknown> | undefined;
    h.client.once('failed', () => {
      h.client.disconnect(); // disconnected, not failed: as after a disconnect() anywhere else
      waited = h.client.opened().then(
        () => 'opened',
        (error: { name?: string }) => error.name,
      );
    });
    h.transport.last().serverClose(4000);
    h.clock.advance(1000);
    h.transport.last().serverClose(4000);
    expect(h.client.state).toBe('disconnected');
    h.client.open();
    h.transport.last().accept();
    // Rejected with ClientFailedError (opened() makes an exception for a reconnect() waiting in
    // the mailbox, not for a disconnect()).
    expect(await waited).toBe('opened');
  });

  it('from a close listener, when the policy refreshes at once: the refresh hook is not run', async () => {
    const refresh = vi.fn(async () => {});
    const h = harness({ refresh });
    h.transport.last().accept();
    h.client.once('close', () => h.client.disconnect()); // a logout on an expired token
    h.transport.last().serverClose(3000, 'token expired'); // default: refresh, delay 0
    await flushPromises();
    expect(h.client.state).toBe('disconnected');
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('ReconnectingWebSocket once disconnected', () => {
  const facade = (options = {}) => {
    const clock = createVirtualClock(0);
    const transport = createFakeTransport();
    const ws = new ReconnectingWebSocket('wss://chat.example.test/', undefined, {
      transport,
      clock,
      random: seededRandom(3),
      ...options,
    });
    const seen: string[] = [];
    for (const type of ['open', 'close', 'error']) ws.addEventListener(type, () => seen.push(type));
    return { ws, transport, clock, seen };
  };

  it('reads CLOSED once ws.client.disconnect() disconnects it (reconnecting-websocket after close())', () => {
    const { ws, transport } = facade();
    transport.last().accept();
    ws.client.disconnect();
    // Nothing will connect it until open(): code that waits for OPEN on CONNECTING waits for ever,
    // and code ported from reconnecting-websocket checks readyState === CLOSED.
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('close() after disconnect(): no second close event for a socket already closed', async () => {
    const { ws, transport, seen } = facade();
    transport.last().accept();
    ws.client.disconnect();
    expect(seen).toEqual(['open', 'close']);
    ws.close();
    await flushPromises();
    expect(seen).toEqual(['open', 'close']);
  });
});

describe('a disconnected client and the options that keep timers', () => {
  it('no timer left with heartbeat, idleTimeoutMs, maxConnectionAgeMs and stableAfterMs', () => {
    const h = harness({
      heartbeat: { intervalMs: 1000, timeoutMs: 500 },
      idleTimeoutMs: 10_000,
      maxConnectionAgeMs: 60_000,
      stableAfterMs: 5000,
    });
    h.transport.last().accept();
    h.client.disconnect();
    expect(h.clock.pending()).toBe(0);
    h.clock.advance(60 * 60_000);
    expect(h.transport.connections).toHaveLength(1);
    expect(h.transport.connections[0]?.pings).toBe(0);
  });

  it('an idle close after open() of a disconnected client is a plain idle: the next send connects', () => {
    const h = harness({ idleTimeoutMs: 4000 });
    h.transport.last().accept();
    h.client.disconnect();
    h.client.open();
    h.transport.last().accept();
    h.clock.advance(10_000);
    expect(h.of<CloseRecord>('close').at(-1)).toMatchObject({ reason: 'idle' });
    h.client.send('x');
    expect(h.transport.connections).toHaveLength(3);
  });

  it('a greeting awaiting its acceptance: the server hears 1000 disconnect; open() greets anew', () => {
    const h = harness({ greeting: { message: 'hello', isAccepted: (m) => m === 'welcome' } });
    const first = h.transport.last();
    first.accept();
    expect(h.client.state).toBe('connecting');
    h.client.disconnect();
    expect(first.closeCall).toEqual({ code: 1000, reason: 'disconnect' });
    expect(h.of('open')).toEqual([]);
    h.client.send('queued');
    h.client.open();
    h.transport.last().accept();
    h.transport.last().deliver('welcome');
    expect(h.transport.last().sent).toEqual(['hello', 'queued']);
    expect(h.of('open')).toHaveLength(1);
  });

  it('inside a write of a send() flush: the rest waits for open(), nothing after the close frame', () => {
    const { conn, client, closedAt, backlog, fake } = inWriteClient((data, c) => {
      if (data === 'A') c.disconnect();
    });
    conn.goSilent();
    backlog('A', 'B');
    expect(client.send('C')).toBe('queued');
    expect(closedAt).toHaveLength(1);
    expect(conn.sent.slice(closedAt[0])).toEqual([]);
    expect(client.state).toBe('disconnected');
    client.open();
    fake.last().accept();
    expect(fake.last().sent).toEqual(['B', 'C']);
  });
});
