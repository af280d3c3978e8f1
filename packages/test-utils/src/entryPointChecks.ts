import { isInvalidOptionsError } from '@resock/core';
import { describe, expect, it } from 'vitest';

/** What a platform package hands out: its pre-bound `createClient` and `ReconnectingWebSocket`. */
export interface EntryPoints {
  createClient: (options: never) => unknown;
  ReconnectingWebSocket: new (url: string, protocols: string[], options: never) => unknown;
}

/**
 * The platform entry points read the options (to fill their defaults) before core checks them:
 * what is not an options object must still get core's typed error, not a TypeError from that
 * reading, and no client may start.
 */
export function defineEntryPointChecks(label: string, entry: EntryPoints): void {
  describe(`${label}, given something that is not an options object`, () => {
    it.each([null, undefined, 42, 'wss://x.test', ['wss://x.test']])(
      'createClient(%j) throws InvalidOptionsError',
      (given) => {
        expect(() => entry.createClient(given as never)).toThrow(
          expect.objectContaining({ name: 'InvalidOptionsError' }),
        );
      },
    );

    it.each([null, 42, 'x', []])('new ReconnectingWebSocket(url, [], %j) throws InvalidOptionsError', (given) => {
      let thrown: unknown;
      try {
        new entry.ReconnectingWebSocket('wss://x.test', [], given as never);
      } catch (error) {
        thrown = error;
      }
      expect(isInvalidOptionsError(thrown)).toBe(true);
    });
  });

  // What an entry point wraps (the browser's page-aware refresh) must not hide a bad value from
  // core's check: a string wrapped as a function failed every refresh, at run time, instead.
  describe(`${label}, given a refresh that is not a function`, () => {
    const refused = expect.objectContaining({
      name: 'InvalidOptionsError',
      message: expect.stringContaining('refresh: expected a function'),
    });
    it.each(['x', 42])('createClient({ refresh: %j }) throws it at the call', (refresh) => {
      expect(() => entry.createClient({ url: 'wss://x.test/', refresh, lazy: true } as never)).toThrow(refused);
    });
    it.each(['x', 42])('new ReconnectingWebSocket(url, [], { refresh: %j }) throws it', (refresh) => {
      expect(() => new entry.ReconnectingWebSocket('wss://x.test/', [], { refresh, lazy: true } as never)).toThrow(
        refused,
      );
    });
  });
}
