/**
 * Reading a pair's state from real output and judging it against what a step expects: ok, keep
 * waiting (a resync, a node joining), or stop at once with what was seen and what an operator
 * does next (split brain, a node that must not be promoted). Pure.
 */
import { parseDrbdadmStatus, parsePcsStatus, parseProcDrbd, pcsPrimitives } from '../parsers/index.js';
import type { DrbdExpectation } from './model.js';

export type Verdict =
  | { readonly state: 'ok'; readonly observed: string }
  | { readonly state: 'wait'; readonly observed: string }
  | { readonly state: 'refuse'; readonly observed: string; readonly advice: string };

/** One node's view of a DRBD resource. */
export interface DrbdView {
  readonly configured: boolean;
  readonly cstate: string;
  readonly role: string;
  readonly peerRole: string;
  readonly disk: string;
  readonly peerDisk: string;
  readonly syncPercent?: number;
}

const DOWN: DrbdView = { configured: false, cstate: 'Unconfigured', role: 'Unconfigured', peerRole: 'Unknown', disk: 'Unconfigured', peerDisk: 'DUnknown' };

/** From `cat /proc/drbd` (8.4; the resource's minor) or `drbdadm status RES` (9). */
export function drbdView(text: string, options: { version: '8.4' | '9'; resource: string; minor: number }): DrbdView {
  if (options.version === '9') {
    const s = parseDrbdadmStatus(text).find((r) => r.resource === options.resource);
    if (!s) return DOWN;
    const peer = s.peers[0];
    const pv = peer?.volumes[0];
    const repl = pv?.replication;
    const cstate = peer === undefined ? 'StandAlone' : peer.connection ?? (repl === 'SyncSource' || repl === 'SyncTarget' ? repl : 'Connected');
    return {
      configured: true, cstate, role: s.role, peerRole: peer?.role ?? 'Unknown', disk: s.volumes[0]?.disk ?? 'DUnknown',
      peerDisk: pv?.peerDisk ?? 'DUnknown', ...(pv?.donePercent === undefined ? {} : { syncPercent: pv.donePercent }),
    };
  }
  const dev = parseProcDrbd(text)?.devices.find((d) => d.minor === options.minor);
  if (!dev || dev.kind !== 'configured') return DOWN;
  return {
    configured: true, cstate: dev.cstate, role: dev.role, peerRole: dev.peerRole, disk: dev.disk, peerDisk: dev.peerDisk,
    ...(dev.sync === undefined ? {} : { syncPercent: dev.sync.percent }),
  };
}

export function describeDrbd(v: DrbdView): string {
  if (!v.configured) return 'the resource is not up (Unconfigured)';
  return `cs:${v.cstate} ro:${v.role}/${v.peerRole} ds:${v.disk}/${v.peerDisk}${v.syncPercent === undefined ? '' : ` (sync ${v.syncPercent}%)`}`;
}

const SPLIT_BRAIN_ADVICE = 'split brain: both nodes changed the data while apart. Decide which node\'s changes to keep; on the other run `drbdadm disconnect RES; drbdadm secondary RES; drbdadm connect --discard-my-data RES`, then `drbdadm connect RES` on the survivor, wait for the resync, and run again (with --primary NODE if needed)';

/** `Role/Peer`, `Role/*`, or alternatives joined by `|` (a procedure cut short may be a step further on). */
function matches(pattern: string, self: string, peer: string): boolean {
  return pattern.split('|').some((alt) => {
    const [a, b] = alt.split('/');
    return a === self && (b === '*' || b === peer);
  });
}

/** Does the node's view meet the expectation? A resync is waited out; split brain is not. */
export function judgeDrbd(v: DrbdView, expect: DrbdExpectation, resource: string): Verdict {
  const observed = describeDrbd(v);
  if (v.cstate === 'StandAlone') return { state: 'refuse', observed, advice: SPLIT_BRAIN_ADVICE.replaceAll('RES', resource) };
  const connected = v.cstate === 'Connected';
  if (v.configured && (expect.connected ? connected : true) && matches(expect.roles, v.role, v.peerRole) && matches(expect.disks, v.disk, v.peerDisk)) {
    return { state: 'ok', observed };
  }
  return { state: 'wait', observed };
}

/** A node may be promoted only when its own data is UpToDate and it is not standing alone. */
export function judgePromotion(v: DrbdView, resource: string): Verdict {
  const observed = describeDrbd(v);
  if (!v.configured) return { state: 'refuse', observed, advice: `bring the resource up first (drbdadm up ${resource})` };
  if (v.cstate === 'StandAlone') return { state: 'refuse', observed, advice: SPLIT_BRAIN_ADVICE.replaceAll('RES', resource) };
  if (v.disk !== 'UpToDate') {
    return { state: 'refuse', observed, advice: `never promote a node whose data is ${v.disk}: wait until its resync from the peer has finished (cat /proc/drbd), or, if the peer is gone, start the node that has the newest data (the one shut down last) with --primary NODE` };
  }
  return { state: 'ok', observed };
}

/** `pcs status` as the procedures need it. */
export interface PcsView {
  readonly running: boolean;
  readonly nodes: readonly { readonly name: string; readonly online: boolean; readonly standby: boolean }[];
  readonly resources: readonly { readonly id: string; readonly started: boolean; readonly node?: string }[];
  readonly failed: readonly string[];
}

export function pcsView(text: string): PcsView {
  const s = parsePcsStatus(text);
  return {
    running: s.stackRunning,
    nodes: s.nodes.map((n) => ({ name: n.name, online: !n.state.includes('offline') && n.state !== 'pending', standby: n.state.startsWith('standby') })),
    resources: pcsPrimitives(s.resources).map((r) => ({ id: r.id, started: r.state === 'Started' || r.state === 'Promoted', ...(r.node === undefined ? {} : { node: r.node }) })),
    failed: s.failedActions.map((a) => `${a.resource}_${a.operation}_${a.interval} on ${a.node} '${a.rcText}' (${a.rc})`),
  };
}

export function describePcs(v: PcsView): string {
  if (!v.running) return 'the cluster is not running on this node';
  const nodes = v.nodes.map((n) => `${n.name} ${n.online ? (n.standby ? 'standby' : 'online') : 'offline'}`).join(', ');
  const res = v.resources.map((r) => `${r.id} ${r.started ? `on ${r.node ?? '?'}` : 'stopped'}`).join(', ');
  return `nodes: ${nodes}; resources: ${res}${v.failed.length > 0 ? `; failed actions: ${v.failed.join(', ')}` : ''}`;
}

/** Nodes online (both, or the asking node), the resources started, no failed actions. */
export function judgePcs(v: PcsView, want: { resources: readonly string[]; nodes: 'both' | 'self'; self: string }): Verdict {
  const observed = describePcs(v);
  if (!v.running) return { state: 'wait', observed };
  const nodesOk = want.nodes === 'both' ? v.nodes.every((n) => n.online) : v.nodes.some((n) => n.name === want.self && n.online);
  const wanted = want.resources.length > 0 ? v.resources.filter((r) => want.resources.includes(r.id)) : v.resources;
  const missing = want.resources.filter((id) => !v.resources.some((r) => r.id === id));
  const resourcesOk = missing.length === 0 && wanted.every((r) => r.started);
  if (nodesOk && resourcesOk && v.failed.length === 0) return { state: 'ok', observed };
  return { state: 'wait', observed };
}

/** The node the resources run on (the active node), if they all run on one. */
export function activeNode(v: PcsView, resources: readonly string[]): string | undefined {
  const wanted = resources.length > 0 ? v.resources.filter((r) => resources.includes(r.id)) : v.resources;
  const nodes = new Set(wanted.filter((r) => r.started).map((r) => r.node));
  return nodes.size === 1 ? [...nodes][0] : undefined;
}
