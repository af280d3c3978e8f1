import type { AttemptContext, OpenEvent, ReconnectingEvent } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

describe('url and protocols functions are told what led to the attempt', () => {
  it('the attempt, as the open it leads to counts it, and the close before it (fail over on it)', () => {
    const told: Array<[number, number | undefined]> = [];
    const endpoints = ['wss://a.example.test/', 'wss://b.example.test/'];
    let endpoint = 0;
    const h = harness({
      url: ({ attempt, record }: AttemptContext) => {
        told.push([attempt, record?.code]);
        if (record?.code === 1013) endpoint++; // this server is overloaded: try the next
        return endpoints[endpoint % endpoints.length] as string;
      },
      protocols: (context: AttemptContext) => (context.record ? ['v2', 'v1'] : ['v2']),
      policy: { backoff: { type: 'constant', delayMs: 10 } },
    });
    h.transport.last().fail();
    h.clock.runNext();
    h.transport.last().accept();
    h.transport.last().serverClose(1013, 'busy');
    h.clock.runNext();
    expect(told).toEqual([
      [1, undefined],
      [2, 1006],
      [3, 1013],
    ]);
    // The open it leads to says the same; `reconnecting` counts the retries (one fewer).
    expect(h.of<OpenEvent>('open').map((e) => e.attempt)).toEqual([2]);
    expect(h.of<ReconnectingEvent>('reconnecting').map((e) => e.attempt)).toEqual([1, 2]);
    expect(h.transport.connections.map(({ request }) => [request.url, request.protocols])).toEqual([
      ['wss://a.example.test/', ['v2']],
      ['wss://a.example.test/', ['v2', 'v1']],
      ['wss://b.example.test/', ['v2', 'v1']],
    ]);
  });
});
