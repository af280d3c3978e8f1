import {
  type CloseRecord,
  definePolicy,
  InvalidOptionsError,
  type ReliableOptions,
  type StateEvent,
} from '@resock/core';
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const hour = 60 * 60_000;
const maxConnectionAgeMs = 2 * hour;

/** An open client whose connections move before `maxConnectionAgeMs`; `random` places the move. */
function openAged(random: () => number, options: Parameters<typeof harness>[0] = {}) {
  const h = harness({ maxConnectionAgeMs, random, ...options });
  h.transport.last().accept();
  return h;
}

describe('maxConnectionAgeMs: moving to a new connection before a server cuts the old one', () => {
  it('lets an open connection go with reconnectCloseCode (max-age) at its age and dials again at once', () => {
    const h = openAged(() => 0); // the latest point: the age itself
    const first = h.transport.last();
    h.clock.advance(maxConnectionAgeMs - 1);
    expect(h.client.state).toBe('open');
    h.clock.advance(1);
    expect(first.closeCall).toEqual({ code: 4000, reason: 'max-age' });
    expect(h.of<CloseRecord>('close')).toMatchObject([
      { code: 4000, reason: 'max-age', initiator: 'client', phase: 'open' },
    ]);
    expect(h.transport.connections).toHaveLength(2); // no back-off: as reconnect()
    expect(h.of('reconnecting')).toEqual([]); // no failure, no decision
    expect(h.of<StateEvent>('state').slice(-1)).toEqual([{ from: 'open', to: 'connecting' }]);
    h.transport.last().accept();
    expect(h.client.stats.reconnects).toBe(1);
  });

  it('moves at a random point in the age’s last tenth, so clients connected together move apart', () => {
    for (const [random, at] of [
      [0.999_999, 0.9],
      [0.5, 0.95],
    ] as const) {
      const h = openAged(() => random);
      const atMs = Math.ceil(maxConnectionAgeMs * (1 - 0.1 * random));
      h.clock.advance(atMs - 1);
      expect(h.client.state).toBe('open');
      h.clock.advance(1);
      expect(h.client.state, `random ${random}: at ${at} of the age`).toBe('connecting');
    }
  });

  it('times each connection from its own open, and a connection that ends earlier leaves no timer', () => {
    const h = openAged(() => 0);
    h.clock.advance(hour);
    h.transport.last().serverClose(1012, 'restart');
    const retried = h.of<{ delayMs: number }>('reconnecting')[0];
    h.clock.advance(retried?.delayMs ?? 0);
    h.transport.last().accept();
    h.clock.advance(hour + hour / 2); // the first one's age has passed, not this one's
    expect(h.client.state).toBe('open');
    expect(h.transport.connections).toHaveLength(2);
    h.clock.advance(hour / 2);
    expect(h.transport.connections[1]?.closeCall).toEqual({ code: 4000, reason: 'max-age' });
  });

  it('a connection that ends leaves no timer behind (a failed client keeps no process alive)', () => {
    const h = openAged(() => 0, { policy: definePolicy({ rules: [{ codes: [4999], action: 'stop' }] }) });
    h.transport.last().serverClose(4999, 'go away');
    expect(h.client.state).toBe('failed');
    expect(h.clock.pending()).toBe(0);
  });

  it('after close() nothing is left running', async () => {
    const h = openAged(() => 0);
    const closing = h.client.close();
    h.transport.last().serverClose(1000, '');
    await closing;
    expect(h.clock.pending()).toBe(0);
  });

  it('offline, keeps the open socket, and moves as soon as the device is back online', () => {
    const environment = createFakeEnvironment();
    // With a heartbeat, offline probes the open socket (it answers) instead of letting it go.
    const h = openAged(() => 0, { environment, heartbeat: true });
    h.clock.advance(maxConnectionAgeMs - 1000);
    environment.emit('offline'); // a blip across the due time (a tunnel, a Wi-Fi handover)
    h.clock.advance(60 * 60_000);
    expect(h.client.state).toBe('open');
    expect(h.transport.connections).toHaveLength(1);
    environment.emit('online');
    expect(h.transport.connections[0]?.closeCall).toEqual({ code: 4000, reason: 'max-age' });
    expect(h.transport.connections).toHaveLength(2);
  });

  it('back online before it is due, it waits for its time', () => {
    const environment = createFakeEnvironment();
    const h = openAged(() => 0, { environment, heartbeat: true });
    environment.emit('offline');
    environment.emit('online');
    h.clock.advance(maxConnectionAgeMs - 1);
    expect(h.transport.connections).toHaveLength(1);
    h.clock.advance(1);
    expect(h.transport.connections).toHaveLength(2);
  });

  it('what waits for an ack goes again on the new connection, and what is sent meanwhile waits for its open', () => {
    const reliable: ReliableOptions = {
      id: (message) => (message === 'tracked' ? 1 : undefined),
      ackOf: () => undefined,
    };
    const h = openAged(() => 0, { reliable });
    h.client.send('tracked');
    h.clock.advance(maxConnectionAgeMs);
    expect(h.client.send('later')).toBe('queued');
    h.transport.last().accept();
    expect(h.transport.last().sent).toEqual(['tracked', 'later']);
  });

  it('refuses what is not a duration, and less than a second (each move dials anew), at createClient', () => {
    for (const bad of [-1, Number.NaN, '2h', 2 ** 31, 1, 999]) {
      expect(() => harness({ maxConnectionAgeMs: bad as number })).toThrow(InvalidOptionsError);
      expect(() => harness({ maxConnectionAgeMs: bad as number })).toThrow(/maxConnectionAgeMs/);
    }
    expect(harness({ maxConnectionAgeMs: 1000 }).client.state).toBe('connecting');
  });

  it('with idleTimeoutMs, refuses an age a quiet connection would reach before its idle close', () => {
    // The idle close comes by 1.25 × idleTimeoutMs; a move from 0.9 × the age: above 1.39 ×.
    const idleTimeoutMs = 10 * 60_000;
    expect(() => harness({ idleTimeoutMs, maxConnectionAgeMs: 5 * 60_000 })).toThrow(
      /maxConnectionAgeMs: with idleTimeoutMs 600000, expected > 833333/,
    );
    expect(() => harness({ idleTimeoutMs, maxConnectionAgeMs: 833_333 })).toThrow(InvalidOptionsError);
    const h = harness({ idleTimeoutMs, maxConnectionAgeMs: 833_334, random: () => 0.999_999 });
    h.transport.last().accept();
    h.clock.advance(idleTimeoutMs * 1.25);
    expect(h.client.state).toBe('idle'); // a quiet connection: closed as idle, never moved
    expect(h.of<CloseRecord>('close').map((r) => r.reason)).toEqual(['idle']);
  });

  it('is timed from the open the app is told: after a greeting’s acceptance', () => {
    const h = harness({
      maxConnectionAgeMs,
      random: () => 0,
      greeting: { message: 'hello', isAccepted: (message: unknown) => message === 'welcome' },
    });
    const socket = h.transport.last();
    socket.accept();
    h.clock.advance(5000); // the server takes 5 s to accept
    socket.deliver('welcome');
    expect(h.client.state).toBe('open');
    h.clock.advance(maxConnectionAgeMs - 1);
    expect(socket.closeCall).toBeUndefined();
    h.clock.advance(1);
    expect(socket.closeCall).toEqual({ code: 4000, reason: 'max-age' });
  });

  it('0 is never', () => {
    const h = openAged(() => 0, { maxConnectionAgeMs: 0 });
    h.clock.advance(30 * 24 * hour);
    expect(h.transport.connections).toHaveLength(1);
  });
});
