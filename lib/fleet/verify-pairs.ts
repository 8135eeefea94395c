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
    for (const next of events.slice(i + 1)) {
      if (next.type !== 'drbd') break;
      if (next.cstate === 'StandAlone') after.push(next);
    }
    const resource = after[0]?.resource;
    const on = resource === undefined ? '' : ` of DRBD ${resource}`;
    return [{ message: `split brain${on} at ${secs(e.t)} (${e.detail}): both nodes were Primary and wrote while apart`, events: [e, ...after] }];
  });
}

/** Events that are never the fallout of a VM going down: what was asked, and what starts. */
const NOT_FALLOUT: ReadonlySet<FleetEvent['type']> = new Set(['command', 'command-done', 'power', 'pcs-node', 'fleet-started', 'fleet-stopped']);

/** What a VM going down changes at once (a forced power-off logs it before the power event). */
function isFallout(e: FleetEvent, host: string): boolean {
  if (e.type === 'unit') return e.host === host && e.state !== 'active' && e.state !== 'activating';
  if (e.type === 'pcs') return e.state !== 'Started';
  if (e.type === 'ssh') return e.host === host && !e.listening;
  return !NOT_FALLOUT.has(e.type);
}

/** Resources Started on `host`, and its last pacemaker unit event, from the events before `end`. */
function clusterBefore(events: readonly FleetEvent[], end: number, host: string): { started: Of<'pcs'>[]; pacemaker?: Of<'unit'> } {
  const started = new Map<string, Of<'pcs'>>();
  let pacemaker: Of<'unit'> | undefined;
  for (const e of events.slice(0, end)) {
    if (e.type === 'unit' && e.host === host && e.unit === 'pacemaker') pacemaker = e;
    if (e.type !== 'pcs') continue;
    const key = `${e.cluster}\u0000${e.resource}`;
    if (e.state === 'Started') started.set(key, e);
    else if (e.node === undefined || started.get(key)?.node === e.node) started.delete(key);
  }
  return { started: [...started.values()].filter((e) => e.node === host), ...(pacemaker ? { pacemaker } : {}) };
}

function unsafePowerOffs(events: readonly FleetEvent[]): Violation[] {
  const out: Violation[] = [];
  const power = new Map<string, string>();
  events.forEach((e, i) => {
    if (e.type !== 'power') return;
    const before = power.get(e.host);
    power.set(e.host, e.state);
    if (e.state !== 'stopping' && !(e.state === 'off' && before !== 'stopping' && before !== 'off')) return;
    let from = i;
    if (e.state === 'off') while (from > 0 && isFallout(events[from - 1] as FleetEvent, e.host)) from--;
    const { started, pacemaker } = clusterBefore(events, from, e.host);
    // A pacemaker unit known to be down there contradicts the Started resource: nothing is proven.
    if (pacemaker !== undefined && pacemaker.state !== 'active') return;
    const how = e.state === 'stopping' ? 'shut down' : 'powered off';
    for (const r of started) {
      out.push({
        message: `${e.host} was ${how} at ${secs(e.t)} ("${e.cause}") while ${r.resource} of the ${r.cluster} cluster was Started on it and the cluster ran there: neither were its resources moved away (pcs node standby) nor the cluster stopped first`,
        events: [r, ...(pacemaker ? [pacemaker] : []), e],
      });
    }
  });
  return out;
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

function unsafePromotions(events: readonly FleetEvent[]): Violation[] {
  const at = new Map<number, number>();
  events.forEach((e, i) => {
    if (e.type === 'command') at.set(e.id, i);
  });
  return events.flatMap((done) => {
    const i = done.type === 'command-done' && done.exit === 0 ? at.get(done.id) : undefined;
    const cmd = i === undefined ? undefined : events[i];
    if (i === undefined || cmd?.type !== 'command') return [];
    const states = new Map<string, Of<'drbd'>>();
    for (const e of events.slice(0, i)) if (e.type === 'drbd' && e.host === cmd.host) states.set(e.resource, e);
    const promoted = promotedBy(cmd.command);
    const resources = promoted.includes('all') ? [...states.keys()] : promoted;
    return resources.flatMap((resource) => {
      const last = states.get(resource);
      if (!last || last.disk === 'UpToDate') return [];
      return [{
        message: `"${cmd.command}" passed on ${cmd.host} at ${secs(done.t)} while its disk of ${last.resource} was ${last.disk} (${last.cstate}): only UpToDate data may be promoted`,
        events: [last, cmd, done],
      }];
    });
  });
}
