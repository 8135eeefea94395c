/**
 * Reads `crm_mon` XML: pacemaker 2 `crm_mon -1 --output-as=xml` (root `<pacemaker-result>`) and
 * pacemaker 1.1 `crm_mon -1 -X` (root `<crm_mon version="1.1.x">`). A tolerant tag scanner, not an
 * XML parser: crm_mon's elements are flat attribute lists, and unknown elements, attributes, text
 * and stray `...` lines are ignored. domain.md §2.6.
 */
import type { CrmMonNode, CrmMonResource, CrmMonResult } from './types.js';

/** One element of a document, with its ancestors (outermost first). */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly parent?: XmlElement;
  readonly ancestors: readonly XmlElement[];
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (all, e: string) => {
    if (e.startsWith('#x') || e.startsWith('#X')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number(e.slice(1)));
    return ENTITIES[e] ?? all;
  });
}

/** Every element of `xml` in document order. Comments, declarations and text are skipped. */
export function xmlElements(xml: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [];
  for (const tag of xml.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<([^>]+)>/g)) {
    const body = (tag[1] ?? '').trim();
    if (body.startsWith('?') || body.startsWith('!')) continue;
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at >= 0) stack.length = at;
      continue;
    }
    const name = /^[\w:.-]+/.exec(body)?.[0] ?? '';
    const attrs: Record<string, string> = {};
    for (const a of body.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1] ?? ''] = decode(a[2] ?? a[3] ?? '');
    const parent = stack[stack.length - 1];
    const element: XmlElement = { name, attrs, ...(parent === undefined ? {} : { parent }), ancestors: [...stack] };
    out.push(element);
    if (!body.endsWith('/')) stack.push(element);
  }
  return out;
}

const yes = (e: XmlElement, key: string): boolean => e.attrs[key] === 'true';
const text = (e: XmlElement | undefined, key: string): string => e?.attrs[key] ?? '';

/** `crm_mon` XML of either generation, or undefined without a `<crm_mon>`/`<pacemaker-result>` root. */
export function parseCrmMonXml(xml: string): CrmMonResult | undefined {
  const elements = xmlElements(xml);
  const root = elements.find((e) => e.name === 'crm_mon' || e.name === 'pacemaker-result');
  if (root === undefined) return undefined;
  const first = (name: string): XmlElement | undefined => elements.find((e) => e.name === name && e.parent?.name === 'summary');
  const stack = first('stack');
  const dc = first('current_dc');
  const updated = first('last_update');
  const change = first('last_change');
  return {
    layout: root.name === 'crm_mon' ? '1.1' : '2',
    version: text(root, root.name === 'crm_mon' ? 'version' : 'api-version'),
    ...(stack === undefined ? {} : { stack: text(stack, 'type') }),
    ...(dc === undefined || !yes(dc, 'present') ? {} : { dc: { name: text(dc, 'name'), id: text(dc, 'id'), version: text(dc, 'version'), withQuorum: yes(dc, 'with_quorum') } }),
    ...(updated === undefined ? {} : { lastUpdate: text(updated, 'time') }),
    ...(change === undefined ? {} : { lastChange: { time: text(change, 'time'), user: text(change, 'user'), client: text(change, 'client'), origin: text(change, 'origin') } }),
    nodes: elements.filter((e) => e.name === 'node' && e.parent?.name === 'nodes').map(readNode),
    resources: elements.filter((e) => e.name === 'resource' && e.ancestors.some((a) => a.name === 'resources')).map((r) => readResource(r, elements)),
  };
}

function readNode(e: XmlElement): CrmMonNode {
  return {
    name: text(e, 'name'),
    id: text(e, 'id'),
    online: yes(e, 'online'),
    standby: yes(e, 'standby'),
    standbyOnFail: yes(e, 'standby_onfail'),
    maintenance: yes(e, 'maintenance'),
    pending: yes(e, 'pending'),
    unclean: yes(e, 'unclean'),
    shutdown: yes(e, 'shutdown'),
    expectedUp: yes(e, 'expected_up'),
    isDc: yes(e, 'is_dc'),
    resourcesRunning: Number(text(e, 'resources_running') || '0'),
    type: text(e, 'type'),
  };
}

function readResource(e: XmlElement, all: readonly XmlElement[]): CrmMonResource {
  const holder = [...e.ancestors].reverse().find((a) => a.name === 'group' || a.name === 'clone' || a.name === 'bundle');
  return {
    id: text(e, 'id'),
    agent: text(e, 'resource_agent'),
    role: text(e, 'role'),
    active: yes(e, 'active'),
    orphaned: yes(e, 'orphaned'),
    blocked: yes(e, 'blocked'),
    managed: e.attrs['managed'] !== 'false',
    failed: yes(e, 'failed'),
    failureIgnored: yes(e, 'failure_ignored'),
    nodes: all.filter((n) => n.name === 'node' && n.parent === e).map((n) => text(n, 'name')),
    ...(holder === undefined ? {} : { parent: { kind: holder.name as 'group' | 'clone' | 'bundle', id: text(holder, 'id') } }),
  };
}
