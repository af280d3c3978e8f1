import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * React Native (Hermes) has no `Event` nor `EventTarget`: core must still load there, where an
 * app runs the typed client on a transport of its own; only the facade needs them.
 */
const saved = { Event: globalThis.Event, EventTarget: globalThis.EventTarget };

async function coreWithoutDomEvents() {
  Reflect.deleteProperty(globalThis, 'Event');
  Reflect.deleteProperty(globalThis, 'EventTarget');
  vi.resetModules();
  const [core, testing] = await Promise.all([import('../../src/index'), import('../../src/testing/index')]);
  vi.resetModules();
  return { core, testing };
}

afterEach(() => Object.assign(globalThis, saved));

describe('a platform without Event and EventTarget (React Native)', () => {
  it('loads core and runs the typed client', async () => {
    // Before: loading core threw "Event is not defined".
    const { core, testing } = await coreWithoutDomEvents();
    const transport = testing.createFakeTransport();
    const client = core.createClient({ url: 'wss://example.test', transport });
    const heard: string[] = [];
    client.on('message', (data) => heard.push(String(data)));
    transport.last().accept();
    transport.last().deliver('hello');
    expect(heard).toEqual(['hello']);
    expect((await client.close()).code).toBe(1000);
  });

  it('says what is missing when the facade is constructed', async () => {
    const { core, testing } = await coreWithoutDomEvents();
    expect(
      () =>
        new core.ReconnectingWebSocket('wss://example.test', undefined, { transport: testing.createFakeTransport() }),
    ).toThrow(/EventTarget is not defined here: ReconnectingWebSocket needs it/);
  });

  it('where only Event is missing (a polyfilled EventTarget), says so when constructed, not at the first event', async () => {
    Reflect.deleteProperty(globalThis, 'Event');
    vi.resetModules();
    const [core, testing] = await Promise.all([import('../../src/index'), import('../../src/testing/index')]);
    vi.resetModules();
    // Before: constructed, and every open or error then threw inside a client listener.
    expect(
      () =>
        new core.ReconnectingWebSocket('wss://example.test', undefined, { transport: testing.createFakeTransport() }),
    ).toThrow(/Event is not defined here: ReconnectingWebSocket needs it/);
  });
});
