import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildPlan, type Plan } from '../../lib/plan/index.js';
import { formatGraph } from '../../lib/reporters/index.js';
import { loadValid, ROOT } from '../support/topologies.js';
import { needTool } from '../support/tools.js';

function planOf(file: string, action: 'up' | 'down'): Plan {
  const { topology, graph } = loadValid(path.join(ROOT, 'topologies', file));
  return buildPlan(topology, graph, action, {});
}

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"`;
const ATTRS = String.raw`(?: \[(?:[a-z]+=(?:${QUOTED}|[\w.#]+)(?:, )?)+\])?`;

/** A small checker of the DOT subset formatGraph writes: statements, quoting, balanced blocks. Returns nodes and edges. */
function checkDot(lines: readonly string[]): { nodes: Set<string>; edges: [string, string, string][] } {
  expect(lines[0]).to.match(new RegExp(`^digraph ${QUOTED} \\{$`));
  expect(lines.at(-1)).to.equal('}');
  const nodes = new Set<string>();
  const edges: [string, string, string][] = [];
  let depth = 1;
  for (const line of lines.slice(1, -1)) {
    const s = line.trim();
    if (new RegExp(`^subgraph ${QUOTED} \\{$`).test(s)) depth++;
    else if (s === '}') depth--;
    else if (/^(rankdir|label|style)=("(?:[^"\\]|\\.)*"|\w+);$/.test(s) || /^(node|edge) \[.*\];$/.test(s)) continue;
    else {
      const node = new RegExp(`^(${QUOTED})${ATTRS};$`).exec(s);
      const edge = new RegExp(`^(${QUOTED}) -> (${QUOTED})(${ATTRS});$`).exec(s);
      if (node) nodes.add(JSON.parse(node[1] ?? '""') as string);
      else if (edge) edges.push([JSON.parse(edge[1] ?? '""') as string, JSON.parse(edge[2] ?? '""') as string, edge[3] ?? '']);
      else throw new Error(`not DOT: ${line}`);
    }
    expect(depth, line).to.be.greaterThan(0);
  }
  expect(depth).to.equal(1);
  return { nodes, edges };
}

describe('reporters/graph-text: the dependency graph as DOT and Mermaid', () => {
  it('DOT: every host in its wave, requires solid, after dashed, pairs joined', () => {
    const plan = planOf('large.yaml', 'up');
    const lines = formatGraph(plan, 'dot');
    const { nodes, edges } = checkDot(lines);
    expect([...nodes].sort()).to.deep.equal(plan.hosts.map((h) => h.name).sort());
    const links = plan.hosts.flatMap((h) => h.waitsFor.map((l) => `${l.host}->${h.name}:${l.kind}`));
    expect(edges.filter((e) => !e[2].includes('pair ')).map(([a, b, attrs]) => `${a}->${b}:${/label="(\w+)"/.exec(attrs)?.[1] ?? ''}`).sort()).to.deep.equal(links.sort());
    expect(edges.filter((e) => e[2].includes('style=dashed')).every((e) => e[2].includes('label="after"'))).to.equal(true);
    expect(edges.filter((e) => e[2].includes('dir=none')).map((e) => e[2].match(/pair [\w-]+/)?.[0])).to.deep.equal(plan.pairs.map((p) => `pair ${p.name}`));
    for (const [i, wave] of plan.waves.entries()) expect(lines).to.include(`  subgraph "cluster_wave_${i + 1}" {`, `wave ${i + 1}: ${wave.join(', ')}`);
  });

  it('DOT is accepted by Graphviz', function () {
    const dot = needTool(this, 'dot', 'graphviz');
    for (const action of ['up', 'down'] as const) {
      const r = spawnSync(dot, ['-Tsvg'], { input: formatGraph(planOf('large.yaml', action), 'dot').join('\n'), encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.include('<svg');
    }
  });

  it('Mermaid: a flowchart with a subgraph per wave, node ids for every host, an edge per link and the pairs marked', () => {
    const plan = planOf('large.yaml', 'up');
    const lines = formatGraph(plan, 'mermaid');
    expect(lines[0]).to.equal('flowchart LR');
    const ids = new Map<string, string>();
    let open = 0;
    const edges: string[] = [];
    for (const line of lines.slice(1)) {
      const s = line.trim();
      let m: RegExpExecArray | null;
      if (s.startsWith('%%')) continue;
      if ((m = /^subgraph wave(\d+)\["wave \1"\]$/.exec(s))) open++;
      else if (s === 'end') open--;
      else if ((m = /^(h\d+)\["([^"]*)"\]$/.exec(s))) ids.set(m[1] ?? '', (m[2] ?? '').split('<br/>')[0] ?? '');
      else if ((m = /^(h\d+) (-->|-\.->|===)\|([^|]+)\| (h\d+)$/.exec(s))) edges.push(`${ids.get(m[1] ?? '')}${m[2]}${ids.get(m[4] ?? '')}:${m[3]}`);
      else if (/^classDef pair [\w:;,-]+$/.test(s) || /^class (h\d+,)*h\d+ pair$/.test(s)) continue;
      else throw new Error(`not Mermaid flowchart syntax: ${line}`);
      expect(open).to.be.within(0, 1);
    }
    expect(open).to.equal(0);
    expect([...ids.values()].sort()).to.deep.equal(plan.hosts.map((h) => h.name).sort());
    const links = plan.hosts.flatMap((h) => h.waitsFor.map((l) => `${l.host}${l.kind === 'after' ? '-.->' : '-->'}${h.name}:${l.kind}`));
    expect(edges.filter((e) => !e.includes('===')).sort()).to.deep.equal(links.sort());
    expect(edges.filter((e) => e.includes('==='))).to.deep.equal(plan.pairs.map((p) => `${p.hosts[0]}===${p.hosts[1]}:pair ${p.name}`));
  });

  it('going down the arrows run the other way: a host stops after what depends on it is off', () => {
    const up = formatGraph(planOf('small.yaml', 'up'), 'mermaid');
    const down = formatGraph(planOf('small.yaml', 'down'), 'mermaid');
    expect(up).to.include('  h0 -->|requires| h1');
    expect(up[3]).to.equal('    h0["acd-lb<br/>storage, lb"]');
    // down: wave 1 is what nothing depends on; acd-lb stops last.
    expect(down.find((l) => l.includes('acd-lb'))).to.match(/^ {4}h4\["acd-lb/);
    expect(down.filter((l) => l.includes('-->')).every((l) => /\|requires\|/.test(l))).to.equal(true);
  });
});
