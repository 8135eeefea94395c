/** Natural order for host names: acd-jb2 before acd-jb10. */
export function compareNames(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true }) || (a < b ? -1 : a > b ? 1 : 0);
}
