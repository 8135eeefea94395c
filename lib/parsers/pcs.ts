/**
 * Reads `pcs status` text in the three layouts (pacemaker 1.1.12-era, 1.1.18+, 2.1 bullets):
 * cluster name, summary, nodes, resources (primitives, groups, clone sets), failed actions, PCSD
 * and daemon status. Lines are classified by their words, not by columns, and tabs or collapsed
 * spaces are both accepted. Prefer `crm_mon` XML (crm-mon.ts) where available. domain.md §2.1–2.2.
 */
import { unreachable } from '../util/unreachable.js';
import type { PcsClone, PcsFailedAction, PcsHeader, PcsLayout, PcsNode, PcsNodeState, PcsPrimitive, PcsResource, PcsResourceState, PcsStatus } from './types.js';

/** How a node on a line of its own shows its state (`Node pcmk-1: standby`). */
export const PCS_NODE_TEXT: Readonly<Record<Exclude<PcsNodeState, 'online' | 'offline'>, string>> = {
  standby: 'standby',
  'standby-offline': 'OFFLINE (standby)',
  'standby-on-fail': 'standby (on-fail)',
  maintenance: 'maintenance',
  pending: 'pending',
  'unclean-online': 'UNCLEAN (online)',
  'unclean-offline': 'UNCLEAN (offline)',
};

/** `ocf:heartbeat:IPaddr2` → `ocf::heartbeat:IPaddr2` (pacemaker 1.1 spelling); `systemd:smb` stays. */
export function agentTo11(agent: string): string {
  const parts = agent.split(':');
  return parts.length === 3 ? `${parts[0] ?? ''}::${parts[1] ?? ''}:${parts[2] ?? ''}` : agent;
}

/** `ocf::heartbeat:IPaddr2` → `ocf:heartbeat:IPaddr2`. */
export function agentFrom11(agent: string): string {
  return agent.replace('::', ':');
}

/** Every primitive, including group members (clone sets have none). */
export function pcsPrimitives(resources: readonly PcsResource[]): PcsPrimitive[] {
  return resources.flatMap((r) => (r.kind === 'primitive' ? [r] : r.kind === 'group' ? [...r.members] : []));
}

// Longest first: `FAILED Master` before `FAILED`; 1.1 words map to 2.1 ones.
const STATE_WORDS: readonly (readonly [string, PcsResourceState])[] = [
  ['FAILED Promoted', 'FAILED Promoted'], ['FAILED Master', 'FAILED Promoted'], ['FAILED', 'FAILED'],
  ['Started', 'Started'], ['Stopped', 'Stopped'], ['Starting', 'Starting'], ['Stopping', 'Stopping'],
  ['Promoted', 'Promoted'], ['Master', 'Promoted'], ['Unpromoted', 'Unpromoted'], ['Slave', 'Unpromoted'],
  ['Migrating', 'Migrating'], ['Promoting', 'Promoting'], ['Demoting', 'Demoting'],
];
const CLONE_ROLES: Readonly<Record<string, PcsClone['instances'][number]['role']>> = {
  Started: 'started', Masters: 'promoted', Promoted: 'promoted', Slaves: 'unpromoted', Unpromoted: 'unpromoted', Stopped: 'stopped',
};
type Section = 'top' | 'nodes' | 'resources' | 'failed' | 'pcsd' | 'daemons' | 'other';
const HEADINGS: Readonly<Record<string, Section>> = {
  'Cluster Summary:': 'top', 'Node List:': 'nodes', 'Full list of resources:': 'resources', 'Full List of Resources:': 'resources',
  'Failed Actions:': 'failed', 'Failed Resource Actions:': 'failed', 'PCSD Status:': 'pcsd', 'Daemon Status:': 'daemons',
  'Migration Summary:': 'other', 'Node Attributes:': 'other', 'WARNINGS:': 'other', 'Operations:': 'other', 'Tickets:': 'other',
};

function detectLayout(text: string): PcsLayout {
  if (/^(Cluster Summary|Node List|Full List of Resources|Failed Resource Actions):$|error running crm_mon/m.test(text)) return '2';
  if (/^Version: |^\d+ (Nodes|Resources) configured$|^ \S+\t\(.*\):\t.* $/m.test(text)) return '1.1-early';
  return '1.1';
}

interface Acc {
  clusterName?: string;
  header: Partial<Record<'stack' | 'dc' | 'version' | 'lastUpdated' | 'lastChange', string>> & { nodes?: number; resources?: number; disabled?: number; blocked?: number };
  nodes: PcsNode[];
  resources: PcsResource[];
  failed: string[];
  pcsd: { node: string; status: string }[];
  daemons: { name: string; status: string }[];
}

/** `pcs status` (stdout and stderr together are fine). */
export function parsePcsStatus(text: string): PcsStatus {
  const layout = detectLayout(text);
  if (/cluster is not currently running on this node|error running crm_mon/.test(text)) {
    return { layout, stackRunning: false, nodes: [], resources: [], failedActions: [] };
  }
  const acc: Acc = { header: {}, nodes: [], resources: [], failed: [], pcsd: [], daemons: [] };
  let section: Section = 'top';
  for (const line of text.split('\n')) {
    const heading = HEADINGS[line.trim()];
    if (heading !== undefined) section = heading;
    else if (line.trim() !== '') readLine(acc, section, line, layout);
  }
  const header = buildHeader(acc.header);
  return {
    layout,
    stackRunning: true,
    ...(acc.clusterName === undefined ? {} : { clusterName: acc.clusterName }),
    ...(header === undefined ? {} : { header }),
    nodes: acc.nodes,
    resources: acc.resources,
    failedActions: acc.failed.flatMap((f) => parseFailedAction(f, layout) ?? []),
    ...(acc.pcsd.length === 0 ? {} : { pcsd: acc.pcsd }),
    ...(acc.daemons.length === 0 ? {} : { daemons: acc.daemons }),
  };
}

function readLine(acc: Acc, section: Section, line: string, layout: PcsLayout): void {
  const body = line.replace(/^\s*\* /, '').trimEnd();
  switch (section) {
    case 'top':
    case 'nodes':
      if (!readNodes(acc.nodes, body)) readHeaderLine(acc, body);
      return;
    case 'resources':
      readResource(acc.resources, line, layout);
      return;
    case 'failed':
      if (/^\s*\* /.test(line) || acc.failed.length === 0) acc.failed.push(body);
      else acc.failed[acc.failed.length - 1] += ` ${body.trim()}`;
      return;
    case 'pcsd':
    case 'daemons': {
      const m = /^\s+(\S+): (.*)$/.exec(line);
      if (m === null) return;
      if (section === 'pcsd') acc.pcsd.push({ node: m[1] ?? '', status: m[2] ?? '' });
      else acc.daemons.push({ name: m[1] ?? '', status: m[2] ?? '' });
      return;
    }
    case 'other':
      return;
    default:
      unreachable(section);
  }
}

function readNodes(nodes: PcsNode[], body: string): boolean {
  const list = /^(Online|OFFLINE): \[ ?(.*?) ?\]$/.exec(body);
  if (list !== null) {
    const state: PcsNodeState = list[1] === 'Online' ? 'online' : 'offline';
    for (const name of (list[2] ?? '').split(/\s+/).filter((n) => n !== '')) nodes.push({ name, state });
    return true;
  }
  const single = /^Node (\S+?)(?: \((\S+)\))?: (.*)$/.exec(body);
  const state = Object.entries(PCS_NODE_TEXT).find(([, t]) => t === single?.[3])?.[0] as PcsNodeState | undefined;
  if (single === null || state === undefined) return false;
  nodes.push({ name: single[1] ?? '', ...(single[2] === undefined ? {} : { id: single[2] }), state });
  return true;
}

function readHeaderLine(acc: Acc, body: string): void {
  const h = acc.header;
  const field = /^(Cluster name|Stack|Current DC|Last updated|Last change|Version): +(.*)$/.exec(body);
  const key = { 'Cluster name': 'clusterName', Stack: 'stack', 'Current DC': 'dc', 'Last updated': 'lastUpdated', 'Last change': 'lastChange', Version: 'version' }[field?.[1] ?? ''];
  if (key === 'clusterName') acc.clusterName = field?.[2] ?? '';
  else if (key !== undefined) {
    const [value, change] = (field?.[2] ?? '').split(/\t+Last change: +/);
    h[key as 'stack'] = value ?? '';
    if (change !== undefined) h.lastChange = change;
  }
  const nodes = /^(\d+) [Nn]odes? (?:configured|and (\d+) resources? configured)$/.exec(body);
  if (nodes !== null) {
    h.nodes = Number(nodes[1]);
    if (nodes[2] !== undefined) h.resources = Number(nodes[2]);
  }
  const res = /^(\d+) (?:[Rr]esources?|resource instances?) configured(?: \((\d+) DISABLED(?:, (\d+) BLOCKED from starting due to failure)?\))?$/.exec(body);
  if (res === null) return;
  h.resources = Number(res[1]);
  if (res[2] !== undefined) h.disabled = Number(res[2]);
  if (res[3] !== undefined) h.blocked = Number(res[3]);
}

function buildHeader(h: Acc['header']): PcsHeader | undefined {
  if (h.stack === undefined && h.dc === undefined) return undefined;
  const dc = /^(\S+)(?: \((?!version )([^)]*)\))?(?: \(version ([^)]*)\))?(?: - partition (with|WITHOUT) quorum)?$/.exec(h.dc ?? 'NONE');
  const version = dc?.[3] ?? h.version;
  return {
    stack: h.stack ?? '',
    ...(dc === null || dc[1] === 'NONE' ? {} : { dc: { name: dc[1] ?? '', ...(dc[2] === undefined ? {} : { id: dc[2] }) } }),
    quorum: dc?.[4] === 'with',
    ...(version === undefined ? {} : { version }),
    ...(h.lastUpdated === undefined ? {} : { lastUpdated: h.lastUpdated }),
    ...(h.lastChange === undefined ? {} : { lastChange: h.lastChange }),
    nodesConfigured: h.nodes ?? 0,
    resourcesConfigured: h.resources ?? 0,
    ...(h.disabled === undefined ? {} : { disabled: h.disabled }),
    ...(h.blocked === undefined ? {} : { blocked: h.blocked }),
  };
}

function readResource(resources: PcsResource[], line: string, layout: PcsLayout): void {
  const indent = line.length - line.trimStart().length;
  const body = line.replace(/^\s*(\* )?/, '').trimEnd();
  const parent = resources[resources.length - 1];
  if (indent >= (layout === '2' ? 4 : 3) && parent !== undefined && parent.kind !== 'primitive') {
    if (parent.kind === 'group') {
      const member = parsePrimitive(body);
      if (member !== undefined) resources[resources.length - 1] = { ...parent, members: [...parent.members, member] };
      return;
    }
    const inst = /^(\w+): \[ ?(.*?) ?\]$/.exec(body);
    const role = CLONE_ROLES[inst?.[1] ?? ''];
    if (role === undefined) return;
    const nodes = (inst?.[2] ?? '').split(/\s+/).filter((n) => n !== '');
    resources[resources.length - 1] = { ...parent, instances: [...parent.instances, { role, nodes }] };
    return;
  }
  const group = /^Resource Group: (\S+?):?$/.exec(body);
  const clone = /^(Clone Set|Master\/Slave Set): (\S+) \[(\S+)\]( \(promotable\))?:?$/.exec(body);
  if (group !== null) resources.push({ kind: 'group', id: group[1] ?? '', members: [] });
  else if (clone !== null) resources.push({ kind: 'clone', id: clone[2] ?? '', child: clone[3] ?? '', promotable: clone[1] !== 'Clone Set' || clone[4] !== undefined, instances: [] });
  else if (!/^No (active )?resources$/.test(body)) {
    const p = parsePrimitive(body);
    if (p !== undefined) resources.push(p);
  }
}

/** ` ClusterIP\t(ocf::heartbeat:IPaddr2):\tStarted pcmk-1 ` and the 2.x `\t Started` form. */
function parsePrimitive(body: string): PcsPrimitive | undefined {
  const m = /^(\S+)\s+\(([^)]*)\):\s*(.*)$/.exec(body);
  const rest = (m?.[3] ?? '').trim();
  const word = STATE_WORDS.find(([w]) => rest === w || rest.startsWith(`${w} `));
  if (m === null || word === undefined) return undefined;
  const after = rest.slice(word[0].length).trim();
  const flags = /\(([^)]*)\)$/.exec(after);
  const node = after.replace(/\s*\([^)]*\)$/, '').trim();
  return {
    kind: 'primitive',
    id: m[1] ?? '',
    agent: agentFrom11(m[2] ?? ''),
    state: word[1],
    ...(node === '' ? {} : { node }),
    ...(flags === null ? {} : { flags: (flags[1] ?? '').split(', ') }),
  };
}

function parseFailedAction(text: string, layout: PcsLayout): PcsFailedAction | undefined {
  const m = /^(\S+) on (\S+) '([^']*)' \((\d+)\): ?(.*)$/.exec(text);
  const key = /^(.+?)_(migrate_to|migrate_from|[^_]+)_(\d+)$/.exec(m?.[1] ?? '');
  if (m === null || key === null) return undefined;
  const f: Record<string, string> = {};
  for (const kv of (m[5] ?? '').matchAll(/([\w-]+)=(?:'([^']*)'|([^,\s]*))/g)) f[kv[1] ?? ''] = kv[2] ?? kv[3] ?? '';
  const ms = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v.replace(/ms$/, '')));
  const reason = f['exitreason'] === 'none' && layout !== '2' ? undefined : f['exitreason'];
  const defined = {
    ...opt('call', f['call'] === undefined ? undefined : Number(f['call'])),
    ...opt('status', f['status']),
    ...opt('exitReason', reason),
    ...opt('lastRcChange', f['last-rc-change']),
    ...opt('queuedMs', ms(f['queued'])),
    ...opt('execMs', ms(f['exec'])),
  };
  return { resource: key[1] ?? '', operation: key[2] ?? '', interval: Number(key[3]), node: m[2] ?? '', rcText: m[3] ?? '', rc: Number(m[4]), ...defined };
}

/** `{ [key]: value }`, or `{}` when the value is undefined (exactOptionalPropertyTypes). */
function opt<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
