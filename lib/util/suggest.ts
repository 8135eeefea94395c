/**
 * "Did you mean" suggestions for misspelt keys and names. Pure.
 *
 * A topology can name 20,000 hosts and misspell 20,000 references: compared naively that is
 * 400 million edit distances (minutes). So each list of candidates gets one Suggester (kept
 * while the list lives): a word is looked up once, a distance is computed only in the band that
 * can still beat the best so far and stops when no cell in a row can, and all the lookups in
 * one list share a fixed amount of work, after which they suggest nothing. A list must not
 * change once it was asked about (a topology's Sets of names do not).
 */

/** Distance cells one list of candidates may cost in all (about 0.1 s). */
const BUDGET = 20_000_000;

/** Rows of the distance table, reused (grown as needed). */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Edit distance where swapping two neighbouring letters counts as one edit (optimal string
 * alignment), if it is at most `k`; otherwise k + 1.
 */
export function boundedDistance(a: string, b: string, k: number): number {
  const n = a.length;
  const m = b.length;
  const big = k + 1;
  if (Math.abs(n - m) > k) return big;
  if (rows[0].length < m + 2) rows = [new Int32Array(m + 2), new Int32Array(m + 2), new Int32Array(m + 2)];
  let [before, prev, cur] = rows;
  for (let j = 0; j <= m; j++) prev[j] = j <= k ? j : big;
  prev[m + 1] = big;
  for (let i = 1; i <= n; i++) {
    // Only cells with |i - j| <= k can hold a distance <= k; the cells just outside read as k + 1.
    const lo = Math.max(1, i - k);
    const hi = Math.min(m, i + k);
    cur[0] = i <= k ? i : big;
    if (lo > 1) cur[lo - 1] = big;
    let rowMin = lo === 1 ? (cur[0] as number) : big;
    const ai = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) v = Math.min(v, (before[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    cur[hi + 1] = big;
    if (rowMin > k) return big;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[m] as number, big);
}

/** The largest distance a suggestion for `word` may have: a third of its length, 1 to 3 (none under 3 letters). */
export const limitFor = (word: string): number => (word.length < 3 ? 0 : Math.min(3, Math.max(1, Math.floor(word.length / 3))));

class Suggester {
  readonly #candidates: readonly (readonly [name: string, lower: string])[];
  readonly #memo = new Map<string, string | undefined>();
  #budget = BUDGET;

  constructor(candidates: Iterable<string>) {
    this.#candidates = [...candidates].map((c) => [c, c.toLowerCase()] as const);
  }

  /** The closest candidate, the first of equals in the list's order. */
  suggest(word: string): string | undefined {
    if (this.#memo.has(word)) return this.#memo.get(word);
    const limit = limitFor(word);
    const w = word.toLowerCase();
    let best: string | undefined;
    let bestScore = limit + 1;
    for (const [name, lower] of this.#candidates) {
      if (limit === 0 || this.#budget <= 0) break;
      this.#budget--;
      if (Math.abs(lower.length - w.length) >= bestScore) continue;
      const k = bestScore - 1;
      this.#budget -= w.length * (2 * k + 1);
      const score = boundedDistance(w, lower, k);
      if (score > 0 && score < bestScore) {
        best = name;
        bestScore = score;
      }
    }
    this.#memo.set(word, best);
    return best;
  }
}

const suggesters = new WeakMap<object, Suggester>();

/** The closest candidate within a third of the word's length (1 to 3 edits; none for words under 3 letters). */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  // Lists are kept by identity: a topology's Sets of names are asked about again and again.
  let s = suggesters.get(candidates);
  if (!s) suggesters.set(candidates, (s = new Suggester(candidates)));
  return s.suggest(word);
}

/** ` (did you mean 'x'?)` or the empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : ` (did you mean '${s}'?)`;
}
