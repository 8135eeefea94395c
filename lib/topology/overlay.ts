/**
 * A fleet overlay: where each host and hypervisor of a topology really is when it is simulated
 * (`orchestrate fleet up` writes one; `up --fleet DIR` applies it). Applying it changes only how
 * the machines are reached, never the plan. Pure.
 */
import { own } from '../util/own.js';
import type { CheckSpec, ServiceSpec, Continuity, Host, Pair, Role, RolePhase, SshEndpoint, StepSpec, Timeouts, Topology } from './model.js';

/**
 * Under a fleet that runs `scale` times as fast, waits and timeouts shrink with it, so a
 * rehearsal keeps the production proportions (a never-booting VM fails after the scaled boot
 * timeout). Floors keep real SSH round trips from timing out: 1 s for commands and connects,
 * 2 s for boot and shutdown deadlines, 10 ms for poll and check intervals.
 */
export function scaleTimes(scale: number): { command: (ms: number) => number; deadline: (ms: number) => number; interval: (ms: number) => number } {
  const s = (floor: number) => (ms: number): number => (scale >= 1 ? ms : Math.max(Math.min(ms, floor), Math.round(ms * scale)));
  return { command: s(1000), deadline: s(2000), interval: s(10) };
}

function scaleTimeouts(t: Timeouts, scale: number): Timeouts {
  const f = scaleTimes(scale);
  return { bootMs: f.deadline(t.bootMs), shutdownMs: f.deadline(t.shutdownMs), stepMs: f.command(t.stepMs), connectMs: t.connectMs, pollMs: f.interval(t.pollMs), checkMs: f.command(t.checkMs) };
}

function scaleRole(role: Role, scale: number): Role {
  const f = scaleTimes(scale);
  const check = (c: CheckSpec): CheckSpec => ({
    ...c, ...(c.timeoutMs === undefined ? {} : { timeoutMs: f.command(c.timeoutMs) }), intervalMs: f.interval(c.intervalMs),
    ...(c.deadlineMs === undefined ? {} : { deadlineMs: f.deadline(c.deadlineMs) }),
  });
  const service = (sv: ServiceSpec): ServiceSpec => ({
    ...sv, graceMs: f.interval(sv.graceMs), restart: { ...sv.restart, windowMs: f.deadline(sv.restart.windowMs) },
    ...(sv.health ? { health: check(sv.health) } : {}),
  });
  const step = (st: StepSpec): StepSpec => ({
    ...st, ...(st.timeoutMs === undefined ? {} : { timeoutMs: f.command(st.timeoutMs) }), ...(st.service ? { service: service(st.service) } : {}),
  });
  const phase = (p: RolePhase): RolePhase => ({ steps: p.steps.map(step), checks: p.checks.map(check) });
  return { ...role, up: phase(role.up), down: phase(role.down), failover: phase(role.failover), failback: phase(role.failback) };
}

function scalePair(pair: Pair, scale: number): Pair {
  const f = scaleTimes(scale);
  return {
    ...pair,
    ...(pair.drbd ? { drbd: { ...pair.drbd, timeoutMs: f.deadline(pair.drbd.timeoutMs) } } : {}),
    ...(pair.pacemaker ? { pacemaker: { ...pair.pacemaker, timeoutMs: f.deadline(pair.pacemaker.timeoutMs) } } : {}),
  };
}

function scaleContinuity(c: Continuity, scale: number): Continuity {
  const f = scaleTimes(scale);
  // Probes go over SSH: at least 50 ms apart, however fast the fleet runs.
  return { intervalMs: Math.max(Math.min(c.intervalMs, 50), f.interval(c.intervalMs)), probes: c.probes.map((p) => ({ ...p, timeoutMs: f.command(p.timeoutMs) })) };
}

export interface FleetOverlay {
  readonly version: 1;
  /** The topology name the fleet was started from. */
  readonly topology: string;
  readonly hosts: Readonly<Record<string, { readonly address: string; readonly port: number }>>;
  readonly hypervisors: Readonly<Record<string, { readonly address: string; readonly port: number }>>;
  /** The client key the simulated hosts accept. */
  readonly identity: string;
  readonly knownHosts: string;
  /** The fleet's time scale: the topology's waits and timeouts are scaled by it too (see scaleTimes). */
  readonly timeScale: number;
  /** HTTP endpoints reachable from the controller: `host:port` → URL base. */
  readonly http: Readonly<Record<string, string>>;
}

/** The topology pointed at the fleet, or the names the fleet does not know. */
export function applyOverlay(topology: Topology, overlay: FleetOverlay): { topology: Topology } | { missing: string[] } {
  const missing = [
    ...topology.hosts.filter((h) => !own(overlay.hosts, h.name)).map((h) => `host ${h.name}`),
    ...[...topology.hypervisors.keys()].filter((n) => !own(overlay.hypervisors, n)).map((n) => `hypervisor ${n}`),
  ];
  if (missing.length > 0) return { missing };
  const point = (ep: SshEndpoint, at: { address: string; port: number }): SshEndpoint => {
    const { jump: _jump, ...rest } = ep;
    return {
      ...rest, address: at.address, port: at.port, identity: overlay.identity, agent: false,
      // The fleet's own known_hosts only: no global file, nothing written.
      knownHosts: [overlay.knownHosts], globalKnownHosts: [], hashKnownHosts: false, hostKeyPolicy: 'strict' };
  };
  const hosts: Host[] = topology.hosts.map((h) => ({
    ...h,
    ssh: point(h.ssh, own(overlay.hosts, h.name) ?? { address: '', port: 0 }),
    timeouts: scaleTimeouts(h.timeouts, overlay.timeScale),
  }));
  const hypervisors = new Map([...topology.hypervisors].map(([name, ep]) => [name, point(ep, own(overlay.hypervisors, name) ?? { address: '', port: 0 })]));
  const roles = new Map([...topology.roles].map(([name, role]) => [name, scaleRole(role, overlay.timeScale)]));
  const pairs = topology.pairs.map((p) => scalePair(p, overlay.timeScale));
  return { topology: { ...topology, hosts, hypervisors, roles, pairs, continuity: scaleContinuity(topology.continuity, overlay.timeScale) } };
}
