export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low);
}

/** The median over rounds of each round's ratio to the baseline measured in the same round. */
export function medianRatio(rounds: ReadonlyArray<Record<string, number>>, name: string, baseline: string): number {
  return median(rounds.map((round) => (round[name] as number) / (round[baseline] as number)));
}
