/** The platform part of a plan: every host's endpoint and timeouts, the hypervisors, the roles' hosts; the quorum gates; the secrets. Pure. */
import type { SshEndpoint, Topology } from '../topology/index.js';
import { compareNames } from '../util/names.js';
import { dict, own } from '../util/own.js';
import type { GatePlan, Platform, PlanHostInfo, PlanSecret } from './model.js';

const platforms = new WeakMap<Topology, Platform>();

/** The platform of a topology (one per topology: the plans of one run share it). */
export function platformOf(topology: Topology): Platform {
  let p = platforms.get(topology);
  if (p) return p;
  const hosts = dict<PlanHostInfo>();
  const roles = dict<string[]>();
  for (const r of topology.roles.keys()) roles[r] = [];
  for (const h of topology.hosts) {
    hosts[h.name] = {
      name: h.name, ssh: h.ssh, roles: h.roles, ...(h.side === undefined ? {} : { side: h.side }),
      driver: h.power.driver, bootCheck: h.bootCheck, timeouts: h.timeouts,
    };
    for (const r of h.roles) (own(roles, r) ?? (roles[r] = [])).push(h.name);
  }
  p = { hosts, hypervisors: Object.assign(dict<SshEndpoint>(), Object.fromEntries(topology.hypervisors)), roles };
  platforms.set(topology, p);
  return p;
}

/** Going up, the roles with a quorum gate (`gate: { min }`) that have hosts among `inPlan`. */
export function gatesOf(topology: Topology, inPlan: (host: string) => boolean): GatePlan[] {
  const roles = platformOf(topology).roles;
  const gates: GatePlan[] = [];
  for (const role of topology.roles.values()) {
    if (!role.gate) continue;
    const hosts = (own(roles, role.name) ?? []).filter(inPlan);
    if (hosts.length > 0) gates.push({ role: role.name, min: Math.min(role.gate.min, hosts.length), hosts });
  }
  return gates;
}

/** The topology's secrets as a plan carries them: by name, where each value is read, never a value (nothing when there are none). */
export function secretsOf(topology: Topology): { readonly secrets?: readonly PlanSecret[] } {
  if (topology.secrets === undefined || topology.secrets.size === 0) return {};
  return {
    secrets: [...topology.secrets].sort(([a], [b]) => compareNames(a, b)).map(([name, s]): PlanSecret => ('env' in s ? { name, env: s.env } : 'file' in s ? { name, file: s.file } : { name, topology: s.topology })),
  };
}
