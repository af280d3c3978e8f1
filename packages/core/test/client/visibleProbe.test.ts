import type { CloseRecord } from '@resock/core';
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const heartbeat = { intervalMs: 30_000, timeoutMs: 2000 };

/**
 * An open socket whose peer answers only when told to, in a page that is then hidden for
 * `hiddenMs` with its timers held back (a background tab throttled, a laptop asleep): `jump`
 * moves the time without firing them.
 */
function hiddenFor(hiddenMs: number) {
  const environment = createFakeEnvironment();
  const h = harness({ environment, heartbeat });
  h.transport.last().accept();
  const socket = h.transport.last();
  socket.goSilent();
  environment.emit('hidden');
  h.clock.jump(hiddenMs);
  return { h, socket, environment };
}

/** Shown again: a liveness check its throttled timer still owes is made at once. */
describe('the probe when the page is shown again', () => {
  it('pings at once when the check fell due while hidden, and holds sends until the answer', () => {
    const { h, socket, environment } = hiddenFor(5 * 60_000);
    expect(socket.pings).toBe(0); // the timer was held back
    environment.emit('visible');
    expect(socket.pings).toBe(1);
    expect(h.client.send('a')).toBe('queued'); // not into a socket that may be dead
    socket.pong();
    expect(socket.sent).toEqual(['a']);
    expect(h.client.send('b')).toBe('sent');
  });

  it('makes no check when none is owed yet: sends go straight out', () => {
    const { h, socket, environment } = hiddenFor(heartbeat.intervalMs - 1000);
    environment.emit('visible');
    expect(socket.pings).toBe(0);
    expect(h.client.send('a')).toBe('sent');
  });

  it('judges a ping that was out when the page was hidden, asking once more rather than trusting a late timer', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment, heartbeat });
    h.transport.last().accept();
    const socket = h.transport.last();
    socket.goSilent();
    h.clock.advance(heartbeat.intervalMs); // the ping goes out
    expect(socket.pings).toBe(1);
    environment.emit('hidden');
    h.clock.jump(60_000); // its deadline passes while the timers are held back
    environment.emit('visible');
    // A check that runs far too late asks again (the pong may still be queued), and the
    // second deadline decides: timeoutMs after the page is shown, not a throttled minute later.
    expect(socket.pings).toBe(2);
    expect(h.client.send('a')).toBe('queued');
    h.clock.advance(heartbeat.timeoutMs);
    expect(h.of<CloseRecord>('close')[0]).toMatchObject({ initiator: 'heartbeat' });
  });

  it('holds no sends once the ping builder throws on the check that asks again', () => {
    const environment = createFakeEnvironment();
    let built = 0;
    const message = () => {
      if (++built > 1) throw new Error('no session yet');
      return 'ping';
    };
    const h = harness({ environment, heartbeat: { ...heartbeat, message } }, { ping: false });
    h.transport.last().accept();
    const socket = h.transport.last();
    environment.emit('hidden');
    h.clock.jump(5 * 60_000);
    environment.emit('visible'); // the probe: 'ping' goes out, sends are held
    expect(socket.sent).toEqual(['ping']);
    h.clock.jump(60_000); // its deadline passes while the timer is held back again
    h.clock.advance(0); // the late check asks again: the builder throws, the heartbeat stops
    expect(h.of('error')).toHaveLength(1);
    expect(h.client.send('a')).toBe('sent'); // not held for an answer nothing will ask for
  });

  it('does nothing without a heartbeat to check with', () => {
    const environment = createFakeEnvironment();
    const h = harness({ environment });
    h.transport.last().accept();
    environment.emit('hidden');
    h.clock.jump(5 * 60_000);
    environment.emit('visible');
    expect(h.client.state).toBe('open');
    expect(h.client.send('a')).toBe('sent');
  });
});
