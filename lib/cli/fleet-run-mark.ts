/**
 * Tells a simulated fleet that a run begins (its control endpoint's `POST /run`), so that its
 * event log marks where each run starts and `fleet verify` can tell the runs in one log apart.
 * Best effort: a fleet that cannot be told gets a note, and the run goes on.
 */
import type { CliIO } from './io.js';
import { controlHeaders, readFleetDir } from './fleet-dir.js';

export interface RunMark {
  readonly action: string;
  readonly run: string;
  readonly side?: string | undefined;
}

export async function markFleetRun(dir: string, mark: RunMark, io: CliIO): Promise<void> {
  try {
    const fleet = readFleetDir(dir);
    if (fleet.control === undefined) return;
    const body = JSON.stringify({ action: mark.action, run: mark.run, ...(mark.side === undefined ? {} : { side: mark.side }) });
    const res = await fetch(`${fleet.control}/run`, {
      method: 'POST', body, headers: { ...controlHeaders(fleet, dir), 'content-type': 'application/json' }, signal: AbortSignal.timeout(5000),
    });
    // 404: a fleet started by an older orchestrate; its log stays one run.
    if (!res.ok && res.status !== 404) throw new Error(`HTTP ${res.status}`);
  } catch (e) {
    io.err(`note: the fleet in ${dir} did not record the start of this run (fleet verify reads its log as one run): ${(e as Error).message}`);
  }
}
