/**
 * buildPlan: Topology + HostGraph + action → Plan. `down` is the same graph read the other way:
 * a host goes down once every host that depends on it is down. Pure and deterministic.
 */
import { InternalError } from '../errors.js';
import type { HostGraph, HostLink } from '../graph/index.js';
import type { Topology } from '../topology/index.js';
import { hostSteps } from './host-steps.js';
import type { Action, HostPlan, Plan } from './model.js';
import { planWaves } from './waves.js';

/** What `host` waits for in `action`. Going down, every link is a full wait: a tier is down before the next goes. */
export function waitsFor(graph: HostGraph, action: Action, host: string): readonly HostLink[] {
  return action === 'up' ? graph.dependencies(host) : graph.dependants(host).map((l) => ({ ...l, kind: 'requires' as const }));
}

export function buildPlan(topology: Topology, graph: HostGraph, action: Action): Plan {
  const waves = planWaves(graph.hosts, (h) => waitsFor(graph, action, h));
  const byName = new Map(topology.hosts.map((h) => [h.name, h]));
  const hosts: HostPlan[] = waves.flatMap((wave, i) =>
    wave.map((name) => {
      const host = byName.get(name);
      if (!host) throw new InternalError(`host ${name} is in the graph but not in the topology`);
      return {
        name,
        address: host.ssh.address,
        roles: host.roles,
        wave: i + 1,
        waitsFor: waitsFor(graph, action, name),
        steps: hostSteps(topology, host, action),
      };
    }),
  );
  return { action, topology: topology.name, file: topology.file, waves, hosts, concurrency: topology.concurrency };
}
