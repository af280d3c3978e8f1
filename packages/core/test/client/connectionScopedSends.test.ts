// A send can belong to one connection: made with a signal the app aborts when that connection
// closes, it is dropped with it, even where it had to wait (held for the offline probe, then
// queued when the probe failed). docs/migrating.md's graphql-ws example relies on it: each
// `open` subscribes every live operation again, and one id twice is a 4409 that stops the client.
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('sends scoped to their connection with a signal aborted on close', () => {
  it('a subscribe held for a probe that fails does not reach the next connection: only the resubscribe on open does', () => {
    const environment = createFakeEnvironment();
    const { client, transport, clock, of } = harness({
      environment,
      heartbeat: { intervalMs: 12_000, timeoutMs: 5000, message: 'ping', isPong: (d) => d === 'pong' },
    });
    const live = new Set<string>();
    let connection = new AbortController();
    client.on('close', () => connection.abort());
    const subscribe = (id: string) => client.send(`subscribe ${id}`, { signal: connection.signal });
    client.on('open', () => {
      connection = new AbortController();
      for (const id of live) subscribe(id);
    });

    transport.last().accept();
    transport.last().goSilent();
    environment.emit('offline'); // the probe goes out; sends wait for its answer
    live.add('ticks');
    expect(client.state).toBe('open');
    expect(subscribe('ticks')).toBe('queued');
    clock.advance(5000); // no answer: the peer is dead, and the held send is aborted with it
    expect(of('dropped')).toMatchObject([{ data: 'subscribe ticks', reason: 'aborted' }]);
    environment.emit('online');
    transport.last().accept();
    expect(transport.last().sent.filter((d) => String(d).startsWith('subscribe'))).toEqual(['subscribe ticks']);
  });
});
