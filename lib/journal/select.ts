/** Which run a user means: a full run id, a unique prefix of one, or `last`. Pure. */
import type { RunEntry } from './files.js';

export type RunMatch =
  | { readonly found: RunEntry }
  /** No run matches; `near` are the newest runs, to suggest. */
  | { readonly missing: true; readonly near: readonly RunEntry[] }
  | { readonly ambiguous: readonly RunEntry[] };

/** The run `query` names among `entries` (newest first, as listRuns gives them). */
export function findRun(entries: readonly RunEntry[], query: string): RunMatch {
  if (query === 'last') {
    const newest = entries[0];
    return newest ? { found: newest } : { missing: true, near: [] };
  }
  const exact = entries.find((e) => e.runId === query);
  if (exact) return { found: exact };
  const matches = entries.filter((e) => e.runId.startsWith(query));
  if (matches.length === 1 && matches[0]) return { found: matches[0] };
  if (matches.length > 1) return { ambiguous: matches };
  return { missing: true, near: entries.slice(0, 3) };
}
