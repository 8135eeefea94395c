/** Run ids: `20261207-081502-3f9a`, the UTC start time to the second and 4 random hex digits, so that they sort by time. Pure. */

/** What a run id looks like. */
export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

/** The run id of a run started at `at`; `suffix` is 4 random hex digits (the caller draws them). */
export function formatRunId(at: Date, suffix: string): string {
  const iso = at.toISOString(); // 2026-12-07T08:15:02.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${suffix}`;
}
