import { getEventListeners } from 'node:events';
import { InvalidOptionsError } from '@resock/core';
import { describe, expect, it, vi } from 'vitest';
import { harness } from './clientHarness';

/** A real AbortSignal and the abort listeners on it now (as the platform holds them). */
function countedSignal() {
  const controller = new AbortController();
  const { signal } = controller;
  return { controller, signal, listening: () => getEventListeners(signal, 'abort').length };
}

const problemsOf = (call: () => unknown) => {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    return (error as InvalidOptionsError).problems;
  }
  throw new Error('expected an InvalidOptionsError');
};

describe('on/once with a signal', () => {
  it('aborting the signal takes an on() listener back, as addEventListener does', () => {
    const h = harness();
    const { controller, signal, listening } = countedSignal();
    const heard: unknown[] = [];
    h.client.on('message', (data) => heard.push(data), { signal });
    h.transport.last().accept();
    h.transport.last().deliver('one');
    controller.abort();
    h.transport.last().deliver('two');
    expect(heard).toEqual(['one']);
    expect(listening()).toBe(0);
  });

  it('a signal already aborted registers nothing', () => {
    const h = harness();
    const heard: unknown[] = [];
    const unsubscribe = h.client.on('open', () => heard.push('on'), { signal: AbortSignal.abort() });
    h.client.once('open', () => heard.push('once'), { signal: AbortSignal.abort() });
    h.transport.last().accept();
    expect(heard).toEqual([]);
    expect(unsubscribe).not.toThrow();
  });

  it('a once() listener aborted before the event never hears it; one that fired lets go of the signal', () => {
    const h = harness();
    const first = countedSignal();
    const second = countedSignal();
    const heard: string[] = [];
    h.client.once('open', () => heard.push('aborted'), { signal: first.signal });
    h.client.once('open', () => heard.push('fired'), { signal: second.signal });
    first.controller.abort();
    h.transport.last().accept();
    expect(heard).toEqual(['fired']);
    // A long-lived signal (a component's) must not keep a fired listener and its client alive.
    expect(second.listening()).toBe(0);
    second.controller.abort(); // late: takes back nothing else
    h.transport.last().serverClose(4000); // a retry follows
    h.clock.advance(60_000);
    h.transport.last().accept();
    expect(heard).toEqual(['fired']);
  });

  it('the unsubscribe function lets go of the signal too', () => {
    const h = harness();
    const { signal, listening } = countedSignal();
    const heard: unknown[] = [];
    const off = h.client.on('message', (data) => heard.push(data), { signal });
    const offOnce = h.client.once('message', (data) => heard.push(`once ${data}`), { signal });
    expect(listening()).toBe(1); // one, however many registrations share the signal
    off();
    offOnce();
    expect(listening()).toBe(0);
    h.transport.last().accept();
    h.transport.last().deliver('late');
    expect(heard).toEqual([]);
  });

  it('aborting takes back only the registrations it was given', () => {
    const h = harness();
    const { controller, signal } = countedSignal();
    const heard: string[] = [];
    h.client.on('open', () => heard.push('with signal'), { signal });
    h.client.on('open', () => heard.push('without'));
    controller.abort();
    h.transport.last().accept();
    expect(heard).toEqual(['without']);
  });
});

describe("on/once's arguments are checked at the call", () => {
  it('a misspelt event, a listener that is not a function, or bad options is an InvalidOptionsError naming each', () => {
    const h = harness();
    const client = h.client as unknown as {
      on(event: unknown, listener: unknown, options?: unknown): unknown;
      once(event: unknown, listener: unknown, options?: unknown): unknown;
    };
    expect(problemsOf(() => client.on('opne', () => {})).map((p) => p.path)).toEqual(['on.event']);
    expect(problemsOf(() => client.once('open', 'handler')).map((p) => p.path)).toEqual(['once.listener']);
    expect(problemsOf(() => client.on('open', () => {}, { signal: {} }))).toEqual([
      { path: 'on.signal', message: 'expected an AbortSignal' },
    ]);
    expect(problemsOf(() => client.on('open', () => {}, { sigal: AbortSignal.abort() }))).toEqual([
      { path: 'on.sigal', message: 'unknown key' },
    ]);
    expect(problemsOf(() => client.on('open', () => {}, 5)).map((p) => p.path)).toEqual(['on']);
    const unreadable = {
      get signal(): AbortSignal {
        throw new Error('no');
      },
    };
    expect(problemsOf(() => client.on(Symbol('open'), null, unreadable)).map((p) => p.path)).toEqual([
      'on.event',
      'on.listener',
      'on.signal',
    ]);
  });

  it('off() is checked as on() is: without a listener it takes back nothing (it took back them all)', () => {
    const h = harness();
    const heard: string[] = [];
    h.client.on('message', (data) => heard.push(String(data)));
    const client = h.client as unknown as { off(event: unknown, listener?: unknown): void };
    expect(problemsOf(() => client.off('message')).map((p) => p.path)).toEqual(['off.listener']);
    expect(problemsOf(() => client.off('mesage', () => {})).map((p) => p.path)).toEqual(['off.event']);
    h.transport.last().accept();
    h.transport.last().deliver('still heard');
    expect(heard).toEqual(['still heard']);
  });

  it('a refused registration adds nothing and leaves the others working', () => {
    const h = harness();
    const heard: string[] = [];
    h.client.on('open', () => heard.push('kept'));
    const client = h.client as unknown as { on(event: string, listener: unknown, options?: unknown): unknown };
    const noted = vi.fn();
    expect(() => client.on('open', noted, { signal: 'no' })).toThrow(InvalidOptionsError);
    h.transport.last().accept();
    expect(heard).toEqual(['kept']);
    expect(noted).not.toHaveBeenCalled();
  });

  it('reads the signal once, also from a prototype (a class of options)', () => {
    const h = harness();
    const { controller, signal } = countedSignal();
    let reads = 0;
    class Options {
      get signal() {
        reads++;
        return signal;
      }
    }
    const heard: string[] = [];
    h.client.on('open', () => heard.push('open'), new Options());
    expect(reads).toBe(1);
    controller.abort();
    h.transport.last().accept();
    expect(heard).toEqual([]);
  });
});

describe('on/once: what is taken back, and when', () => {
  it('a listener whose signal is aborted during an emit does not hear the rest of it (on and once)', () => {
    // DOM: aborting runs "remove an event listener", which sets its removed flag; "inner
    // invoke" skips a removed listener, so one taken back mid-dispatch is not called.
    const h = harness();
    const teardown = new AbortController();
    const heard: string[] = [];
    h.client.on('message', (data) => {
      heard.push(`first ${data}`);
      if (data === 'bye') teardown.abort(); // e.g. a view that closes on this message
    });
    h.client.on('message', (data) => heard.push(`on ${data}`), { signal: teardown.signal });
    h.client.once('message', (data) => heard.push(`once ${data}`), { signal: teardown.signal });
    h.transport.last().accept();
    h.transport.last().deliver('bye');
    expect(heard).toEqual(['first bye']);
  });

  it('aborting a signal after off() takes back nothing: not a later registration of the same listener', () => {
    // Registered with a signal, taken off, registered again for good: the old signal is spent.
    const h = harness();
    const old = new AbortController();
    const heard: unknown[] = [];
    const listener = (data: unknown) => heard.push(data);
    h.client.on('message', listener, { signal: old.signal });
    h.client.off('message', listener);
    h.client.on('message', listener);
    old.abort();
    h.transport.last().accept();
    h.transport.last().deliver('still subscribed');
    expect(heard).toEqual(['still subscribed']);
  });

  it('off() lets go of the signal, as the unsubscribe function does', () => {
    // Else the signal keeps its abort listener (and through it the listener and the client).
    const h = harness();
    const { signal, listening } = countedSignal();
    const listener = () => {};
    h.client.on('message', listener, { signal });
    h.client.once('open', listener, { signal });
    expect(listening()).toBe(1); // one, however many registrations share the signal
    h.client.off('message', listener);
    h.client.off('open', listener);
    expect(listening()).toBe(0);
  });

  it('an unsubscribe function called a second time takes back nothing more', () => {
    // A cleanup run twice must not remove a later registration of the same listener.
    const h = harness();
    const heard: unknown[] = [];
    const listener = (data: unknown) => heard.push(data);
    const unsubscribe = h.client.on('message', listener);
    unsubscribe();
    h.client.on('message', listener);
    unsubscribe(); // stale
    h.transport.last().accept();
    h.transport.last().deliver('x');
    expect(heard).toEqual(['x']);
  });
});
