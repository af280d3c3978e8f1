import type { Client, ClientRuntimeError, ReconnectingEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

// A policy rule's `when` runs while the client decides what follows a close: app code inside
// the state machine's step, like a listener.
describe("a policy rule's when, through the client", () => {
  it("decides with the app's state: a server's 1000 is retried at once while operations are live", () => {
    let live = 1;
    const h = harness({
      policy: { rules: [{ name: 'live', codes: [1000], when: () => live > 0, action: 'retry', firstDelayMs: 0 }] },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(1000, 'bye');
    expect(h.of<ReconnectingEvent>('reconnecting')[0]).toMatchObject({ rule: 'live', delayMs: 0 });
    expect(h.transport.connections).toHaveLength(2);
    live = 0;
    h.transport.last().accept();
    h.transport.last().serverClose(1000, 'bye');
    expect(h.client.state).toBe('failed');
  });

  it('that throws is an error event (kind policy, naming the rule) heard before the decision it changed', () => {
    const h = harness({
      policy: {
        rules: [
          {
            name: 'kicked',
            codes: [4000],
            when: () => {
              throw new Error('no session store');
            },
            action: 'stop',
          },
        ],
      },
    });
    h.transport.last().accept();
    h.transport.last().serverClose(4000, 'kicked');
    const errors = h.of<ClientRuntimeError>('error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ name: 'ClientRuntimeError', kind: 'policy' });
    expect(errors[0]?.message).toContain('kicked');
    expect(errors[0]?.cause).toMatchObject({ message: 'no session store' });
    // The rule did not match: the next one decided.
    expect(h.of<ReconnectingEvent>('reconnecting')[0]).toMatchObject({ rule: 'default:transient' });
    const names = h.names();
    expect(names.indexOf('error')).toBeLessThan(names.indexOf('reconnecting'));
  });

  it('that closes the client dials nothing, even when the decision was "now"', async () => {
    let client: Client | undefined;
    const h = harness({
      policy: {
        rules: [
          {
            codes: [4000],
            when: () => {
              void client?.close(1000, 'done here');
              return true;
            },
            action: 'retry',
            firstDelayMs: 0,
          },
        ],
      },
    });
    client = h.client;
    h.transport.last().accept();
    h.transport.last().serverClose(4000);
    await h.clock.advanceAsync(0);
    expect(h.client.state).toBe('closed');
    expect(h.transport.connections).toHaveLength(1);
  });
});
