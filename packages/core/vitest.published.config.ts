import { defineTestConfig } from '@resock/vitest-config';

// The tests again, against the built @resock/core an app installs: the build renames core's
// internal properties, so the published code is tested, not only the sources. Left out: the
// tests that import a source module directly (they test that module, the same code either way)
// and those that read or instrument a client's internal fields, which the build renames.
export default defineTestConfig(
  {
    exclude: [
      'test/clock.test.ts',
      'test/systemClock.test.ts',
      'test/client/deadlines.test.ts',
      'test/client/inboundBacklog.test.ts',
      'test/client/inboundLimits.test.ts',
      'test/client/minHeap.test.ts',
      'test/client/options.test.ts',
      'test/client/outbox.test.ts',
      'test/client/sharedScheduler.test.ts',
      'test/client/slowLink.test.ts',
      'test/client/transition.test.ts',
      'test/client/urlEdges.test.ts',
      'test/client/expiryDeadlines.test.ts',
      'test/client/scaling.test.ts',
      'test/client/scalingInWrites.test.ts',
      'test/client/scalingOneByOne.test.ts',
    ],
  },
  { published: true },
);
