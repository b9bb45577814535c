// Order statistics for small samples (recovery times): nearest-rank quantiles, no interpolation.

export interface Spread {
  readonly count: number;
  readonly median: number | null;
  readonly p95: number | null;
  readonly max: number | null;
}

/** The nearest-rank `q` quantile (0 < q ≤ 1) of `values`, or null when there are none. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

/** Count, median, p95 and max of `values`. */
export function spread(values: readonly number[]): Spread {
  return { count: values.length, median: quantile(values, 0.5), p95: quantile(values, 0.95), max: values.length ? Math.max(...values) : null };
}
