import { expect } from 'chai';
import { loadTopology } from '../../lib/topology/index.js';

describe('topology: host dependencies', () => {
  it('a role named in a host\'s requires or after stands for every other host that carries it, in the order written', () => {
    const yaml = [
      'roles: { db: {}, web: {}, cache: {} }',
      'hosts:',
      '  w1: { address: x1, roles: [web, db], requires: [db, cache] }',
      '  d2: { address: x2, roles: [db, db] }',
      '  c1: { address: x3, roles: [cache] }',
      '  d1: { address: x4, roles: [db], after: [web, w1] }',
    ].join('\n');
    // Resolved only (the graph would find the cycle w1 -> d1 -> w1).
    const { topology, diagnostics } = loadTopology('t.yaml', { reader: { read: (f) => (f === 't.yaml' ? yaml : undefined) } });
    expect(diagnostics).to.deep.equal([]);
    if (!topology) throw new Error('no topology');
    const refs = (name: string) => {
      const h = topology.hosts.find((x) => x.name === name);
      return { requires: h?.requires.map((d) => d.name), after: h?.after.map((d) => d.name) };
    };
    expect(refs('w1')).to.deep.equal({ requires: ['d2', 'd1', 'c1'], after: [] });
    expect(refs('d1')).to.deep.equal({ requires: [], after: ['w1'] });
  });
});
