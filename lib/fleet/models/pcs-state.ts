/**
 * Simulated Pacemaker clusters: the storage pair (a virtual IP and Samba, which can only start
 * where DRBD is Primary) and the load-balancer pair (a virtual IP). The stack is not started at
 * boot (the runbook runs `pcs cluster start --all`); standby survives restarts, as in the CIB.
 */
import type { PcsFailedAction, PcsStatus } from '../../parsers/index.js';

export interface SimResource {
  readonly id: string;
  readonly agent: string;
  /** The systemd unit the resource runs (Samba: smb). */
  readonly unit?: string;
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
