/**
 * A plan's dependency graph as Graphviz DOT or a Mermaid flowchart (`orchestrate graph`): the
 * hosts grouped by wave, each labelled with its roles; an arrow from the host waited for to the
 * host that waits (the order things happen: going up, `requires` solid and `after` dashed;
 * going down, the arrow means "off before it stops"); the two nodes of each redundant pair joined
 * by a thick undirected line and drawn with a double border. Pure: plan in, text out.
 */
import type { Plan } from '../plan/index.js';

export type GraphFormat = 'dot' | 'mermaid';

/** What both formats draw, from the plan. */
interface GraphShape {
  readonly title: string;
  readonly waves: readonly { readonly wave: number; readonly hosts: readonly { readonly name: string; readonly roles: readonly string[]; readonly pair?: string }[] }[];
  /** `from` is waited for by `to`. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly kind: 'requires' | 'after' }[];
  readonly pairs: readonly { readonly name: string; readonly hosts: readonly [string, string] }[];
}

function shapeOf(plan: Plan): GraphShape {
  const pairOf = new Map(plan.pairs.flatMap((p) => p.hosts.map((h) => [h, p.name] as const)));
  const waves = plan.waves.map((names, i) => ({
    wave: i + 1,
    hosts: names.map((name) => {
      const host = plan.hosts.find((h) => h.name === name);
      const pair = pairOf.get(name);
      return { name, roles: host?.roles ?? [], ...(pair === undefined ? {} : { pair }) };
    }),
  }));
  const inPlan = new Set(plan.waves.flat());
  const edges = plan.hosts.flatMap((h) => h.waitsFor.filter((l) => inPlan.has(l.host)).map((l) => ({ from: l.host, to: h.name, kind: l.kind })));
  const pairs = plan.pairs.filter((p) => p.hosts.every((h) => inPlan.has(h))).map((p) => ({ name: p.name, hosts: p.hosts }));
  return { title: `${plan.topology} ${plan.action}`, waves, edges, pairs };
}

/** A DOT quoted string (ID or label); `\n` in the text stays a line break. */
const dotString = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;

function dot(g: GraphShape): string[] {
  const lines = [
    `digraph ${dotString(g.title)} {`,
    '  rankdir=LR;',
    '  node [shape=box, style=rounded, fontname="Helvetica"];',
    '  edge [fontname="Helvetica", fontsize=10];',
  ];
  for (const w of g.waves) {
    lines.push(`  subgraph ${dotString(`cluster_wave_${w.wave}`)} {`, `    label=${dotString(`wave ${w.wave}`)};`, '    style=dashed;');
    for (const h of w.hosts) {
      const label = [h.name, h.roles.join(', '), ...(h.pair === undefined ? [] : [`pair ${h.pair}`])].filter((l) => l !== '').join('\n');
      lines.push(`    ${dotString(h.name)} [label=${dotString(label)}${h.pair === undefined ? '' : ', peripheries=2'}];`);
    }
    lines.push('  }');
  }
  for (const e of g.edges) lines.push(`  ${dotString(e.from)} -> ${dotString(e.to)} [label=${dotString(e.kind)}${e.kind === 'after' ? ', style=dashed' : ''}];`);
  for (const p of g.pairs) lines.push(`  ${dotString(p.hosts[0])} -> ${dotString(p.hosts[1])} [dir=none, style=bold, penwidth=3, constraint=false, label=${dotString(`pair ${p.name}`)}];`);
  lines.push('}');
  return lines;
}

/** Text inside a Mermaid `["…"]` label or `|…|` edge text: quotes and markup as entity codes. */
const mermaidText = (text: string): string => text.replace(/[#"<>&|[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`);

function mermaid(g: GraphShape): string[] {
  const ids = new Map(g.waves.flatMap((w) => w.hosts).map((h, i) => [h.name, `h${i}`]));
  const id = (host: string): string => ids.get(host) ?? 'unknown';
  const lines = ['flowchart LR', `  %% ${g.title.replace(/[\r\n]/g, ' ')}`];
  for (const w of g.waves) {
    lines.push(`  subgraph wave${w.wave}["wave ${w.wave}"]`);
    for (const h of w.hosts) {
      const label = [h.name, h.roles.join(', '), ...(h.pair === undefined ? [] : [`pair ${h.pair}`])].filter((l) => l !== '').map(mermaidText).join('<br/>');
      lines.push(`    ${id(h.name)}["${label}"]`);
    }
    lines.push('  end');
  }
  for (const e of g.edges) lines.push(`  ${id(e.from)} ${e.kind === 'after' ? '-.->' : '-->'}|${e.kind}| ${id(e.to)}`);
  for (const p of g.pairs) lines.push(`  ${id(p.hosts[0])} ===|${mermaidText(`pair ${p.name}`)}| ${id(p.hosts[1])}`);
  const paired = g.pairs.flatMap((p) => p.hosts.map(id));
  if (paired.length > 0) lines.push('  classDef pair stroke-width:4px,stroke-dasharray:0', `  class ${paired.join(',')} pair`);
  return lines;
}

/** The plan's graph in `format`, as lines. */
export function formatGraph(plan: Plan, format: GraphFormat): string[] {
  const g = shapeOf(plan);
  return format === 'dot' ? dot(g) : mermaid(g);
}
