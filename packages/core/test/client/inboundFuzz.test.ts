import type { InvalidMessageEvent } from '@resock/core';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { harness } from './clientHarness';

// Inbound text comes from the server, so it is hostile input: whatever arrives, the client must
// emit exactly one `message` or `invalidMessage` for it, stay open, and leave the shared
// prototypes alone (a polluted Object.prototype would change every object in the app).

const prototypeNames = (proto: object) => Object.getOwnPropertyNames(proto).sort();
const baseline = {
  object: prototypeNames(Object.prototype),
  array: prototypeNames(Array.prototype),
  fn: prototypeNames(Function.prototype),
};
afterEach(() => {
  expect(prototypeNames(Object.prototype)).toEqual(baseline.object);
  expect(prototypeNames(Array.prototype)).toEqual(baseline.array);
  expect(prototypeNames(Function.prototype)).toEqual(baseline.fn);
  expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
});

type Tree = string | number | boolean | null | Tree[] | { [key: string]: Tree };
const tree: z.ZodMiniType<Tree> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.lazy(() => tree)),
  z.record(
    z.string(),
    z.lazy(() => tree),
  ),
]);

const schemas = {
  'a strict object': z.object({ type: z.literal('chat'), text: z.string() }),
  'a loose object': z.looseObject({ type: z.string() }),
  'a record of anything': z.record(z.string(), z.unknown()),
  'a recursive tree': tree,
};

const pollution = [
  '{"__proto__":{"polluted":true},"type":"chat","text":"x"}',
  '{"constructor":{"prototype":{"polluted":true}},"type":"chat","text":"x"}',
  '{"type":"chat","text":"x","__proto__":{"type":"admin"}}',
  '{"a":{"__proto__":{"polluted":true}}}',
  '[{"__proto__":{"polluted":true}}]',
];

const jsonish = fc.oneof(
  fc.json({ maxDepth: 6 }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(...pollution),
  fc.jsonValue().map((value) => JSON.stringify({ __proto__: value, type: 'chat', text: 'x' })),
  fc.jsonValue().map((value) => `{"type":"chat","text":"x","constructor":${JSON.stringify(value)}}`),
);

describe.each(Object.entries(schemas))('inbound JSON through %s', (_name, schema) => {
  it('arbitrary text: one event per message, never a throw, the client stays open', () => {
    const h = harness<unknown>({ messages: schema });
    h.transport.last().accept();
    let sent = 0;
    fc.assert(
      fc.property(jsonish, (text) => {
        h.transport.last().deliver(text);
        sent += 1;
        expect(h.of('message').length + h.of('invalidMessage').length).toBe(sent);
      }),
      { numRuns: 1500, seed: 7 },
    );
    expect(h.client.state).toBe('open');
  });

  it.each([
    ['nesting 10 000 deep', `${'['.repeat(10_000)}${']'.repeat(10_000)}`],
    ['nesting 1 000 000 deep, unterminated', '['.repeat(1_000_000)],
    ['objects nested 10 000 deep', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`],
    ['a 16 MiB string', JSON.stringify({ type: 'chat', text: 'x'.repeat(16 * 1024 * 1024) })],
    ['a 16 MiB key', `{"${'k'.repeat(16 * 1024 * 1024)}":1}`],
    ['100 000 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))],
  ])('%s: one event, no throw, still open', async (_label, text) => {
    const h = harness<unknown>({ messages: schema });
    h.transport.last().accept();
    const events = () => h.of('message').length + h.of('invalidMessage').length;
    // zod's Standard Schema falls back to its async parser when the sync one throws (a stack
    // overflow on deep nesting), so the verdict may come a tick later: await it, don't assume it.
    const verdict = new Promise<void>((resolve) => {
      h.client.once('message', () => resolve());
      h.client.once('invalidMessage', () => resolve());
    });
    expect(() => h.transport.last().deliver(text)).not.toThrow();
    if (events() === 0) await verdict;
    expect(events()).toBe(1);
    for (const invalid of h.of<InvalidMessageEvent>('invalidMessage')) {
      expect(invalid.data).toBe(text);
      expect(invalid.issues.length).toBeGreaterThan(0);
    }
    expect(h.client.state).toBe('open');
  });
});

describe('a __proto__ key in a message', () => {
  it('stays data: the delivered value does not gain an inherited type', () => {
    const h = harness<unknown>({ messages: z.looseObject({ type: z.string() }) });
    h.transport.last().accept();
    h.transport.last().deliver('{"type":"chat","__proto__":{"isAdmin":true}}');
    const [message] = h.of<Record<string, unknown>>('message');
    expect(message?.type).toBe('chat');
    expect((message as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });
});
