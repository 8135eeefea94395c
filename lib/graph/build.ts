/**
 * buildGraph: Topology → HostGraph. Role dependencies become host edges: a host waits for every
 * other host that carries a role one of its roles depends on. Dependencies between roles on the
 * same host order that host's own steps instead. Cycles (among roles, or among hosts through
 * multi-role hosts) are reported with the whole path. Pure.
 */
import { Graph } from '@dagrejs/graphlib';
import type { Diagnostic, SourceLocation, Topology } from '../topology/index.js';
import { findCyclePaths } from '../util/cycles.js';
import { compareNames } from '../util/names.js';
import type { EdgeKind, HostGraph, HostLink } from './model.js';

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
  const existing = g.edge(from, to) as EdgeLabel | undefined;
  if (!existing) {
    g.setEdge(from, to, label);
    return;
  }
  // `requires` is the stronger promise: it wins when both kinds link the same pair.
  if (label.kind === 'requires') existing.kind = 'requires';
  for (const r of label.reasons) if (!existing.reasons.includes(r)) existing.reasons.push(r);
  for (const r of label.roles) if (!existing.roles.includes(r)) existing.roles.push(r);
  existing.direct ||= label.direct;
}

function roleCycleDiagnostics(topology: Topology): Diagnostic[] {
  const g = new Graph({ directed: true });
  for (const role of topology.roles.values()) {
    g.setNode(role.name);
    for (const kind of ['requires', 'after'] as const) {
      for (const dep of role[kind]) addEdge(g, role.name, dep.name, { kind, reasons: [`${role.name} ${kind === 'requires' ? 'requires' : 'comes after'} ${dep.name}`], at: dep.at, roles: [], direct: false });
    }
  }
  return findCyclePaths(g).map((path) => cycleDiagnostic('roles', path, g));
}

/** Edges point from the dependant to its dependency, the way they are written. */
function hostEdges(topology: Topology): Graph {
  const g = new Graph({ directed: true });
  const carriers = new Map<string, string[]>();
  for (const host of topology.hosts) {
    g.setNode(host.name);
    for (const role of host.roles) carriers.set(role, [...(carriers.get(role) ?? []), host.name]);
  }
  for (const host of topology.hosts) {
    for (const roleName of host.roles) {
      const role = topology.roles.get(roleName);
      if (!role) continue;
      for (const kind of ['requires', 'after'] as const) {
        for (const dep of role[kind]) {
          for (const other of carriers.get(dep.name) ?? []) {
            if (other === host.name) continue;
            const verb = kind === 'requires' ? 'requires' : 'comes after';
            addEdge(g, host.name, other, { kind, reasons: [`${roleName} ${verb} ${dep.name}`], at: dep.at, roles: [dep.name], direct: false });
          }
        }
      }
    }
    for (const kind of ['requires', 'after'] as const) {
      for (const dep of host[kind]) {
        addEdge(g, host.name, dep.name, { kind, reasons: [`host ${host.name} ${kind === 'requires' ? 'requires' : 'comes after'} ${dep.name}`], at: dep.at, roles: [], direct: true });
      }
    }
  }
  return g;
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

function wrap(topology: Topology, g: Graph): HostGraph {
  const links = (edges: { v: string; w: string }[] | void, pick: 'v' | 'w'): HostLink[] =>
    (edges ?? [])
      .map((e) => {
        const label = g.edge(e) as EdgeLabel;
        return { host: e[pick], kind: label.kind, reasons: [...label.reasons], roles: [...label.roles], direct: label.direct };
      })
      .sort((a, b) => compareNames(a.host, b.host));
  const dependencies = new Map(topology.hosts.map((h) => [h.name, links(g.outEdges(h.name), 'w')]));
  const dependants = new Map(topology.hosts.map((h) => [h.name, links(g.inEdges(h.name), 'v')]));
  return {
    hosts: topology.hosts.map((h) => h.name),
    dependencies: (host) => dependencies.get(host) ?? [],
    dependants: (host) => dependants.get(host) ?? [],
  };
}
