/**
 * Is a redundant pair whole, before a failover and after a failback, or is its staying node
 * fit to carry the service alone, before a failback? Judged from the DRBD views of its nodes
 * and one `pcs status`. Pure.
 */
import { describeDrbd, describePcs, type DrbdView, type PcsView } from './judge.js';

export interface PairVerdict {
  /** The node it is about (DRBD). */
  readonly node?: string;
  readonly ok: boolean;
  readonly observed: string;
  /** StandAlone: the nodes will not connect (split brain, or disconnected by hand). */
  readonly splitBrain?: boolean;
}

/** `both`: the whole pair; a host name: only that node, carrying the pair alone. */
export type PairScope = 'both' | string;

const UNFIT = new Set(['Inconsistent', 'Outdated', 'Failed', 'Diskless', 'DUnknown']);

/** DRBD: both nodes Connected and UpToDate/UpToDate (dual: both Primary; single: exactly one), or the staying node Primary and UpToDate. */
export function judgeDrbdHealth(views: ReadonlyMap<string, DrbdView | string>, dual: boolean, scope: PairScope): PairVerdict[] {
  const out: (PairVerdict & { node: string })[] = [];
  const primaries = [...views.values()].filter((v) => typeof v === 'object' && v.role === 'Primary').length;
  for (const [node, v] of views) {
    if (scope !== 'both' && node !== scope) continue;
    if (typeof v === 'string') {
      out.push({ node, ok: false, observed: `${node}: cannot read the DRBD state: ${v}` });
      continue;
    }
    const seen = `${node}: ${describeDrbd(v)}`;
    if (v.cstate === 'StandAlone') {
      out.push({ node, ok: false, splitBrain: true, observed: `${seen}: StandAlone, the nodes will not connect (split brain, or disconnected); resolve it first (docs/redundancy.md, "Split brain")` });
      continue;
    }
    if (!v.configured) {
      out.push({ node, ok: false, observed: `${seen}` });
      continue;
    }
    if (UNFIT.has(v.disk)) {
      out.push({ node, ok: false, observed: `${seen}: its data is ${v.disk}${v.syncPercent === undefined ? '' : ` (resync at ${v.syncPercent}%)`}` });
      continue;
    }
    if (scope !== 'both') {
      out.push(v.role === 'Primary' ? { node, ok: true, observed: seen } : { node, ok: false, observed: `${seen}: not Primary, so it cannot carry the pair alone` });
      continue;
    }
    const problems = [
      v.cstate !== 'Connected' ? `not Connected (${v.cstate})` : undefined,
      v.peerDisk !== 'UpToDate' ? `the peer's data is ${v.peerDisk}` : undefined,
      dual && v.role !== 'Primary' ? 'not Primary (dual-primary)' : undefined,
      !dual && primaries !== 1 ? `${primaries} Primary nodes (single-primary wants one)` : undefined,
    ].filter((p) => p !== undefined);
    out.push({ node, ok: problems.length === 0, observed: problems.length === 0 ? seen : `${seen}: ${problems.join(', ')}` });
  }
  return out;
}

/** Pacemaker: every node online and active, no failed actions, the resources started; or all of them on the staying node. */
export function judgePcsHealth(v: PcsView, resources: readonly string[], scope: PairScope): PairVerdict {
  const observed = describePcs(v);
  if (!v.running) return { ok: false, observed };
  const wanted = resources.length > 0 ? resources : v.resources.map((r) => r.id);
  const missing = wanted.filter((id) => !v.resources.some((r) => r.id === id));
  const stopped = v.resources.filter((r) => wanted.includes(r.id) && !r.started).map((r) => r.id);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`no resource ${missing.join(', ')}`);
  if (stopped.length > 0) problems.push(`${stopped.join(', ')} not started`);
  if (scope === 'both') {
    const down = v.nodes.filter((n) => !n.online || n.standby).map((n) => `${n.name} ${n.online ? 'in standby' : 'offline'}`);
    if (down.length > 0) problems.push(down.join(', '));
    if (v.failed.length > 0) problems.push(`failed actions (pcs resource cleanup after fixing the cause)`);
  } else {
    const self = v.nodes.find((n) => n.name === scope);
    if (!self?.online || self.standby) problems.push(`${scope} is not an active node`);
    const elsewhere = v.resources.filter((r) => wanted.includes(r.id) && r.started && r.node !== scope).map((r) => `${r.id} on ${r.node ?? '?'}`);
    if (elsewhere.length > 0) problems.push(`${elsewhere.join(', ')} (not on ${scope})`);
  }
  return { ok: problems.length === 0, observed: problems.length === 0 ? observed : `${problems.join('; ')} (${observed})` };
}
