import { createClient, InvalidOptionsError, isInvalidOptionsError, whatwgTransport } from '@resock/core';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * The WHATWG transport where the runtime has no WebSocket (server-side rendering, Node 20): a
 * typed error at createClient, not every attempt failing alike and retried for ever as a 1006.
 */
const saved = globalThis.WebSocket;
afterEach(() => {
  if (saved) globalThis.WebSocket = saved;
  else Reflect.deleteProperty(globalThis, 'WebSocket');
});

function withoutWebSocket() {
  Reflect.deleteProperty(globalThis, 'WebSocket');
}

describe('whatwgTransport() in a runtime without WebSocket', () => {
  it('is an InvalidOptionsError at createClient (also lazy), listed with the other problems', () => {
    withoutWebSocket();
    let thrown: unknown;
    try {
      createClient({ url: 'wss://x.test/', transport: whatwgTransport(), lazy: true, connectTimeoutMs: -1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionsError);
    expect(isInvalidOptionsError(thrown) && thrown.problems.map((p) => p.path)).toEqual([
      'connectTimeoutMs',
      'transport',
    ]);
    expect(String((thrown as Error).message)).toMatch(/transport: this runtime has no WebSocket/);
  });

  it('is fine with a WebSocket passed in, or one installed as the global', async () => {
    withoutWebSocket();
    class Stub {
      binaryType = '';
      close() {}
      addEventListener() {}
    }
    const passed = createClient({
      url: 'wss://x.test/',
      transport: whatwgTransport({ WebSocket: Stub as never }),
      lazy: true,
    });
    await passed.close();
    globalThis.WebSocket = Stub as never;
    const global = createClient({ url: 'wss://x.test/', transport: whatwgTransport(), lazy: true });
    await global.close();
  });

  it('a transport whose unavailable() throws is the same typed error, not a throw of its own', () => {
    const transport = {
      connect: () => {
        throw new Error('never');
      },
      unavailable: () => {
        throw new Error('probe failed');
      },
    };
    expect(() => createClient({ url: 'wss://x.test/', transport, lazy: true })).toThrow(
      /transport: unavailable\(\) threw: Error: probe failed/,
    );
  });
});
