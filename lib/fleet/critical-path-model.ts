/**
 * The critical path's view of the fleet (critical-path.ts): each host's times so far, and when
 * a check's condition holds, from the same rules the fleet's models follow (web.ts, shares.ts,
 * mysql.ts, pcs.ts). Pure: it computes times, it simulates nothing.
 */
import type { Plan, PlanStep } from '../plan/index.js';
import type { Host, Topology } from '../topology/index.js';
import type { HostBehaviour } from './config.js';
import { HTTP_PORTS } from './models/web.js';

export interface UnitTimes {
  readonly role: string;
  /** When it is active (Infinity: not started). */
  active: number;
  /** When its start began (at boot, or by a step); undefined while not started. */
  enabledAt?: number;
}

/** One host's times in simulated ms from the start of the run (Infinity: never). */
export interface VmTimes {
  start: number;
  done: number;
  powered?: number;
  /** SSH answers. */
  boot?: number;
  off?: number;
  /** The shared storage mounted. */
  mounted?: number;
  /** The host whose link decided `start`. */
  by?: string;
  readonly units: Map<string, UnitTimes>;
}

export type Read = (host: string) => VmTimes | undefined;

/**
 * What many hosts ask of all the others, taken from the previous round of the iteration (each
 * round costs O(hosts) instead of O(hosts²); the iteration goes on until nothing changes).
 */
export interface Aggregates {
  /** The share first served. */
  readonly served: number;
  /** The first web server ready (JBoss deployed), and the first ready with the share mounted. */
  readonly firstWeb: number;
  readonly firstWebWithShare: number;
  /** Per role, when its last host has a unit of it active. */
  readonly lastActive: ReadonlyMap<string, number>;
}
export interface PathModel {
  readonly topology: Topology;
  readonly plan: Plan;
  readonly behaviour: (machine: string) => HostBehaviour;
  readonly hosts: ReadonlyMap<string, Host>;
  /** Each host's units as the fleet makes them (fleetUnits): name → role, started at boot or not. */
  readonly units: ReadonlyMap<string, ReadonlyMap<string, { readonly role: string; readonly enabled: boolean }>>;
  /** A machine's mean command latency (simulated ms). */
  readonly latency: (machine: string) => number;
  /** From the previous round. */
  aggregates: Aggregates;
}

/** A step of a host, and when it starts. */
export interface StepAt {
  readonly step: PlanStep;
  readonly name: string;
  readonly b: HostBehaviour;
  readonly vm: VmTimes;
  readonly t: number;
  readonly read: Read;
}

const DB_ROLES = ['db-master', 'db-slave', 'db-reporting'];

/** When the first unit of `roles` on the host is active. */
function roleActive(vm: VmTimes | undefined, roles: readonly string[]): number {
  let at = Infinity;
  for (const u of vm?.units.values() ?? []) if (roles.includes(u.role)) at = Math.min(at, u.active);
  return at;
}

/** The cross-host facts of a round of timelines. */
export function aggregate(model: PathModel, times: ReadonlyMap<string, VmTimes>): Aggregates {
  let served = Infinity;
  let firstWeb = Infinity;
  let firstWebWithShare = Infinity;
  const lastActive = new Map<string, number>();
  for (const h of model.topology.hosts) {
    const vm = times.get(h.name);
    if (h.roles.includes('storage')) served = Math.min(served, roleActive(vm, ['storage']));
    if (h.roles.includes('web')) {
      const ready = jbossReady(model, h.name, vm);
      firstWeb = Math.min(firstWeb, ready);
      firstWebWithShare = Math.min(firstWebWithShare, Math.max(ready, vm?.mounted ?? Infinity));
    }
    for (const role of h.roles) lastActive.set(role, Math.max(lastActive.get(role) ?? -Infinity, roleActive(vm, [role])));
  }
  return { served, firstWeb, firstWebWithShare, lastActive };
}

/** The share is mounted at `when` if a storage serves it then (a Samba unit of the storage role active: systemd's or Pacemaker's). */
export function mountIfServed(model: PathModel, at: StepAt, when: number): void {
  if (at.vm.mounted === undefined && model.aggregates.served <= when) at.vm.mounted = when;
}

/** The host an address leads to: a host's name or address, a pair's virtual IP (its first node), or `self` for localhost. */
function hostAt(model: PathModel, address: string, self: string): string | undefined {
  if (address === '127.0.0.1' || address === 'localhost') return self;
  const host = model.hosts.get(address) ?? model.topology.hosts.find((h) => h.ssh.address === address);
  if (host) return host.name;
  return model.topology.pairs.find((p) => p.pacemaker?.vip === address)?.hosts[0];
}

/** JBoss answers on a web host: active, then `deploy` later. */
function jbossReady(model: PathModel, name: string, vm: VmTimes | undefined): number {
  return roleActive(vm, ['web']) + model.behaviour(name).timings.deployMs;
}

/** The load balancer answers once haproxy is active and one web server is ready (for the logo: one with the share). */
function lbReady(model: PathModel, lb: string, path: string, read: Read): number {
  const backend = path.startsWith('/logo') ? model.aggregates.firstWebWithShare : model.aggregates.firstWeb;
  return Math.max(roleActive(read(lb), ['lb']), backend);
}

function httpReady(model: PathModel, at: StepAt, url: string): number {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 0;
  }
  const target = hostAt(model, u.hostname, at.name);
  if (target === undefined) return 0;
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const vm = target === at.name ? at.vm : at.read(target);
  const roles = model.hosts.get(target)?.roles ?? [];
  if (port === 80 && roles.includes('lb')) return lbReady(model, target, u.pathname, at.read);
  if (port === 8080 && roles.includes('web')) return jbossReady(model, target, vm);
  const served = roles.some((r) => (HTTP_PORTS[r] ?? []).includes(port));
  return served ? roleActive(vm, roles) : vm?.done ?? 0;
}

/** Hazelcast's clusterSize is right once every member host's member unit is active. */
function membersReady(model: PathModel, at: StepAt, memberRoles: readonly string[]): number {
  let ready = roleActive(at.vm, memberRoles);
  for (const role of memberRoles) ready = Math.max(ready, model.aggregates.lastActive.get(role) ?? -Infinity);
  return ready;
}

/** When a command check's condition holds: the units it names active, MySQL up for mysql commands, the share for mountpoint. */
function commandReady(model: PathModel, at: StepAt, run: string): number {
  if (/\bmysql(admin)?\b/.test(run)) return roleActive(at.vm, DB_ROLES);
  if (/\bmountpoint\b/.test(run)) return at.vm.mounted ?? Infinity;
  let ready = 0;
  for (const [name, u] of at.vm.units) if (new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(run)) ready = Math.max(ready, u.active);
  return ready;
}

/** When a check's condition first holds (its own latency is added by the caller). */
export function checkReady(model: PathModel, at: StepAt): number {
  if (at.step.kind !== 'check') return at.t;
  const p = at.step.probe;
  switch (p.kind) {
    case 'systemd':
      return at.vm.units.get(p.unit.replace(/\.service$/, ''))?.active ?? Infinity;
    case 'command':
      return commandReady(model, at, p.run);
    case 'mysql-replication':
    case 'mysql-writable':
      return roleActive(at.vm, DB_ROLES);
    case 'mount': {
      // Not mounted: the remedy mounts it (one more command), if a storage serves the share.
      if (at.vm.mounted === undefined && p.remedy !== undefined) mountIfServed(model, at, at.t + 2 * model.latency(at.name));
      return at.vm.mounted ?? Infinity;
    }
    case 'http':
      return httpReady(model, at, p.url);
    case 'hazelcast':
      return membersReady(model, at, p.memberRoles);
    case 'tcp':
    case 'drbd':
    case 'pcs':
      return at.t;
  }
}
