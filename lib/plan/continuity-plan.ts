/** The continuity probes of a failover or failback, each rendered for every place it may run. Pure. */
import { hostVars, renderTemplate, type Topology } from '../topology/index.js';
import type { ContinuityPlan } from './model.js';

export function continuityPlan(topology: Topology): ContinuityPlan {
  return {
    intervalMs: topology.continuity.intervalMs,
    probes: topology.continuity.probes.map((probe) => {
      const role = probe.role === undefined ? undefined : topology.roles.get(probe.role);
      const on = probe.local
        ? [{ command: renderTemplate(probe.run, topology.vars) }]
        : topology.hosts
            .filter((h) => h.name === probe.host || (probe.role !== undefined && h.roles.includes(probe.role)))
            .map((h) => ({ host: h.name, command: renderTemplate(probe.run, hostVars(topology, h, role)) }));
      return { name: probe.name, timeoutMs: probe.timeoutMs, on };
    }),
  };
}
