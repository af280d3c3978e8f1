// The long fuzz run (`pnpm fuzz`): 100 000 arbitrary inputs each through normalizeClose,
// definePolicy, computeBackoff and a client's inbound path, outside the normal test time. The tests run a few thousand.
// FUZZ_RUNS overrides the count; FUZZ_SEED replays a run.

import {
  closeRecordSchema,
  computeBackoff,
  createClient,
  definePolicy,
  exponential,
  isInvalidPolicyError,
  normalizeClose,
  type PolicyInput,
} from '@resock/core';
import { createFakeTransport } from '@resock/core/testing';
import fc from 'fast-check';
import * as z from 'zod/mini';

const numRuns = Number(process.env.FUZZ_RUNS ?? 100_000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const options = { numRuns, seed };

function run(name: string, property: fc.IProperty<[unknown]> | fc.IProperty<unknown[]>) {
  const started = performance.now();
  fc.assert(property, options);
  console.log(`${name.padEnd(62)} ${numRuns} inputs  ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

console.log(`fuzz seed ${seed} (replay with FUZZ_SEED=${seed})`);

const closeLike = fc.oneof(
  fc.anything(),
  fc.record(
    {
      code: fc.oneof(fc.integer({ min: -100, max: 70_000 }), fc.double(), fc.anything()),
      reason: fc.oneof(fc.string({ unit: 'binary' }), fc.uint8Array({ maxLength: 300 }), fc.anything()),
      wasClean: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);
run(
  'normalizeClose: schema-valid record, never throws',
  fc.property(closeLike, fc.anything(), (input, context) => {
    if (!closeRecordSchema.safeParse(normalizeClose(input, context as never)).success) {
      throw new Error('invalid record');
    }
  }),
);

const policyLike = fc.oneof(
  fc.jsonValue(),
  fc.record(
    {
      preset: fc.oneof(fc.constantFrom('default', 'persistent', 'httpMirror'), fc.string()),
      rules: fc.array(
        fc.record(
          {
            codes: fc.array(fc.oneof(fc.integer({ min: -5, max: 70_000 }), fc.string(), fc.constant('4000-4099'))),
            status: fc.array(fc.jsonValue()),
            action: fc.oneof(fc.constantFrom('stop', 'retry', 'refresh', 'throttle'), fc.string()),
            backoff: fc.jsonValue(),
            firstDelayMs: fc.jsonValue(),
          },
          { requiredKeys: [] },
        ),
      ),
      backoff: fc.jsonValue(),
      maxAttempts: fc.jsonValue(),
    },
    { requiredKeys: [] },
  ),
);
run(
  'definePolicy: a policy or InvalidPolicyError, nothing else',
  fc.property(policyLike, (input) => {
    try {
      definePolicy(input as PolicyInput);
    } catch (error) {
      if (!isInvalidPolicyError(error)) throw error;
    }
  }),
);

run(
  'computeBackoff: every delay within [0, cap]',
  fc.property(
    fc.integer({ min: 1, max: 600_000 }),
    fc.double({ min: 1, max: 100, noNaN: true }),
    fc.integer({ min: -10, max: 100_000 }),
    fc.double(),
    (maxDelayMs, factor, attempt, u) => {
      const backoff = exponential({
        initialDelayMs: 1,
        maxDelayMs,
        factor,
        jitter: 'decorrelated',
      });
      const delay = computeBackoff(backoff, attempt, {
        random: () => u,
        previousDelayMs: maxDelayMs,
      });
      if (!(delay >= 0 && delay <= maxDelayMs)) throw new Error(`delay ${delay} outside [0, ${maxDelayMs}]`);
    },
  ),
);

// Server text through a client with a schema: one message or invalidMessage per input, never a
// throw, never a polluted prototype.
const transport = createFakeTransport();
const client = createClient({ url: 'wss://fuzz.test/', transport, messages: z.looseObject({ type: z.string() }) });
transport.last().accept();
let verdicts = 0;
client.on('message', () => verdicts++);
client.on('invalidMessage', () => verdicts++);
const objectKeys = Object.getOwnPropertyNames(Object.prototype).join();
run(
  'inbound JSON: one verdict per message, no throw, no pollution',
  fc.property(
    fc.oneof(
      fc.json({ maxDepth: 8 }),
      fc.string({ unit: 'binary' }),
      fc.jsonValue().map((value) => `{"type":"t","__proto__":${JSON.stringify(value)}}`),
      fc.jsonValue().map((value) => `{"type":"t","constructor":{"prototype":${JSON.stringify(value)}}}`),
    ),
    (text) => {
      const before = verdicts;
      transport.last().deliver(text);
      if (verdicts !== before + 1) throw new Error(`${verdicts - before} verdicts for one message`);
      if (Object.getOwnPropertyNames(Object.prototype).join() !== objectKeys || client.state !== 'open') {
        throw new Error('polluted Object.prototype or left open');
      }
    },
  ),
);
