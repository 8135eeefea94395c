import { expect } from 'chai';
import { Digraph, findCyclePaths } from '../../lib/graph/digraph.js';
import { planWaves } from '../../lib/plan/index.js';
import type { HostLink } from '../../lib/graph/index.js';
import { problemsOf } from '../support/topologies.js';

function graphOf(edges: readonly (readonly [string, string])[]): Digraph<string> {
  const g = new Digraph<string>();
  for (const [v, w] of edges) g.setEdge(v, w, `${v}->${w}`);
  return g;
}

const link = (host: string): HostLink => ({ host, kind: 'requires', reasons: [], roles: [], direct: true });

describe('graph: cycles and waves', () => {
  it('finds no cycle in a graph without one', () => {
    expect(findCyclePaths(graphOf([['a', 'b'], ['b', 'c'], ['a', 'c']]))).to.deep.equal([]);
  });

  it('gives each cycle as the shortest loop through its smallest node, in natural order of that node', () => {
    const g = graphOf([
      ['h10', 'h2'], ['h2', 'h10'],
      ['b', 'c'], ['c', 'd'], ['d', 'b'], ['c', 'b'],
      ['x', 'x'],
    ]);
    expect(findCyclePaths(g)).to.deep.equal([['b', 'c', 'b'], ['h2', 'h10', 'h2'], ['x', 'x']]);
  });

  it('walks a chain of 20,000 nodes, and its waves, without overflowing the stack', () => {
    const names = Array.from({ length: 20_000 }, (_, i) => `h${i + 1}`);
    const g = graphOf(names.slice(1).map((n, i) => [n, names[i] ?? ''] as const));
    expect(findCyclePaths(g)).to.deep.equal([]);
    g.setEdge('h1', 'h20000', 'back');
    expect(findCyclePaths(g)[0]).to.have.length(20_001);
    const waves = planWaves(names, (h) => (h === 'h1' ? [] : [link(`h${Number(h.slice(1)) - 1}`)]));
    expect(waves).to.have.length(20_000);
    expect(waves[19_999]).to.deep.equal(['h20000']);
  });

  it('sorts each wave in natural order whatever the order of the hosts given', () => {
    const waits = (h: string): HostLink[] => (h === 'db' ? [] : [link('db')]);
    expect(planWaves(['web10', 'web2', 'db', 'web1'], waits)).to.deep.equal([['db'], ['web1', 'web2', 'web10']]);
    expect(planWaves(['db', 'web1', 'web2', 'web10'], waits)).to.deep.equal([['db'], ['web1', 'web2', 'web10']]);
  });

  it('reports a cycle among hosts with every edge, at the first edge', () => {
    const problems = problemsOf([
      'roles: { a: {} }',
      'hosts:',
      '  h1: { address: x, requires: [h2] }',
      '  h2: { address: y, after: [h1] }',
    ].join('\n'));
    expect(problems).to.deep.equal(['t.yaml:3:32: dependency cycle among hosts: h1 -> h2 -> h1 (h1: host h1 requires h2; h2: host h2 comes after h1)']);
  });
});
