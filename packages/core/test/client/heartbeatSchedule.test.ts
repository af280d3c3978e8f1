import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('heartbeat schedule', () => {
  it('pings again intervalMs after a late pong, even when timeoutMs > intervalMs', () => {
    const { transport, clock } = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 5000 } }, { autoPong: false });
    transport.last().accept();
    clock.advance(1000);
    expect(transport.last().pings).toBe(1);
    clock.advance(100);
    transport.last().pong(); // answered 100 ms later: the next ping is due at 2100
    clock.advance(999);
    expect(transport.last().pings).toBe(1);
    clock.advance(1);
    expect(transport.last().pings).toBe(2);
  });

  it('finds a silent peer within intervalMs + timeoutMs of its last word', () => {
    const { transport, clock, of } = harness({ heartbeat: { intervalMs: 1000, timeoutMs: 5000 } }, { autoPong: false });
    transport.last().accept();
    clock.advance(1100);
    transport.last().pong(); // last word at 1100
    clock.advance(5999);
    expect(of('close')).toHaveLength(0);
    clock.advance(1); // 1100 + 1000 + 5000
    expect(of('close')).toMatchObject([{ initiator: 'heartbeat' }]);
  });

  it("sends the app's ping where the transport has protocol pings too, and its answer keeps the connection", () => {
    // The same options, the same frames on every platform; a gateway answering protocol pings
    // itself would vouch for a server that is gone.
    const { transport, clock, of } = harness(
      { heartbeat: { intervalMs: 1000, timeoutMs: 500, message: 'ping', isPong: (data) => data === 'pong' } },
      { autoPong: true },
    );
    transport.last().accept();
    clock.advance(1000);
    expect(transport.last().pings).toBe(0);
    expect(transport.last().sent).toEqual(['ping']);
    transport.last().deliver('pong');
    clock.advance(1000);
    expect(transport.last().sent).toEqual(['ping', 'ping']);
    clock.advance(500); // unanswered (and no protocol ping went out for a pong to answer)
    expect(of('close')).toMatchObject([{ initiator: 'heartbeat' }]);
    expect(of('message')).toEqual([]);
  });

  it('a pong that arrives while closing is heartbeat traffic, not an app message', () => {
    const { client, transport, of } = harness(
      { heartbeat: { message: 'ping', isPong: (data) => data === 'pong' } },
      { ping: false },
    );
    transport.last().accept();
    transport.last().goSilent();
    void client.close();
    expect(client.state).toBe('closing');
    transport.last().deliver('pong');
    expect(of('message')).toEqual([]);
  });

  it('leaves no timer behind after an offline probe whose heartbeat.message throws', async () => {
    const environment = createFakeEnvironment();
    let broken = false;
    const { client, transport, clock } = harness(
      {
        environment,
        heartbeat: {
          message: () => {
            if (broken) throw new Error('bug in the ping builder');
            return 'ping';
          },
        },
      },
      { ping: false },
    );
    transport.last().accept();
    broken = true;
    environment.emit('offline');
    await client.close();
    expect(clock.pending()).toBe(0);
  });
});
