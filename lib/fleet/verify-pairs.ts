/**
 * Pair safety for `orchestrate fleet verify`, judged from the event log alone (never trusting
 * the simulator to have refused anything):
 *
 * - no DRBD split brain happened;
 * - no VM was powered off or shut down while a Pacemaker resource was Started on it and the
 *   cluster ran there: its resources must be moved away (standby) or the cluster stopped first;
 * - no `drbdadm primary` passed on a node whose disk was not UpToDate just before.
 *
 * Each violation comes with the events that prove it. Events before the log (or the slice of
 * it) given are unknown: what they would prove is not held against the run.
 */
import type { FleetEvent } from './log.js';
import type { Violation } from './verify.js';

type Of<T extends FleetEvent['type']> = Extract<FleetEvent, { type: T }>;

const secs = (t: number): string => `${(t / 1000).toFixed(3)}s`;

export function verifyPairs(events: readonly FleetEvent[]): Violation[] {
  return [...splitBrains(events), ...unsafePowerOffs(events), ...unsafePromotions(events)];
}

/** Each split brain, with the StandAlone states logged with it. */
function splitBrains(events: readonly FleetEvent[]): Violation[] {
  return events.flatMap((e, i) => {
    if (e.type !== 'fault' || e.fault !== 'split-brain') return [];
    const after: Of<'drbd'>[] = [];
    for (let j = i + 1; j < events.length; j++) {
      const next = events[j] as FleetEvent;
      if (next.type !== 'drbd') break;
      if (next.cstate === 'StandAlone') after.push(next);
    }
    const resource = after[0]?.resource;
    const on = resource === undefined ? '' : ` of DRBD ${resource}`;
    return [{ message: `split brain${on} at ${secs(e.t)} (${e.detail}): both nodes were Primary and wrote while apart`, events: [e, ...after] }];
  });
}

/** Events that are never the fallout of a VM going down: what was asked, and what starts. */
const NOT_FALLOUT: ReadonlySet<FleetEvent['type']> = new Set(['command', 'command-done', 'power', 'pcs-node', 'fleet-started', 'fleet-stopped', 'run']);

/** What a VM going down changes at once (a forced power-off logs it before the power event). */
function isFallout(e: FleetEvent, host: string): boolean {
  if (e.type === 'unit') return e.host === host && e.state !== 'active' && e.state !== 'activating';
  if (e.type === 'pcs') return e.state !== 'Started';
  if (e.type === 'ssh') return e.host === host && !e.listening;
  return !NOT_FALLOUT.has(e.type);
}

/** What the log says of the clusters so far: resources Started (by cluster and resource), each host's last pacemaker unit event. */
class ClusterLog {
  readonly started = new Map<string, Of<'pcs'>>();
  readonly pacemaker = new Map<string, Of<'unit'>>();

  apply(e: FleetEvent): void {
    if (e.type === 'unit' && e.unit === 'pacemaker') this.pacemaker.set(e.host, e);
    if (e.type !== 'pcs') return;
    const key = `${e.cluster}\u0000${e.resource}`;
    if (e.state === 'Started') this.started.set(key, e);
    else if (e.node === undefined || this.started.get(key)?.node === e.node) this.started.delete(key);
  }

  on(host: string): { started: Of<'pcs'>[]; pacemaker?: Of<'unit'> } {
    const pacemaker = this.pacemaker.get(host);
    return { started: [...this.started.values()].filter((e) => e.node === host), ...(pacemaker ? { pacemaker } : {}) };
  }
}

/** A VM going down at `at`, judged by the cluster state before `from` (before the fallout logged with it). */
interface PowerDown {
  readonly at: number;
  readonly from: number;
  readonly event: Of<'power'>;
}

/** Every shutdown, and every power-off that was not the end of a shutdown, with where its fallout begins. */
function powerDowns(events: readonly FleetEvent[]): PowerDown[] {
  const out: PowerDown[] = [];
  const power = new Map<string, string>();
  events.forEach((e, i) => {
    if (e.type !== 'power') return;
    const before = power.get(e.host);
    power.set(e.host, e.state);
    if (e.state !== 'stopping' && !(e.state === 'off' && before !== 'stopping' && before !== 'off')) return;
    let from = i;
    if (e.state === 'off') while (from > 0 && isFallout(events[from - 1] as FleetEvent, e.host)) from--;
    out.push({ at: i, from, event: e });
  });
  return out;
}

/** One pass over the log, the cluster state taken at each power-down's `from` (in that order). */
function unsafePowerOffs(events: readonly FleetEvent[]): Violation[] {
  const downs = powerDowns(events).sort((a, b) => a.from - b.from || a.at - b.at);
  const out: { at: number; violation: Violation }[] = [];
  const clusters = new ClusterLog();
  let next = 0;
  for (const d of downs) {
    while (next < d.from) clusters.apply(events[next++] as FleetEvent);
    const e = d.event;
    const { started, pacemaker } = clusters.on(e.host);
    // A pacemaker unit known to be down there contradicts the Started resource: nothing is proven.
    if (pacemaker !== undefined && pacemaker.state !== 'active') continue;
    const how = e.state === 'stopping' ? 'shut down' : 'powered off';
    for (const r of started) {
      out.push({ at: d.at, violation: {
        message: `${e.host} was ${how} at ${secs(e.t)} ("${e.cause}") while ${r.resource} of the ${r.cluster} cluster was Started on it and the cluster ran there: neither were its resources moved away (pcs node standby) nor the cluster stopped first`,
        events: [r, ...(pacemaker ? [pacemaker] : []), e],
      } });
    }
  }
  return out.sort((a, b) => a.at - b.at).map((o) => o.violation);
}

/** The resources a command line promotes with `drbdadm primary` (`all` included). */
export function promotedBy(command: string): string[] {
  for (const part of command.split(/&&|\|\||[;|&\n]/)) {
    const words = part.trim().split(/\s+/);
    const at = words.indexOf('drbdadm');
    const rest = at < 0 ? [] : words.slice(at + 1).filter((w) => !w.startsWith('-'));
    if (rest[0] === 'primary') return rest.slice(1).map((r) => r.split(':')[0] ?? r);
  }
  return [];
}

/** One pass: each promoting command is judged by the last DRBD state its host logged before it. */
function unsafePromotions(events: readonly FleetEvent[]): Violation[] {
  const drbd = new Map<string, Map<string, Of<'drbd'>>>();
  const pending = new Map<number, { cmd: Of<'command'>; states: Map<string, Of<'drbd'>>; promoted: string[] }>();
  const out: Violation[] = [];
  for (const e of events) {
    if (e.type === 'drbd') {
      const mine = drbd.get(e.host) ?? new Map<string, Of<'drbd'>>();
      mine.set(e.resource, e);
      drbd.set(e.host, mine);
    } else if (e.type === 'command') {
      const promoted = promotedBy(e.command);
      if (promoted.length > 0) pending.set(e.id, { cmd: e, states: new Map(drbd.get(e.host)), promoted });
    } else if (e.type === 'command-done') {
      const p = pending.get(e.id);
      pending.delete(e.id);
      if (p && e.exit === 0) out.push(...promotionViolations(p.cmd, e, p.states, p.promoted));
    }
  }
  return out;
}

function promotionViolations(cmd: Of<'command'>, done: Of<'command-done'>, states: ReadonlyMap<string, Of<'drbd'>>, promoted: readonly string[]): Violation[] {
  const resources = promoted.includes('all') ? [...states.keys()] : promoted;
  return resources.flatMap((resource) => {
    const last = states.get(resource);
    if (!last || last.disk === 'UpToDate') return [];
    return [{
      message: `"${cmd.command}" passed on ${cmd.host} at ${secs(done.t)} while its disk of ${last.resource} was ${last.disk} (${last.cstate}): only UpToDate data may be promoted`,
      events: [last, cmd, done],
    }];
  });
}
