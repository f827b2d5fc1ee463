/** The q-quantile (0–1) of `values` by linear interpolation between order statistics; `null` when empty. */
export function quantile(values: readonly number[], q: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  return quantileOfSorted(sorted.length, q, (i) => sorted[i] as number);
}

/**
 * The two order statistics (0-based ranks in ascending order) that the q-quantile of `n` values
 * interpolates between: a database can fetch just these rows instead of every value.
 *
 * @example quantileRanks(11, 0.9) // [9, 9]
 */
export function quantileRanks(n: number, q: number): [lo: number, hi: number] {
  const pos = (n - 1) * q;
  return [Math.floor(pos), Math.ceil(pos)];
}

/**
 * {@link quantile} of `n` sorted values read by rank through `valueAt` (only the ranks
 * {@link quantileRanks} names are read); `null` when `n` is 0.
 */
export function quantileOfSorted(
  n: number,
  q: number,
  valueAt: (rank: number) => number,
): number | null {
  if (n === 0) return null;
  const [lo, hi] = quantileRanks(n, q);
  const a = valueAt(lo);
  const b = valueAt(hi);
  return a + (b - a) * ((n - 1) * q - lo);
}
