// A custom environment (ClientEnvironment) whose methods throw: the client goes on, as with no
// environment, and tells each throw as an error event — nothing throws out of a public call or
// into a transport's callback.
import { createFakeEnvironment } from '@resock/core/testing';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('an environment whose online() or visible() throws', () => {
  const breakable = (what: 'online' | 'visible') => {
    const environment = createFakeEnvironment();
    const state = { broken: false };
    const read = environment[what].bind(environment);
    return {
      state,
      environment: {
        ...environment,
        subscribe: environment.subscribe.bind(environment),
        [what]: () => {
          if (state.broken) throw new Error(`${what}() broke`);
          return read();
        },
      },
    };
  };

  it.each(['online', 'visible'] as const)('%s(): reconnect() still reconnects, the throw an error event', (what) => {
    const { state, environment } = breakable(what);
    const h = harness({ environment });
    h.transport.last().accept();
    state.broken = true;
    expect(() => h.client.reconnect()).not.toThrow();
    expect(h.client.state).toBe('connecting');
    expect(h.transport.connections).toHaveLength(2);
    expect(h.of<Error>('error').map((e) => e.message)).toContain(`environment.${what} threw`);
  });

  it('online() throwing while the server closes: the close is heard and retried (it was lost, the client left open on a closed socket)', () => {
    const { state, environment } = breakable('online');
    const h = harness({ environment });
    h.transport.last().accept();
    state.broken = true;
    expect(() => h.transport.last().serverClose(1011)).not.toThrow();
    expect(h.client.state).toBe('waiting');
    state.broken = false;
    h.clock.advance(h.of<{ delayMs: number }>('reconnecting')[0]?.delayMs ?? Number.NaN);
    expect(h.transport.connections).toHaveLength(2);
  });
});

describe('an environment whose unsubscribe throws (already removed, a torn-down bridge)', () => {
  const throwingUnsubscribe = () => {
    const environment = createFakeEnvironment();
    return {
      ...environment,
      subscribe: (listener: Parameters<typeof environment.subscribe>[0]) => {
        environment.subscribe(listener);
        return () => {
          throw new Error('listener already removed');
        };
      },
    };
  };

  it('close() still settles and hands back what was queued; the throw is an error event', async () => {
    const h = harness({ environment: throwingUnsubscribe() });
    h.client.send('queued');
    expect(await h.client.close()).toMatchObject({ initiator: 'client' });
    expect(h.of('dropped')).toEqual([{ data: 'queued', reason: 'closed' }]);
    expect(h.of('error')).toMatchObject([{ name: 'ClientRuntimeError' }]);
  });

  it('a policy stop still ends in state and failed, and throws nothing into the transport', () => {
    const h = harness({ environment: throwingUnsubscribe() });
    expect(() => h.transport.last().reject(403)).not.toThrow();
    expect(h.names().slice(-4)).toEqual(['close', 'error', 'state', 'failed']);
  });
});
