/**
 * `pcs status` exactly as pcs + crm_mon print it, in three layouts: pacemaker 1.1.12-era
 * (`1.1-early`), 1.1.18+ (`1.1`) and 2.1 (`2`): TAB-separated resource lines, single-line nodes
 * before the `Online:`/`OFFLINE:` lists, blank-line separated sections, ctime dates. Times come
 * in as data or as `now`; nothing here reads a clock. Then the other pcs commands: `pcs cluster
 * start|stop --all` progress (pcs 0.9 starts corosync everywhere, then pacemaker; pcs ≥ 0.11.1
 * writes progress to stderr), `pcs resource cleanup` (crm_resource's `Cleaned up …` and `Waiting
 * for N replies … OK`) and pcs's `Error:` lines. Progress comes out in the order given (real pcs
 * prints in completion order). domain.md §2.1–2.5.
 */
import { agentTo11, PCS_NODE_TEXT } from '../../parsers/index.js';
import type { PcsClone, PcsFailedAction, PcsHeader, PcsLayout, PcsNode, PcsPrimitive, PcsResource, PcsStatus, ToolOutput } from '../../parsers/index.js';

/** Options of `formatPcsStatus`. */
export interface PcsStatusOptions {
  /** @default the status's own layout */
  readonly layout?: PcsLayout;
  /** Prints `Last updated:` as this instant (UTC); without it the header's text is used. */
  readonly now?: Date;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** ctime(3) without the newline, in UTC: `Mon Mar  3 10:00:00 2025`. */
export function formatCtime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()] ?? ''} ${MONTHS[date.getUTCMonth()] ?? ''} ${String(date.getUTCDate()).padStart(2)} ${time} ${date.getUTCFullYear()}`;
}

/** `pcs status`: stdout and exit 0, or pcs's error (exit 1) when the stack is not running. */
export function formatPcsStatus(status: PcsStatus, options: PcsStatusOptions = {}): ToolOutput {
  const layout = options.layout ?? status.layout;
  if (!status.stackRunning) return pcsNotRunning(layout);
  const header = status.header === undefined ? undefined : { ...status.header, ...(options.now === undefined ? {} : { lastUpdated: formatCtime(options.now) }) };
  const top = [...(status.clusterName === undefined ? [] : [`Cluster name: ${status.clusterName}`]), ...(header === undefined ? [] : headerLines(header, layout))];
  const blocks = [top, nodeLines(status.nodes, layout), resourceLines(status.resources, layout), failedLines(status.failedActions, layout)];
  if (status.pcsd !== undefined) blocks.push(['PCSD Status:', ...status.pcsd.map((p) => `  ${p.node}: ${p.status}`)]);
  if (status.daemons !== undefined) blocks.push(['Daemon Status:', ...status.daemons.map((d) => `  ${d.name}: ${d.status}`)]);
  const lines = blocks.filter((b) => b.length > 0).flatMap((b, i) => (i === 0 ? b : ['', ...b]));
  return { stdout: `${lines.join('\n')}\n`, stderr: '', exitCode: 0 };
}

/** What pcs says when corosync/pacemaker are not running on the node (exit 1). */
export function pcsNotRunning(layout: PcsLayout): ToolOutput {
  const stderr = layout === '2'
    ? 'Error: error running crm_mon, is pacemaker running?\n  Could not connect to pacemakerd: Connection refused\n  crm_mon: Connection to cluster failed: Connection refused\n'
    : 'Error: cluster is not currently running on this node\n';
  return { stdout: '', stderr, exitCode: 1 };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function headerLines(h: PcsHeader, layout: PcsLayout): string[] {
  const id = h.dc?.id === undefined ? '' : ` (${h.dc.id})`;
  const version = layout !== '1.1-early' && h.version !== undefined ? ` (version ${h.version})` : '';
  const dc = `Current DC: ${h.dc === undefined ? 'NONE' : `${h.dc.name}${id}${version} - partition ${h.quorum ? 'with' : 'WITHOUT'} quorum`}`;
  const blocked = h.blocked === undefined ? '' : `, ${h.blocked} BLOCKED from starting due to failure`;
  const disabled = h.disabled === undefined ? '' : ` (${h.disabled} DISABLED${blocked})`;
  const updated = h.lastUpdated === undefined ? [] : [`Last updated: ${h.lastUpdated}`];
  const change = (gap: string): string[] => (h.lastChange === undefined ? [] : [`Last change:${gap}${h.lastChange}`]);
  switch (layout) {
    case '1.1-early':
      return [...updated, ...change(' '), `Stack: ${h.stack}`, dc, ...(h.version === undefined ? [] : [`Version: ${h.version}`]),
        `${h.nodesConfigured} Nodes configured`, `${h.resourcesConfigured} Resources configured${disabled}`, ''];
    case '1.1':
      return [`Stack: ${h.stack}`, dc, ...updated, ...change(' '), '', `${plural(h.nodesConfigured, 'node')} configured`,
        `${plural(h.resourcesConfigured, 'resource')} configured${disabled}`];
    case '2':
      return ['Cluster Summary:', ...[`Stack: ${h.stack}`, dc, ...updated, ...change('  '), `${plural(h.nodesConfigured, 'node')} configured`,
        `${plural(h.resourcesConfigured, 'resource instance')} configured${disabled}`].map((l) => `  * ${l}`)];
  }
}

function nodeLines(nodes: readonly PcsNode[], layout: PcsLayout): string[] {
  const lines: string[] = [];
  for (const n of nodes) {
    if (n.state !== 'online' && n.state !== 'offline') lines.push(`Node ${n.name}${n.id === undefined ? '' : ` (${n.id})`}: ${PCS_NODE_TEXT[n.state]}`);
  }
  const list = (state: 'online' | 'offline', label: string): void => {
    const names = nodes.filter((n) => n.state === state).map((n) => n.name);
    if (names.length > 0) lines.push(`${label}: [ ${names.join(' ')} ]`);
  };
  list('online', 'Online');
  list('offline', 'OFFLINE');
  return layout === '2' ? ['Node List:', ...lines.map((l) => `  * ${l}`)] : lines;
}

const STATE_11: Readonly<Record<string, string>> = { Promoted: 'Master', Unpromoted: 'Slave', 'FAILED Promoted': 'FAILED Master' };
const CLONE_LABELS: Readonly<Record<PcsLayout, Readonly<Record<PcsClone['instances'][number]['role'], string>>>> = {
  '1.1-early': { started: 'Started', promoted: 'Masters', unpromoted: 'Slaves', stopped: 'Stopped' },
  '1.1': { started: 'Started', promoted: 'Masters', unpromoted: 'Slaves', stopped: 'Stopped' },
  '2': { started: 'Started', promoted: 'Promoted', unpromoted: 'Unpromoted', stopped: 'Stopped' },
};

/** ` <id>\t(<agent>):\t<state> <node>` (1.1; 1.1.12 adds a blank after the node) or `…:\t <state> <node>` (2). */
function primitiveText(p: PcsPrimitive, layout: PcsLayout): string {
  const flags = p.flags === undefined || p.flags.length === 0 ? '' : `(${p.flags.join(', ')})`;
  if (layout === '2') return `${p.id}\t(${p.agent}):\t ${[p.state, p.node, flags].filter((w) => w !== undefined && w !== '').join(' ')}`;
  const state = STATE_11[p.state] ?? p.state;
  const head = `${p.id}\t(${agentTo11(p.agent)}):\t${state}`;
  if (layout === '1.1') return [head, p.node, flags].filter((w) => w !== undefined && w !== '').join(' ');
  return `${head}${p.node === undefined ? '' : ` ${p.node} `}${flags === '' ? '' : `${p.node === undefined ? ' ' : ''}${flags}`}`;
}

function resourceItem(r: PcsResource, layout: PcsLayout): string[] {
  const [top, child] = layout === '2' ? ['  * ', '    * '] : [' ', '     '];
  switch (r.kind) {
    case 'primitive':
      return [`${top}${primitiveText(r, layout)}`];
    case 'group':
      return [`${top}Resource Group: ${r.id}${layout === '2' ? ':' : ''}`, ...r.members.map((m) => `${child}${primitiveText(m, layout)}`)];
    case 'clone': {
      const title = layout === '2'
        ? `Clone Set: ${r.id} [${r.child}]${r.promotable ? ' (promotable)' : ''}:`
        : `${r.promotable ? 'Master/Slave Set' : 'Clone Set'}: ${r.id} [${r.child}]`;
      return [`${top}${title}`, ...r.instances.map((i) => `${child}${CLONE_LABELS[layout][i.role]}: [ ${i.nodes.join(' ')} ]`)];
    }
  }
}

function resourceLines(resources: readonly PcsResource[], layout: PcsLayout): string[] {
  const items = resources.flatMap((r) => resourceItem(r, layout));
  if (layout === '2') return ['Full List of Resources:', ...(items.length === 0 ? ['  * No resources'] : items)];
  return ['Full list of resources:', '', ...(items.length === 0 ? ['No resources'] : items)];
}

function failedLines(actions: readonly PcsFailedAction[], layout: PcsLayout): string[] {
  if (actions.length === 0) return [];
  const early = layout !== '2';
  const items = actions.map((a) => {
    const q = (v: string): string => (early ? v : `'${v}'`);
    const fields = [
      a.call === undefined ? undefined : `call=${a.call}`,
      a.status === undefined ? undefined : `status=${q(a.status)}`,
      early ? `exitreason='${a.exitReason ?? 'none'}'` : a.exitReason === undefined ? undefined : `exitreason='${a.exitReason}'`,
    ].filter((f) => f !== undefined);
    const timing = [
      a.lastRcChange === undefined ? undefined : `last-rc-change='${a.lastRcChange}'`,
      a.queuedMs === undefined ? undefined : `queued=${a.queuedMs}ms`,
      a.execMs === undefined ? undefined : `exec=${a.execMs}ms`,
    ].filter((f) => f !== undefined);
    const head = `* ${a.resource}_${a.operation}_${a.interval} on ${a.node} '${a.rcText}' (${a.rc}): ${fields.join(', ')}`;
    // pacemaker 1.1 breaks the line before last-rc-change; 2.x keeps one line.
    if (timing.length === 0) return early ? head : `  ${head}`;
    return early ? `${head},\n    ${timing.join(', ')}` : `  ${head}, ${timing.join(', ')}`;
  });
  return [early ? 'Failed Actions:' : 'Failed Resource Actions:', ...items];
}

// ---------------------------------------------------------------- pcs cluster start/stop, resource cleanup, errors

/** pcs release family: 0.9 (CentOS 7), 0.10 (RHEL 8, stdout), 0.11 (≥ 0.11.1, progress on stderr). */
export type PcsVersion = '0.9' | '0.10' | '0.11';

/** Options of `formatPcsClusterStart` / `formatPcsClusterStop`. */
export interface PcsClusterOptions {
  readonly pcs: PcsVersion;
  /** Nodes pcs could not reach: they get a `Not starting/stopping` line and the command fails. */
  readonly unreachable?: readonly string[];
}

function output(progress: readonly string[], options: PcsClusterOptions, failure: string): ToolOutput {
  const text = progress.map((l) => `${l}\n`).join('');
  const unreachable = options.unreachable ?? [];
  const onStderr = options.pcs === '0.11';
  const errors = unreachable.length === 0 ? '' : `${unreachable.map((n) => `${n}: ${failure} - node is unreachable\n`).join('')}Error: unable to ${failure === 'Not starting cluster' ? 'start' : 'stop'} all nodes\n`;
  return { stdout: onStderr ? '' : text, stderr: `${onStderr ? text : ''}${errors}`, exitCode: errors === '' ? 0 : 1 };
}

/** `pcs cluster start --all` (or with node names): one progress line per node (two on pcs 0.9). */
export function formatPcsClusterStart(nodes: readonly string[], options: PcsClusterOptions): ToolOutput {
  const reachable = nodes.filter((n) => !(options.unreachable ?? []).includes(n));
  const progress = options.pcs === '0.9'
    ? [...reachable.map((n) => `${n}: Starting Cluster (corosync)...`), ...reachable.map((n) => `${n}: Starting Cluster (pacemaker)...`)]
    : reachable.map((n) => `${n}: Starting Cluster...`);
  return output(progress, options, 'Not starting cluster');
}

/** `pcs cluster stop --all`: pacemaker on every node first, then corosync. */
export function formatPcsClusterStop(nodes: readonly string[], options: PcsClusterOptions): ToolOutput {
  const reachable = nodes.filter((n) => !(options.unreachable ?? []).includes(n));
  const progress = [...reachable.map((n) => `${n}: Stopping Cluster (pacemaker)...`), ...reachable.map((n) => `${n}: Stopping Cluster (corosync)...`)];
  return output(progress, options, 'Not stopping cluster');
}

/** Options of `formatPcsResourceCleanup`. */
export interface PcsCleanupOptions {
  /** `2` says "from the controller" on stdout; 1.1 says "from the CRMd" on stderr. */
  readonly layout: PcsLayout;
  /** What was cleaned, or `all` (`Cleaned up all resources on all nodes`). */
  readonly cleaned: readonly { readonly resource: string; readonly node: string }[] | 'all';
  /** Controller replies waited for: one `.` each. @default 1 per cleaned entry */
  readonly replies?: number;
}

/** `pcs resource cleanup [<rsc>]` (crm_resource --cleanup). */
export function formatPcsResourceCleanup(options: PcsCleanupOptions): ToolOutput {
  const cleaned = options.cleaned === 'all'
    ? 'Cleaned up all resources on all nodes\n'
    : options.cleaned.map((c) => `Cleaned up ${c.resource} on ${c.node}\n`).join('');
  const replies = options.replies ?? (options.cleaned === 'all' ? 1 : options.cleaned.length);
  const from = options.layout === '2' ? 'the controller' : 'the CRMd';
  const waiting = replies === 0 ? '' : `Waiting for ${replies} ${replies === 1 ? 'reply' : 'replies'} from ${from}${'.'.repeat(replies)} OK\n`;
  return options.layout === '2'
    ? { stdout: `${cleaned}${waiting}`, stderr: '', exitCode: 0 }
    : { stdout: cleaned, stderr: waiting, exitCode: 0 };
}

/** A pcs failure. */
export type PcsError =
  /** pcs 0.9/0.10 without a running stack. */
  | { readonly kind: 'cluster-not-running' }
  /** `pcs node standby <x>` / `pcs cluster standby <x>` for an unknown node. */
  | { readonly kind: 'node-not-found'; readonly node: string }
  /** Stopping a subset of nodes without `--force`. */
  | { readonly kind: 'quorum-loss' };

/** pcs's `Error: …` on stderr, exit 1. */
export function formatPcsError(error: PcsError): ToolOutput {
  const text = {
    'cluster-not-running': 'cluster is not currently running on this node',
    'node-not-found': `Node '${'node' in error ? error.node : ''}' does not appear to exist in configuration`,
    'quorum-loss': 'Stopping the node(s) will cause a loss of the quorum, use --force to override',
  }[error.kind];
  return { stdout: '', stderr: `Error: ${text}\n`, exitCode: 1 };
}
