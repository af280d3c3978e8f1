import { InvalidOptionsError } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

// opened({ signal }): wait for the open, but not for ever — `AbortSignal.timeout(ms)` bounds it.
describe('opened({ signal })', () => {
  it('rejects with the signal’s reason when it aborts first; the client goes on connecting', async () => {
    const h = harness();
    const controller = new AbortController();
    const waiting = h.client.opened({ signal: controller.signal });
    const reason = new Error('gave up waiting');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(h.client.state).toBe('connecting');
    // A later open resolves the waits still there, and only those.
    const still = h.client.opened();
    h.transport.last().accept();
    await expect(still).resolves.toMatchObject({ attempt: 1 });
  });

  it('resolves as without a signal when the open comes first, and lets go of the signal', async () => {
    const h = harness();
    const controller = new AbortController();
    let listeners = 0;
    const { signal } = controller;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = (...args: Parameters<typeof add>) => {
      listeners++;
      add(...args);
    };
    signal.removeEventListener = (...args: Parameters<typeof remove>) => {
      listeners--;
      remove(...args);
    };
    const waiting = h.client.opened({ signal });
    expect(listeners).toBe(1);
    h.transport.last().accept();
    await expect(waiting).resolves.toMatchObject({ attempt: 1 });
    expect(listeners).toBe(0);
    controller.abort(); // too late: nothing changes
    await expect(waiting).resolves.toBeDefined();
  });

  it('lets go of the signal when the client fails or closes first, rejecting as without one', async () => {
    const h = harness();
    const signal = new AbortController().signal;
    const waiting = h.client.opened({ signal });
    void h.client.close();
    await expect(waiting).rejects.toMatchObject({ name: 'ClientClosedError' });
  });

  it('with a signal already aborted rejects at once, and starts nothing', async () => {
    const h = harness({ lazy: true });
    const reason = new Error('already');
    await expect(h.client.opened({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(h.client.state).toBe('idle');
    expect(h.transport.connections).toHaveLength(0);
  });

  it('refuses at the call what is no options object or no signal (InvalidOptionsError), and a misspelt key', () => {
    const h = harness();
    expect(() => h.client.opened({ signal: 'soon' } as never)).toThrow(InvalidOptionsError);
    expect(() => h.client.opened({ timeout: 5000 } as never)).toThrow('opened.timeout');
    expect(() => h.client.opened(5000 as never)).toThrow(InvalidOptionsError);
  });
});
