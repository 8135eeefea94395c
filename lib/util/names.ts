/** Natural order for host names: acd-jb2 before acd-jb10. */

// One collator for all comparisons: `localeCompare` with options builds one per call (~30× slower,
// which dominated planning time for large topologies).
const collator = new Intl.Collator('en', { numeric: true });

export function compareNames(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
