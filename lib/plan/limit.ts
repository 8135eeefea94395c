/**
 * `--limit`: the subset of hosts an `up`, `down` or `check` plan covers, and why each host is in
 * it. Going up, the hosts selected take everything they `requires`, transitively; going down,
 * everything that `requires` them goes down first. `after` links only order hosts that are both
 * in the plan: they pull nothing in. A redundant pair starts and stops whole: going up, one node
 * brings its partner; going down, naming one node is refused (a node leaves while its partner
 * carries the service by a failover). MySQL master and slaves are not a pair: their roles'
 * `requires` links bring them (a slave's master comes up with it). Hosts outside the limit are
 * neither started nor stopped. Pure.
 */
import type { HostGraph, HostLink } from '../graph/index.js';
import type { Topology } from '../topology/index.js';
import { parseLimit, selectHosts } from './limit-select.js';
import type { LimitAddition, PlanAction, PlanLimit } from './model.js';
import { platformOf } from './platform.js';

/** A plan's limit and the hosts in it, or why the patterns cannot be planned. */
export type LimitResult = { readonly limit: PlanLimit; readonly hosts: ReadonlySet<string> } | { readonly error: string };

/** The hosts of a limited plan of `action`; `check` checks the selection only. */
export function limitHosts(topology: Topology, graph: HostGraph, action: PlanAction, patterns: readonly string[]): LimitResult {
  if (action !== 'up' && action !== 'down' && action !== 'check') return { error: `--limit applies to up, down and check, not ${action} (a ${action} takes its --side)` };
  const parsed = parseLimit(patterns);
  if ('error' in parsed) return parsed;
  const platform = platformOf(topology);
  const selection = selectHosts(parsed.items, { hosts: graph.hosts, roles: platform.roles });
  if ('error' in selection) return selection;
  const shown = patterns.join(',');
  if (selection.selected.length === 0) return { error: `--limit '${shown}' selects no host${selection.excluded.size > 0 ? ': every host it names is left out by a ! item' : ''}` };
  if (action === 'check') return { limit: { patterns, selected: selection.selected, added: [] }, hosts: new Set(selection.selected) };
  const partnerOf: Partners = new Map(topology.pairs.flatMap((p) => [[p.hosts[0], { pair: p.name, partner: p.hosts[1] }], [p.hosts[1], { pair: p.name, partner: p.hosts[0] }]] as const));
  if (action === 'down') {
    const halves = halfPairs(topology, new Set(selection.selected), shown);
    if (halves.length > 0) return { error: halves.join('\n') };
  }
  const { hosts, found, conflicts } = closure(graph, action, selection, partnerOf);
  if (conflicts.size > 0) return { error: [...conflicts].map(([host, c]) => conflictMessage(action, host, selection.excluded.get(host) ?? '', c.of, [...c.why])).join('\n') };
  const order = new Map(graph.hosts.map((h, i) => [h, i]));
  const added = found.map((h) => addition(graph, action, h, hosts, partnerOf.get(h), order));
  return { limit: { patterns, selected: selection.selected, added }, hosts };
}

type Partners = ReadonlyMap<string, { readonly pair: string; readonly partner: string }>;

/**
 * The selection and every host it needs, transitively (up: what they require; down: what requires
 * them; either way a pair's other node); `found`: the hosts added, in the order found;
 * `conflicts`: the hosts a `!` item leaves out that the plan needs, for which hosts, and why.
 */
function closure(graph: HostGraph, action: 'up' | 'down', selection: { readonly selected: readonly string[]; readonly excluded: ReadonlyMap<string, string> }, partnerOf: Partners): {
  hosts: Set<string>; found: string[]; conflicts: Map<string, { of: string[]; why: Set<string> }>;
} {
  const hosts = new Set(selection.selected);
  const conflicts = new Map<string, { of: string[]; why: Set<string> }>();
  const queue = [...selection.selected];
  const visit = (host: string, of: string, why: string): void => {
    if (hosts.has(host)) return;
    if (selection.excluded.has(host)) {
      const c = conflicts.get(host) ?? { of: [], why: new Set<string>() };
      conflicts.set(host, c);
      if (!c.of.includes(of)) c.of.push(of);
      c.why.add(why);
      return;
    }
    hosts.add(host);
    queue.push(host);
  };
  for (let i = 0; i < queue.length; i++) {
    const host = queue[i] as string;
    const links = action === 'up' ? graph.dependencies(host) : graph.dependants(host);
    for (const l of links) if (l.kind === 'requires') visit(l.host, host, l.reasons.join('; '));
    const p = partnerOf.get(host);
    if (p) visit(p.partner, host, `pair ${p.pair}`);
  }
  return { hosts, found: queue.slice(selection.selected.length), conflicts };
}

/** A host the plan needs that a `!` item leaves out. */
function conflictMessage(action: 'up' | 'down', host: string, item: string, of: readonly string[], why: readonly string[]): string {
  const names = of.length > 4 ? `${of.slice(0, 4).join(', ')} and ${of.length - 4} more` : of.join(', ');
  const pair = why.find((w) => w.startsWith('pair '));
  const need = pair !== undefined && why.length === 1
    ? `it is the other node of ${pair} with ${names}, and a pair starts and stops whole`
    : action === 'up'
      ? `${names} ${of.length === 1 ? 'requires' : 'require'} it (${why.join('; ')})`
      : `it depends on ${names} (${why.join('; ')}), which cannot stop while it runs`;
  return `--limit: ${host} is left out (${item}) but ${need}`;
}

/** Going down, the pairs the selection takes one node of: refused, with what to do instead. */
function halfPairs(topology: Topology, selected: ReadonlySet<string>, shown: string): string[] {
  const sides = new Map(topology.hosts.map((h) => [h.name, h.side]));
  return topology.pairs.flatMap((p) => {
    const named = p.hosts.filter((h) => selected.has(h));
    if (named.length !== 1) return [];
    const [node] = named as [string];
    const partner = p.hosts[0] === node ? p.hosts[1] : p.hosts[0];
    const side = sides.get(node);
    const failover = side === undefined ? '' : `; to take ${node} out while ${partner} carries the service: orchestrate failover ${topology.file} --side ${side}`;
    return [`--limit '${shown}' names ${node}, one node of redundant pair ${p.name} (${p.hosts.join(' + ')}): a down stops a pair whole, so name both (${shown},${partner})${failover}`];
  });
}

/** Why `host` was added: every host of the plan it is linked to (a requirement before a partnership). */
function addition(graph: HostGraph, action: 'up' | 'down', host: string, hosts: ReadonlySet<string>, pair: { pair: string; partner: string } | undefined, order: ReadonlyMap<string, number>): LimitAddition {
  // Up: the plan's hosts that require it; down: the plan's hosts it requires (they wait for it to be off).
  const links: readonly HostLink[] = (action === 'up' ? graph.dependants(host) : graph.dependencies(host)).filter((l) => l.kind === 'requires' && hosts.has(l.host));
  if (links.length === 0 && pair) return { host, because: 'pair', of: [pair.partner], reasons: [`pair ${pair.pair}`] };
  const of = [...links].sort((a, b) => (order.get(a.host) ?? 0) - (order.get(b.host) ?? 0)).map((l) => l.host);
  const reasons = [...new Set(links.flatMap((l) => l.reasons))];
  return { host, because: action === 'up' ? 'required' : 'dependant', of, reasons };
}
