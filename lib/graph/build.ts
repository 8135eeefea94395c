/**
 * buildGraph: Topology → HostGraph. Role dependencies become host edges: a host waits for every
 * other host that carries a role one of its roles depends on. Dependencies between roles on the
 * same host order that host's own steps instead. Cycles (among roles, or among hosts through
 * multi-role hosts) are reported with the whole path. Pure.
 */
import type { Diagnostic, SourceLocation, Topology } from '../topology/index.js';
import { naturalOrderOf } from '../util/names.js';
import { Digraph, findCyclePaths } from './digraph.js';
import type { EdgeKind, HostGraph, HostLink } from './model.js';

type Graph = Digraph<EdgeLabel>;

interface EdgeLabel {
  kind: EdgeKind;
  reasons: string[];
  at: SourceLocation;
  /** The roles depended on (role edges). */
  roles: string[];
  /** Written as a host dependency. */
  direct: boolean;
}

export interface GraphResult {
  readonly graph?: HostGraph;
  readonly diagnostics: readonly Diagnostic[];
}

export function buildGraph(topology: Topology): GraphResult {
  const roleCycles = roleCycleDiagnostics(topology);
  if (roleCycles.length > 0) return { diagnostics: roleCycles };
  const g = hostEdges(topology);
  const cycles = findCyclePaths(g).map((path) => cycleDiagnostic('hosts', path, g));
  if (cycles.length > 0) return { diagnostics: cycles };
  return { graph: wrap(topology, g), diagnostics: [] };
}

function addEdge(g: Graph, from: string, to: string, label: EdgeLabel): void {
  const existing = g.edge(from, to);
  if (existing) merge(existing, label);
  else g.setEdge(from, to, label);
}

function mergeEdge(edges: Map<string, EdgeLabel>, to: string, label: EdgeLabel): void {
  const existing = edges.get(to);
  if (existing) merge(existing, label);
  else edges.set(to, label);
}

function merge(existing: EdgeLabel, label: EdgeLabel): void {
  // `requires` is the stronger promise: it wins when both kinds link the same pair.
  if (label.kind === 'requires') existing.kind = 'requires';
  for (const r of label.reasons) if (!existing.reasons.includes(r)) existing.reasons.push(r);
  for (const r of label.roles) if (!existing.roles.includes(r)) existing.roles.push(r);
  existing.direct ||= label.direct;
}

function roleCycleDiagnostics(topology: Topology): Diagnostic[] {
  const g: Graph = new Digraph();
  for (const role of topology.roles.values()) {
    g.addNode(role.name);
    for (const kind of ['requires', 'after'] as const) {
      for (const dep of role[kind]) addEdge(g, role.name, dep.name, { kind, reasons: [`${role.name} ${kind === 'requires' ? 'requires' : 'comes after'} ${dep.name}`], at: dep.at, roles: [], direct: false });
    }
  }
  return findCyclePaths(g).map((path) => cycleDiagnostic('roles', path, g));
}

/** Edges point from the dependant to its dependency, the way they are written. */
function hostEdges(topology: Topology): Graph {
  const g: Graph = new Digraph();
  const carriers = new Map<string, string[]>();
  for (const host of topology.hosts) {
    g.addNode(host.name);
    for (const role of host.roles) {
      const list = carriers.get(role);
      if (list) list.push(host.name);
      else carriers.set(role, [host.name]);
    }
  }
  // Hosts with the same roles wait for the same hosts for the same reasons: their edges are
  // worked out once and shared, unless the host carries a role it waits for (it would wait for
  // itself) or has dependencies of its own.
  const byRoles = new Map<string, Map<string, EdgeLabel>>();
  for (const host of topology.hosts) {
    const own = host.requires.length + host.after.length > 0;
    const key = host.roles.join('\n');
    let edges = own ? undefined : byRoles.get(key);
    if (!edges) {
      const roleEdges = new Map<string, EdgeLabel>();
      const shareable = addRoleEdges(topology, host, carriers, roleEdges);
      if (shareable && !own) byRoles.set(key, roleEdges);
      edges = roleEdges;
    }
    g.setOutEdges(host.name, edges);
    for (const kind of ['requires', 'after'] as const) {
      for (const dep of host[kind]) {
        addEdge(g, host.name, dep.name, { kind, reasons: [`host ${host.name} ${kind === 'requires' ? 'requires' : 'comes after'} ${dep.name}`], at: dep.at, roles: [], direct: true });
      }
    }
  }
  return g;
}

/** Adds the edges `host` gets from its roles' dependencies to `edges`; false if one would have been to itself. */
function addRoleEdges(topology: Topology, host: Topology['hosts'][number], carriers: ReadonlyMap<string, readonly string[]>, edges: Map<string, EdgeLabel>): boolean {
  let shareable = true;
  for (const roleName of host.roles) {
    const role = topology.roles.get(roleName);
    if (!role) continue;
    for (const kind of ['requires', 'after'] as const) {
      for (const dep of role[kind]) {
        const reason = `${roleName} ${kind === 'requires' ? 'requires' : 'comes after'} ${dep.name}`;
        for (const other of carriers.get(dep.name) ?? []) {
          if (other === host.name) {
            shareable = false;
            continue;
          }
          mergeEdge(edges, other, { kind, reasons: [reason], at: dep.at, roles: [dep.name], direct: false });
        }
      }
    }
  }
  return shareable;
}

function cycleDiagnostic(what: 'roles' | 'hosts', path: readonly string[], g: Graph): Diagnostic {
  const labels = path.slice(0, -1).map((from, i) => g.edge(from, path[i + 1] ?? '') as EdgeLabel);
  const detail = what === 'roles'
    ? labels.map((l) => l.reasons[0]).join(', ')
    : labels.map((l, i) => `${path[i] ?? ''}: ${l.reasons.join(', ')}`).join('; ');
  return {
    severity: 'error',
    message: `dependency cycle among ${what}: ${path.join(' -> ')} (${detail})`,
    location: labels[0]?.at ?? { file: '', line: 1, col: 1 },
  };
}

/**
 * Each host's links are built when first asked for (an `up` plan never reads the dependants),
 * once per edge map (hosts with the same roles share theirs), and share their label's lists.
 */
function wrap(topology: Topology, g: Graph): HostGraph {
  const hosts = topology.hosts.map((h) => h.name);
  const order = naturalOrderOf(hosts);
  const links = (edges: ReadonlyMap<string, EdgeLabel>): HostLink[] => {
    const out: HostLink[] = [];
    for (const [host, label] of edges) out.push({ host, kind: label.kind, reasons: label.reasons, roles: label.roles, direct: label.direct });
    return out.sort((a, b) => order(a.host, b.host));
  };
  const memo = (edgesOf: (host: string) => ReadonlyMap<string, EdgeLabel>): ((host: string) => readonly HostLink[]) => {
    const known = new WeakMap<ReadonlyMap<string, EdgeLabel>, readonly HostLink[]>();
    return (host) => {
      const edges = edgesOf(host);
      let l = known.get(edges);
      if (l === undefined) known.set(edges, (l = links(edges)));
      return l;
    };
  };
  return { hosts, dependencies: memo((h) => g.outEdges(h)), dependants: memo((h) => g.inEdges(h)) };
}
