/**
 * `crm_mon` XML: pacemaker 2 `crm_mon -1 --output-as=xml` (`<pacemaker-result>`, two-space
 * indent, `/>`) and pacemaker 1.1 `crm_mon -1 -X` (`<crm_mon version=…>`, four-space indent,
 * ` />` and ` >` as 1.1 printed them, `cached` meaning "node offline"). Also derives that view
 * from a `pcs status` state so a simulated cluster keeps one state. domain.md §2.6.
 */
import { agentFrom11, agentTo11, pcsPrimitives } from '../../parsers/index.js';
import type { CrmMonNode, CrmMonResource, CrmMonResult, PcsNode, PcsPrimitive, PcsStatus } from '../../parsers/index.js';

function attrs(pairs: Readonly<Record<string, string | number | boolean>>): string {
  const esc = (v: string): string => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return Object.entries(pairs).map(([k, v]) => `${k}="${esc(String(v))}"`).join(' ');
}

const ROLE_11: Readonly<Record<string, string>> = { Promoted: 'Master', Unpromoted: 'Slave' };
const ROLE_2: Readonly<Record<string, string>> = { Master: 'Promoted', Slave: 'Unpromoted' };

/** `result` in the other generation's spellings (`ocf::` agents and Master/Slave on 1.1). */
function relayout(result: CrmMonResult, layout: CrmMonResult['layout']): CrmMonResult {
  if (layout === result.layout) return result;
  const resources = result.resources.map((r) => ({
    ...r,
    agent: layout === '2' ? agentFrom11(r.agent) : agentTo11(agentFrom11(r.agent)),
    role: (layout === '2' ? ROLE_2 : ROLE_11)[r.role] ?? r.role,
  }));
  return { ...result, layout, resources };
}

/** The XML document for `result`, in its own layout or the one asked for. */
export function formatCrmMonXml(input: CrmMonResult, options: { readonly layout?: CrmMonResult['layout'] } = {}): string {
  const result = relayout(input, options.layout ?? input.layout);
  const v2 = result.layout === '2';
  const [i1, i2, i3] = v2 ? ['  ', '    ', '      '] : ['    ', '        ', '            '];
  const close = v2 ? '/>' : ' />';
  const el = (indent: string, name: string, a: Readonly<Record<string, string | number | boolean>>): string => `${indent}<${name} ${attrs(a)}${close}`;
  const dc = result.dc;
  const change = result.lastChange;
  const lines = [
    '<?xml version="1.0"?>',
    v2 ? `<pacemaker-result ${attrs({ 'api-version': result.version, request: 'crm_mon -1 --output-as=xml' })}>` : `<crm_mon ${attrs({ version: result.version })}>`,
    `${i1}<summary>`,
    ...(result.stack === undefined ? [] : [el(i2, 'stack', { type: result.stack })]),
    dc === undefined ? el(i2, 'current_dc', { present: false }) : el(i2, 'current_dc', { present: true, version: dc.version, name: dc.name, id: dc.id, with_quorum: dc.withQuorum }),
    ...(result.lastUpdate === undefined ? [] : [el(i2, 'last_update', { time: result.lastUpdate })]),
    ...(change === undefined ? [] : [el(i2, 'last_change', { time: change.time, user: change.user, client: change.client, origin: change.origin })]),
    el(i2, 'nodes_configured', v2 ? { number: result.nodes.length } : { number: result.nodes.length, expected_votes: 'unknown' }),
    el(i2, 'resources_configured', { number: result.resources.length, disabled: 0, blocked: 0 }),
    `${i1}</summary>`,
    `${i1}<nodes>`,
    ...result.nodes.map((n) => el(i2, 'node', nodeAttrs(n))),
    `${i1}</nodes>`,
    `${i1}<resources>`,
    ...resourceLines(result, [i2, i3]),
    `${i1}</resources>`,
    ...(v2 ? [el(i1, 'status', { code: 0, message: 'OK' }), '</pacemaker-result>'] : ['</crm_mon>']),
  ];
  return `${lines.join('\n')}\n`;
}

function nodeAttrs(n: CrmMonNode): Record<string, string | number | boolean> {
  return {
    name: n.name, id: n.id, online: n.online, standby: n.standby, standby_onfail: n.standbyOnFail, maintenance: n.maintenance,
    pending: n.pending, unclean: n.unclean, shutdown: n.shutdown, expected_up: n.expectedUp, is_dc: n.isDc,
    resources_running: n.resourcesRunning, type: n.type,
  };
}

/** Resources, wrapping runs that share a parent in `<group>`/`<clone>`/`<bundle>`. */
function resourceLines(result: CrmMonResult, [outer, inner]: readonly [string, string]): string[] {
  const lines: string[] = [];
  const resources = result.resources;
  for (let i = 0; i < resources.length;) {
    const parent = resources[i]?.parent;
    let end = i + 1;
    while (parent !== undefined && end < resources.length && resources[end]?.parent?.id === parent.id && resources[end]?.parent?.kind === parent.kind) end += 1;
    const run = resources.slice(i, end);
    if (parent === undefined) lines.push(...run.flatMap((r) => resourceXml(r, result, outer)));
    else {
      const open = result.layout === '2' ? '>' : ' >';
      lines.push(`${outer}<${parent.kind} ${attrs(holderAttrs(parent.kind, parent.id, run))}${open}`);
      lines.push(...run.flatMap((r) => resourceXml(r, result, `${inner}`)));
      lines.push(`${outer}</${parent.kind}>`);
    }
    i = end;
  }
  return lines;
}

function holderAttrs(kind: 'group' | 'clone' | 'bundle', id: string, run: readonly CrmMonResource[]): Record<string, string | number | boolean> {
  if (kind === 'group') return { id, number_resources: run.length };
  const multiState = run.some((r) => /^(Master|Slave|Promoted|Unpromoted)$/.test(r.role));
  return { id, multi_state: multiState, unique: false, managed: true, failed: run.some((r) => r.failed), failure_ignored: false };
}

function resourceXml(r: CrmMonResource, result: CrmMonResult, indent: string): string[] {
  const v2 = result.layout === '2';
  const a = attrs({
    id: r.id, resource_agent: r.agent, role: r.role, active: r.active, orphaned: r.orphaned, blocked: r.blocked, managed: r.managed,
    failed: r.failed, failure_ignored: r.failureIgnored, nodes_running_on: r.nodes.length,
  });
  if (r.nodes.length === 0) return [`${indent}<resource ${a}${v2 ? '/>' : ' />'}`];
  const child = v2 ? `${indent}  ` : `${indent}    `;
  const nodes = r.nodes.map((name) => {
    const node = result.nodes.find((n) => n.name === name);
    // 2.x: cached = online; 1.1.18: cached = !online.
    const cached = v2 ? node?.online ?? true : !(node?.online ?? true);
    return `${child}<node ${attrs({ name, id: node?.id ?? '', cached })}/>`;
  });
  return [`${indent}<resource ${a}${v2 ? '>' : ' >'}`, ...nodes, `${indent}</resource>`];
}

const ONLINE: readonly PcsNode['state'][] = ['online', 'standby', 'standby-on-fail', 'maintenance', 'unclean-online'];

/**
 * The `crm_mon` XML view of a `pcs status` state (1.1 spellings for the 1.1 layouts). Clone
 * instances get the clone's child id and no agent: `pcs status` text does not show one.
 */
export function crmMonFromPcs(status: PcsStatus, options: { readonly apiVersion?: string } = {}): CrmMonResult {
  const v2 = status.layout === '2';
  const h = status.header;
  const ids = new Map(status.nodes.map((n, i) => [n.name, n.id ?? String(i + 1)]));
  const resources = crmResources(status, v2);
  const nodes = status.nodes.map((n): CrmMonNode => ({
    name: n.name, id: ids.get(n.name) ?? '', online: ONLINE.includes(n.state), standby: n.state.startsWith('standby'),
    standbyOnFail: n.state === 'standby-on-fail', maintenance: n.state === 'maintenance', pending: n.state === 'pending',
    unclean: n.state.startsWith('unclean'), shutdown: false, expectedUp: ONLINE.includes(n.state), isDc: h?.dc?.name === n.name,
    resourcesRunning: resources.filter((r) => r.nodes.includes(n.name)).length, type: 'member',
  }));
  return {
    layout: v2 ? '2' : '1.1',
    version: v2 ? options.apiVersion ?? '2.20' : (h?.version ?? '1.1.23').split('-')[0] ?? '1.1.23',
    ...(h === undefined ? {} : { stack: h.stack }),
    ...(h?.dc === undefined ? {} : { dc: { name: h.dc.name, id: ids.get(h.dc.name) ?? '', version: h.version ?? '', withQuorum: h.quorum } }),
    ...(h?.lastUpdated === undefined ? {} : { lastUpdate: h.lastUpdated }),
    nodes,
    resources,
  };
}

function crmResources(status: PcsStatus, v2: boolean): CrmMonResource[] {
  const role = (r: string): string => (v2 ? r : ROLE_11[r] ?? r);
  const base = { orphaned: false, blocked: false, managed: true, failureIgnored: false };
  const primitive = (p: PcsPrimitive, parent?: CrmMonResource['parent']): CrmMonResource => ({
    ...base, id: p.id, agent: v2 ? p.agent : agentTo11(p.agent),
    role: role(p.state === 'FAILED' ? 'Started' : p.state === 'FAILED Promoted' ? 'Promoted' : p.state),
    active: p.node !== undefined, blocked: p.flags?.includes('blocked') ?? false, managed: !(p.flags?.includes('unmanaged') ?? false),
    failed: p.state.startsWith('FAILED'), nodes: p.node === undefined ? [] : [p.node], ...(parent === undefined ? {} : { parent }),
  });
  return status.resources.flatMap((r): CrmMonResource[] => {
    if (r.kind === 'primitive') return [primitive(r)];
    if (r.kind === 'group') return pcsPrimitives([r]).map((m) => primitive(m, { kind: 'group', id: r.id }));
    const roles = { started: 'Started', promoted: 'Promoted', unpromoted: 'Unpromoted', stopped: 'Stopped' } as const;
    return r.instances.flatMap((i) => i.nodes.map((node): CrmMonResource => ({
      ...base, id: r.child, agent: '', role: role(roles[i.role]), active: i.role !== 'stopped', failed: false,
      nodes: i.role === 'stopped' ? [] : [node], parent: { kind: 'clone', id: r.id },
    })));
  });
}
