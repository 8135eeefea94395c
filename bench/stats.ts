/** Small helpers shared by the benchmarks: timing, summary statistics, rows of the results table. */

/** One line of the results table. Times are in milliseconds. */
export interface Row {
  readonly group: string;
  readonly name: string;
  readonly samples: number;
  readonly median: number;
  readonly p90: number;
  /** Throughput, already formatted (e.g. `1 234 execs/s`), when the benchmark measures one. */
  readonly rate?: string;
  readonly note?: string;
}

/** A group's rows, or the reason it was skipped. */
export interface GroupResult {
  readonly title: string;
  readonly rows: readonly Row[];
  readonly notes: readonly string[];
}

export const now = (): number => performance.now();

/** Milliseconds taken by `fn`. */
export async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = now();
  await fn();
  return now() - start;
}

export function timedSync(fn: () => unknown): number {
  const start = now();
  fn();
  return now() - start;
}

/** Runs `fn` `count` times in sequence and returns each duration. */
export async function sample(count: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(await timed(fn));
  return out;
}

/**
 * Runs `fn` at least `min` and at most `max` times, stopping early once `budgetMs` has been spent,
 * so a slow machine still finishes in bounded time. Returns each duration.
 */
export function sampleSyncFor(budgetMs: number, min: number, max: number, fn: () => unknown): number[] {
  const out: number[] = [];
  const start = now();
  while (out.length < max && (out.length < min || now() - start < budgetMs)) out.push(timedSync(fn));
  return out;
}

/** Nearest-rank percentile (`p` in 0..100) of `values`; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/** A row from raw samples, with an optional rate of `per` items per sample (`unit`/s at the median). */
export function row(group: string, name: string, values: readonly number[], extra: { per?: number; unit?: string; note?: string } = {}): Row {
  const med = median(values);
  const rate = extra.per !== undefined && extra.unit !== undefined ? `${formatNumber((extra.per * 1000) / med)} ${extra.unit}/s` : undefined;
  return {
    group, name, samples: values.length, median: med, p90: percentile(values, 90),
    ...(rate === undefined ? {} : { rate }),
    ...(extra.note === undefined ? {} : { note: extra.note }),
  };
}

/** `12.3`, `1.23`, `0.123` ms: three significant digits, never scientific notation. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  if (ms >= 1) return ms.toFixed(2);
  return ms.toFixed(3);
}

/** Thousands separated by a thin space, rounded to 3 significant digits below 100. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return '–';
  const rounded = n >= 100 ? Math.round(n) : Number(n.toPrecision(3));
  return rounded.toLocaleString('en-US').replace(/,/g, ' ');
}

/** Throws when `ok` is false: a failed command makes a timing meaningless. */
export function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark precondition failed: ${what}`);
}
