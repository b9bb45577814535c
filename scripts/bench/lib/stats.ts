// Pure statistics over samples: median, nearest-rank percentiles, summaries and ratios.

/** The values sorted ascending (a copy; NaN and non-numbers dropped). */
type Sample = number | null | undefined;

export function sorted(values: readonly Sample[]): number[] {
  return values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
}

/** Nearest-rank percentile (p in [0, 100]) of `values`; null when there are none. */
export function percentile(values: readonly Sample[], p: number): number | null {
  const s = sorted(values);
  if (s.length === 0) return null;
  if (p <= 0) return s[0]!;
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length, rank) - 1]!;
}

/** The median (mean of the two middle values for an even count); null when there are none. */
export function median(values: readonly Sample[]): number | null {
  const s = sorted(values);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The largest value; null when there are none. */
export function max(values: readonly Sample[]): number | null {
  const s = sorted(values);
  return s.length === 0 ? null : s[s.length - 1]!;
}

/** n, median, p95 and max of `values`. */
export function summarize(values: readonly Sample[]): { n: number; median: number | null; p95: number | null; max: number | null } {
  const s = sorted(values);
  return { n: s.length, median: median(s), p95: percentile(s, 95), max: max(s) };
}

/** a / b, or null when either is missing or b is 0. */
export function ratio(a: Sample, b: Sample): number | null {
  if (a === null || b === null || a === undefined || b === undefined || b === 0) return null;
  return a / b;
}

/** a - b, or null when either is missing. */
export function difference(a: Sample, b: Sample): number | null {
  if (a === null || b === null || a === undefined || b === undefined) return null;
  return a - b;
}

/** Sums the same numeric keys over many records: `{ok: 3, reset: 1}` + `{ok: 2}` → `{ok: 5, reset: 1}`. */
export function addCounts(...records: readonly Readonly<Record<string, number>>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const record of records) for (const [key, value] of Object.entries(record)) total[key] = (total[key] ?? 0) + value;
  return total;
}
