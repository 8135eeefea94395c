/**
 * Simulated Pacemaker clusters, one per topology pair with `pacemaker`, named after the pair:
 * its resources in the declared order, a virtual IP (`ocf:heartbeat:IPaddr2`) and services run
 * through systemd (Samba, which can only start where the pair's DRBD is Primary). The stack is
 * not started at boot (the runbook runs `pcs cluster start --all`); standby survives restarts,
 * as in the CIB. Pure state; pcs.ts drives it in time.
 */
import type { PcsFailedAction, PcsStatus } from '../../parsers/index.js';
import type { Pair } from '../../topology/index.js';
import { formatCtime } from '../formats/index.js';

export interface SimResource {
  readonly id: string;
  readonly agent: string;
  /** The systemd unit the resource runs (Samba: smb). */
  readonly unit?: string;
  /** The role that unit serves on the node (`storage` for Samba). */
  readonly role?: string;
  /** The virtual IP an IPaddr2 resource carries. */
  readonly vip?: string;
  /** Needs the DRBD device Primary on its node (Samba serves the DRBD file system). */
  readonly needsDrbd: boolean;
  node?: string;
  state: 'Started' | 'Stopped';
  /** Nodes where a start failed: banned until `pcs resource cleanup`. */
  readonly failedOn: Set<string>;
  /** Fault: the next start fails. */
  failNext: boolean;
}

export interface SimCluster {
  readonly name: string;
  readonly nodes: readonly string[];
  /** Nodes where corosync and pacemaker run. */
  readonly started: Set<string>;
  readonly standby: Set<string>;
  /** Placed together, in order (a group in effect). */
  readonly resources: readonly SimResource[];
  readonly failedActions: PcsFailedAction[];
  lastChange: string;
}

/** What a cluster is made from: its pair, the units of its first node, and a fault. */
export interface ClusterSource {
  readonly pair: Pair & { readonly pacemaker: NonNullable<Pair['pacemaker']> };
  /** Units of the pair's first node, by name: a resource named like one runs it. */
  readonly units: ReadonlyMap<string, { readonly role: string }>;
  /** `pcs-failed-action[=RESOURCE]` on a node: the next start of that resource fails. */
  readonly failedAction?: { readonly resource?: string };
  readonly lastChange: string;
}

/** An id like `ClusterIP` names the virtual IP. */
const IP = /ip/i;

/**
 * The cluster of a pair, its resources in the order of `pacemaker.resources` (just the IP when
 * none are listed and a VIP is given). A resource other than the IP runs the unit named like it
 * on the node, else the first unit of the roles the pair replaces (storage: smb).
 */
export function clusterFromPair(s: ClusterSource): SimCluster {
  const { pair } = s;
  const { vip } = pair.pacemaker;
  const ids = pair.pacemaker.resources.length > 0 ? pair.pacemaker.resources : vip === undefined ? [] : ['ClusterIP'];
  const replaced = pair.replaces.map((role) => [...s.units].find(([, u]) => u.role === role)?.[0]).find((u) => u !== undefined);
  const specs = ids.map((id) => {
    if (IP.test(id)) return { id, agent: 'ocf:heartbeat:IPaddr2', needsDrbd: false, ...(vip === undefined ? {} : { vip }) };
    const unit = s.units.has(id) ? id : replaced ?? id;
    const role = s.units.get(unit)?.role;
    return { id, agent: `systemd:${unit}`, unit, needsDrbd: pair.drbd !== undefined, ...(role === undefined ? {} : { role }) };
  });
  const failing = s.failedAction === undefined ? undefined : s.failedAction.resource ?? (specs.find((r) => r.needsDrbd) ?? specs[0])?.id;
  const resources: SimResource[] = specs.map((r) => ({ ...r, state: 'Stopped', failedOn: new Set<string>(), failNext: r.id === failing }));
  return { name: pair.name, nodes: [...pair.hosts], started: new Set(), standby: new Set(), resources, failedActions: [], lastChange: s.lastChange };
}

/** The failed action of a start: Samba cannot mount the DRBD device where it is not Primary. */
export function failedStart(o: { resource: SimResource; node: string; call: number; drbd: { readonly minor: number; readonly resource: string } | undefined }): PcsFailedAction {
  const exitReason = o.drbd ? `Couldn't mount device [/dev/drbd${o.drbd.minor}] as /srv/${o.drbd.resource}` : 'start failed';
  return { resource: o.resource.id, operation: 'start', interval: 0, node: o.node, rcText: 'not running', rc: 7, call: o.call, status: 'complete', exitReason, lastRcChange: formatCtime(new Date()), queuedMs: 0, execMs: 112 };
}

export const PACEMAKER_VERSION = '1.1.23-1.el7_9.1-9acf116022';

/** The cluster as `pcs status` on `from` shows it. */
export function pcsStatusOf(c: SimCluster, from: string, online: (node: string) => boolean): PcsStatus {
  if (!c.started.has(from)) return { layout: '1.1', stackRunning: false, nodes: [], resources: [], failedActions: [] };
  const up = c.nodes.filter(online);
  return {
    layout: '1.1', stackRunning: true, clusterName: c.name,
    header: {
      stack: 'corosync', dc: { name: up[0] ?? from }, quorum: true, version: PACEMAKER_VERSION, lastChange: c.lastChange,
      nodesConfigured: c.nodes.length, resourcesConfigured: c.resources.length,
    },
    nodes: c.nodes.map((name) => ({ name, state: c.standby.has(name) ? (online(name) ? 'standby' : 'standby-offline') : online(name) ? 'online' : 'offline' })),
    resources: c.resources.map((r) => ({ kind: 'primitive', id: r.id, agent: r.agent, state: r.state, ...(r.state === 'Started' && r.node ? { node: r.node } : {}) })),
    failedActions: [...c.failedActions],
    daemons: [{ name: 'corosync', status: 'active/disabled' }, { name: 'pacemaker', status: 'active/disabled' }, { name: 'pcsd', status: 'active/enabled' }],
  };
}
