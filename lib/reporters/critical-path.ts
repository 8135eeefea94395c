/**
 * The critical path of a recorded run: the chain of waits that ended last. It starts at the host
 * that ended last and goes back through what each host really waited on (the link satisfied
 * last, run-report.ts) to a host that waited for nothing. Pure; it measures a run that
 * happened, unlike lib/fleet/critical-path.ts, which predicts the fastest possible one.
 */
import type { ReportHost } from './run-report.js';

/** When a host's part of the run ended: its host-finished, else its last step's end or start. */
export function hostEndMs(h: ReportHost): number | undefined {
  if (h.endMs !== undefined) return h.endMs;
  const times = h.steps.map((s) => s.endMs ?? s.startMs);
  if (h.startMs !== undefined) times.push(h.startMs);
  return times.length === 0 ? undefined : Math.max(...times);
}

/** The hosts of the critical path, first to last; empty when no host started. */
export function criticalPath(hosts: readonly ReportHost[]): string[] {
  let last: ReportHost | undefined;
  let lastEnd = -1;
  for (const h of hosts) {
    const end = hostEndMs(h);
    if (end !== undefined && h.startMs !== undefined && end > lastEnd) {
      last = h;
      lastEnd = end;
    }
  }
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const path: string[] = [];
  const seen = new Set<string>();
  for (let h = last; h !== undefined && !seen.has(h.name); h = h.wait?.on ? byName.get(h.wait.on.host) : undefined) {
    seen.add(h.name);
    path.unshift(h.name);
  }
  return path;
}
