// How the inbound pipeline reads what a Standard Schema's `validate` returns: a Promise from
// another realm, any thenable, and results that break the spec.
import vm from 'node:vm';
import type { InvalidMessageEvent, StandardSchemaV1 } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { harness } from './clientHarness';

const schemaOf = (validate: (value: unknown) => unknown): StandardSchemaV1<unknown, unknown> => ({
  '~standard': { version: 1, vendor: 'test', validate: validate as StandardSchemaV1['~standard']['validate'] },
});

/** Lets promise chains settle: microtask turns only, no timers. */
async function settle() {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

describe('an async schema whose Promise is not this realm’s Promise', () => {
  // Standard Schema v1: validate returns a Result or a Promise of one. A schema built in another
  // realm (a vm context, an iframe, a worker-shared library) returns a real Promise that fails
  // `instanceof Promise` here.
  it('a Promise from another realm is awaited, not delivered as the message value', async () => {
    const realm = vm.createContext({});
    const foreignValidate = vm.runInContext('(value) => Promise.resolve({ value })', realm) as (v: unknown) => unknown;
    const h = harness<unknown>({ messages: schemaOf((value) => foreignValidate(value)) });
    h.transport.last().accept();
    h.transport.last().deliver('{"n":1}');
    await settle();
    expect(h.of('message')).toEqual([{ n: 1 }]);
  });

  it('a failure result from another realm’s Promise is an invalidMessage, not a message', async () => {
    const realm = vm.createContext({});
    const foreignValidate = vm.runInContext('() => Promise.resolve({ issues: [{ message: "nope" }] })', realm) as (
      v: unknown,
    ) => unknown;
    const h = harness<unknown>({ messages: schemaOf((value) => foreignValidate(value)) });
    h.transport.last().accept();
    h.transport.last().deliver('{"n":1}');
    await settle();
    expect(h.of('message')).toEqual([]);
    expect(h.of<InvalidMessageEvent>('invalidMessage')).toMatchObject([{ issues: [{ message: 'nope' }] }]);
  });

  it('a non-Promise thenable result is awaited too (as `await` would)', async () => {
    const h = harness<unknown>({
      // biome-ignore lint/suspicious/noThenProperty: a thenable on purpose (a library's own promise type)
      messages: schemaOf((value) => ({ then: (resolve: (r: unknown) => void) => resolve({ value }) })),
    });
    h.transport.last().accept();
    h.transport.last().deliver('{"n":1}');
    await settle();
    expect(h.of('message')).toEqual([{ n: 1 }]);
  });
});

describe('a schema that returns something that is not a result (a hand-written schema’s bug)', () => {
  // inbound.ts: "a message that fails is an `invalidMessage` event, never a throw out of the client"
  it('sync: no throw into the transport’s onMessage; the message is an invalidMessage', () => {
    const h = harness<unknown>({ messages: schemaOf(() => undefined) });
    h.transport.last().accept();
    expect(() => h.transport.last().deliver('{"n":1}')).not.toThrow();
    expect(h.of('invalidMessage')).toHaveLength(1);
    expect(h.client.state).toBe('open');
  });

  it('async: one bad result does not turn the next, valid message into an invalidMessage', async () => {
    // An async validate that forgets to return on one branch: the first message resolves to undefined.
    let calls = 0;
    const h = harness<unknown>({
      messages: schemaOf(async (value) => {
        calls += 1;
        if (calls === 1) return undefined;
        return { value };
      }),
    });
    h.transport.last().accept();
    h.transport.last().deliver('{"n":1}');
    h.transport.last().deliver('{"n":2}');
    await settle();

    // own validation succeeded: the chain was left rejected by the first message.
    expect(h.of('message')).toEqual([{ n: 2 }]);
    expect(h.of<InvalidMessageEvent>('invalidMessage').map((e) => e.data)).toEqual(['{"n":1}']);
  });

  it('async: a bad result on the last message leaves no unhandled rejection', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const h = harness<unknown>({ messages: schemaOf(async () => undefined) });
      h.transport.last().accept();
      h.transport.last().deliver('{"n":1}');
      await settle();
      await new Promise((resolve) => setImmediate(resolve)); // let Node report unhandled rejections
      expect(rejections).toEqual([]);
      expect(h.of('invalidMessage')).toHaveLength(1);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
