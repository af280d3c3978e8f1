import type { StandardSchemaV1 } from '@resock/core';
import { describe, expect, it } from 'vitest';
import { gatedSchema, harness } from './clientHarness';

/**
 * A Standard Schema that answers asynchronously (held until `release()`) for `{ slow: true }`
 * and synchronously for everything else, as zod does when its sync parser overflows the stack
 * on deep input and it falls back to the async one (README, "Fuzzing").
 */
function mixedSchema() {
  const { gate, release } = gatedSchema();
  const schema: StandardSchemaV1<unknown, unknown> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => ((value as { slow?: boolean })?.slow ? gate.then(() => ({ value })) : { value }),
    },
  };
  return { schema, release };
}

/** A client with the mixed schema, and a promise of its first `count` inbound outcomes. */
function receiving(count: number) {
  const { schema, release } = mixedSchema();
  const h = harness({ messages: schema });
  const outcomes = () => h.events.filter((e) => e.name === 'message' || e.name === 'invalidMessage');
  const settled = new Promise<typeof h.events>((resolve) => {
    const check = () => outcomes().length >= count && resolve(outcomes());
    h.client.on('message', check);
    h.client.on('invalidMessage', check);
  });
  h.transport.last().accept();
  return { h, release, settled };
}

describe('inbound messages keep arrival order when some validate asynchronously', () => {
  it('a message validated at once waits behind an earlier one still validating', async () => {
    const { h, release, settled } = receiving(2);
    h.transport.last().deliver('{"slow":true,"n":1}');
    h.transport.last().deliver('{"n":2}');
    release();
    await settled;
    expect(h.of('message')).toEqual([{ slow: true, n: 1 }, { n: 2 }]);
  });

  it('an invalidMessage (text that is not JSON) waits behind an earlier message still validating', async () => {
    const { h, release, settled } = receiving(2);
    h.transport.last().deliver('{"slow":true,"n":1}');
    h.transport.last().deliver('not json');
    release();
    const order = (await settled).map((e) => e.name);
    expect(order).toEqual(['message', 'invalidMessage']);
  });

  it('goes straight through again once nothing is validating', async () => {
    const { h, release, settled } = receiving(1);
    h.transport.last().deliver('{"slow":true,"n":1}');
    release();
    await settled;
    h.transport.last().deliver('{"n":2}');
    expect(h.of('message')).toEqual([{ slow: true, n: 1 }, { n: 2 }]); // synchronously, no await
  });
});
