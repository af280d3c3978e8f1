import { describe, expect, it } from 'vitest';
import { runSoak } from './soak/runSoak';

// The short soak CI runs; `pnpm soak` runs 10 000 messages per mode and prints the report.
describe('chaos soak (short)', () => {
  it('without reliable delivery: nothing twice, nothing out of order, every queued message exactly once', async () => {
    const report = await runSoak({ messages: 600, intervalMs: 2, seed: 11, reliable: false, deadlineMs: 10_000 });
    console.log(JSON.stringify(report));
    expect(report.cuts).toBeGreaterThan(0);
    expect(report.duplicates).toBe(0);
    expect(report.reordered).toBe(0);
    expect(report.queuedNotExactlyOnce).toBe(0);
    expect(report.openSocketsAtEnd).toBe(1);
    expect(report.timersLeft).toBe(0);
  }, 30_000);

  it('with reliable delivery: every message acknowledged, none lost, resent in order', async () => {
    const report = await runSoak({ messages: 600, intervalMs: 2, seed: 12, reliable: true, deadlineMs: 10_000 });
    console.log(JSON.stringify(report));
    expect(report.cuts).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
    expect(report.reordered).toBe(0);
    expect(report.openSocketsAtEnd).toBe(1);
    expect(report.timersLeft).toBe(0);
    expect(report.heapGrowth).toBeLessThan(0.1);
  }, 30_000);
});
