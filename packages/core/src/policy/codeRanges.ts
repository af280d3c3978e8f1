import type { CodeSpec } from './policyInput';

/** An inclusive range of close codes or HTTP statuses. */
export type CodeRange = readonly [low: number, high: number];

/** `4001` → `[4001, 4001]`; `"4100-4199"` → `[4100, 4199]`; undefined when out of order or bounds. */
export function toCodeRange(spec: CodeSpec, min: number, max: number): CodeRange | undefined {
  if (typeof spec === 'number') return [spec, spec];
  const [low, high] = spec.split('-').map(Number) as [number, number];
  return low <= high && low >= min && high <= max ? [low, high] : undefined;
}

export function inRanges(value: number, ranges: readonly CodeRange[]): boolean {
  for (const [low, high] of ranges) if (value >= low && value <= high) return true;
  return false;
}
