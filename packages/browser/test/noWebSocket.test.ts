// Where the runtime has no WebSocket (server-side rendering, Node 20), createClient from
// @resock/browser throws an InvalidOptionsError naming transport, at the call.
import { createClient, InvalidOptionsError, isInvalidOptionsError } from '@resock/browser';
import { afterEach, describe, expect, it } from 'vitest';

const saved = globalThis.WebSocket;
afterEach(() => {
  if (saved) globalThis.WebSocket = saved;
  else Reflect.deleteProperty(globalThis, 'WebSocket');
});

describe('@resock/browser where the runtime has no WebSocket', () => {
  it('createClient throws an InvalidOptionsError naming transport', () => {
    Reflect.deleteProperty(globalThis, 'WebSocket');
    let thrown: unknown;
    try {
      createClient({ url: 'wss://chat.example.test/live' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionsError);
    expect(isInvalidOptionsError(thrown) && thrown.problems.map((p) => p.path)).toEqual(['transport']);
  });
});
