/**
 * The health check as a plan (`check`, a failover's preflight, a failback's preflight and final
 * check): each host in scope is asked whether it is running, then its roles' up checks; each pair
 * in scope is checked whole, or carried by one node. Pure.
 */
import type { Host, Topology } from '../topology/index.js';
import { hostSteps } from './host-steps.js';
import type { HealthHost, HealthPair, HealthPlan, PlanStep } from './model.js';

/** These hosts, and every pair with a host among them, whole. @default every host */
export function healthPlan(topology: Topology, hosts: readonly string[] = topology.hosts.map((h) => h.name), pairs?: readonly HealthPair[]): HealthPlan {
  const wanted = new Set(hosts);
  return {
    hosts: topology.hosts.filter((h) => wanted.has(h.name)).map((h) => healthHost(topology, h)),
    pairs: pairs ?? topology.pairs.filter((p) => p.hosts.some((h) => wanted.has(h))).map((pair) => ({ pair, scope: 'both' })),
  };
}

function healthHost(topology: Topology, host: Host): HealthHost {
  const pair = topology.pairs.find((p) => p.hosts.includes(host.name));
  const steps = hostSteps(topology, host, 'up', pair ? { name: pair.name, replaces: pair.replaces } : undefined);
  const systemd = host.bootCheck === 'systemd';
  return {
    name: host.name,
    running: { command: systemd ? 'systemctl is-system-running' : 'true', systemd, timeoutMs: Math.max(host.timeouts.connectMs, host.timeouts.stepMs) },
    checks: steps.filter((s): s is Extract<PlanStep, { kind: 'check' }> => s.kind === 'check'),
  };
}
