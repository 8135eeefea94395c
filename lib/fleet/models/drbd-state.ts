/**
 * The state of one simulated DRBD 8.4 resource on a pair of nodes (one per topology pair with
 * `drbd`), and the rules DRBD follows:
 * connection follows the peer; a node whose peer wrote while it was away comes back Outdated
 * and resyncs (SyncTarget, Inconsistent, progress) before it is UpToDate; two nodes that both
 * wrote while apart meet in split brain (StandAlone). Pure state; drbd.ts drives it in time.
 */
import type { DrbdConnection, DrbdDevice, DrbdDisk, DrbdRole } from '../../parsers/index.js';
import type { PairDrbd } from '../../topology/index.js';
import { drbdCounters } from '../formats/index.js';

export interface DrbdNodeState {
  readonly vm: string;
  /** `drbdadm up` done (the minor is configured). */
  up: boolean;
  role: 'Primary' | 'Secondary';
  /** Kept across down/up, as DRBD's metadata keeps it. */
  disk: 'UpToDate' | 'Outdated' | 'Inconsistent';
  /** Was Primary while not connected: has data its peer lacks. */
  wroteAlone: boolean;
  /** Refuses to connect (split brain, or `drbdadm disconnect`). */
  standAlone: boolean;
}

export interface DrbdSyncState {
  readonly source: string;
  readonly target: string;
  /** Real ms (fleet clock). */
  readonly startedAt: number;
  readonly durationMs: number;
}

export interface DrbdPairState {
  /** The topology pair's name (also its Pacemaker cluster's, when it has one). */
  readonly name: string;
  readonly resource: string;
  readonly minor: number;
  readonly nodes: readonly [DrbdNodeState, DrbdNodeState];
  /** allow-two-primaries. */
  readonly dualPrimary: boolean;
  /** Fault: the replication link is down. */
  linkBroken: boolean;
  sync?: DrbdSyncState;
}

/** A pair as the topology declares it: both nodes Secondary, not up, UpToDate. */
export function newDrbdPair(options: { name: string; hosts: readonly [string, string]; drbd: PairDrbd; linkBroken: boolean }): DrbdPairState {
  const node = (vm: string): DrbdNodeState => ({ vm, up: false, role: 'Secondary', disk: 'UpToDate', wroteAlone: false, standAlone: false });
  return {
    name: options.name, resource: options.drbd.resource, minor: options.drbd.minor, dualPrimary: options.drbd.mode === 'dual-primary',
    nodes: [node(options.hosts[0]), node(options.hosts[1])], linkBroken: options.linkBroken,
  };
}

/** Size of the simulated device, KiB. */
export const DEVICE_KIB = 4_194_304;

export function peerOf(pair: DrbdPairState, vm: string): DrbdNodeState {
  const [a, b] = pair.nodes;
  return a.vm === vm ? b : a;
}

export function nodeOf(pair: DrbdPairState, vm: string): DrbdNodeState | undefined {
  return pair.nodes.find((n) => n.vm === vm);
}

/** Both nodes up on running VMs, the link working, and neither standing alone. */
export function connected(pair: DrbdPairState, running: (vm: string) => boolean): boolean {
  const [a, b] = pair.nodes;
  return a.up && b.up && running(a.vm) && running(b.vm) && !pair.linkBroken && !a.standAlone && !b.standAlone;
}

/** What /proc/drbd shows for one node now. `now` is real ms. */
export function deviceOf(pair: DrbdPairState, vm: string, now: number, running: (vm: string) => boolean): DrbdDevice {
  const me = nodeOf(pair, vm);
  if (!me?.up) return { kind: 'unconfigured', minor: pair.minor };
  const peer = peerOf(pair, vm);
  const linked = connected(pair, running);
  const sync = linked ? pair.sync : undefined;
  const cstate: DrbdConnection = me.standAlone ? 'StandAlone' : !linked ? 'WFConnection' : sync === undefined ? 'Connected' : sync.source === vm ? 'SyncSource' : 'SyncTarget';
  const role: DrbdRole = me.role;
  const disk: DrbdDisk = me.disk;
  const done = sync === undefined ? 1 : Math.min(1, (now - sync.startedAt) / Math.max(1, sync.durationMs));
  const left = Math.round(DEVICE_KIB * 0.25 * (1 - done));
  const oos = sync !== undefined ? left : !linked && me.wroteAlone ? Math.round(DEVICE_KIB * 0.25) : 0;
  return {
    kind: 'configured', minor: pair.minor, cstate, role, peerRole: linked ? peer.role : 'Unknown', disk,
    peerDisk: linked ? peer.disk : 'DUnknown', ...(me.standAlone ? {} : { protocol: 'C' as const }), flags: 'r-----',
    counters: drbdCounters({ oos }),
    ...(sync === undefined ? {} : {
      sync: {
        percent: Math.floor(done * 1000) / 10, left, total: Math.round(DEVICE_KIB * 0.25), unit: 'K' as const,
        finishSeconds: Math.max(0, Math.round((sync.durationMs * (1 - done)) / 1000)), speedKiBs: 34_816, averageKiBs: 33_792,
        ...(sync.target === vm ? { wantKiBs: 40_960 } : {}),
      },
    }),
  };
}
