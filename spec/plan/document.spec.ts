import { expect } from 'chai';
import path from 'node:path';
import { buildPlan, planDocument, planDocumentText, planOutline } from '../../lib/plan/index.js';
import { jtelTopology } from '../support/jtel-topology.js';
import { loadValid, ROOT } from '../support/topologies.js';

describe('plan: the JSON document as text', () => {
  const cases = ['small', 'medium', 'large', 'services', 'storage-pair'].map((name) => {
    const { topology, graph } = loadValid(path.join(ROOT, 'topologies', `${name}.yaml`));
    return { name, topology, graph };
  });

  it('is JSON.stringify(planDocument(plan), null, 2) exactly, up and down, for every shipped topology', () => {
    for (const { name, topology, graph } of cases) {
      for (const action of ['up', 'down'] as const) {
        const plan = buildPlan(topology, graph, action);
        expect([...planDocumentText(plan)].join('\n'), `${name} ${action}`).to.equal(JSON.stringify(planDocument(plan), null, 2));
      }
    }
  });

  it('is the same from a plan outline, whose hosts are planned as they are read', () => {
    for (const { name, topology, graph } of cases) {
      for (const action of ['up', 'down'] as const) {
        const outline = planOutline(topology, graph, action);
        expect([...planDocumentText(outline)].join('\n'), `${name} ${action}`).to.equal(JSON.stringify(planDocument(buildPlan(topology, graph, action)), null, 2));
        // Read twice, it plans the hosts twice, the same.
        expect([...outline.hosts], `${name} ${action}`).to.deep.equal([...outline.hosts]);
      }
    }
  });

  it('comes as the head, one piece per host, and the tail; an empty plan and a failback plan too', () => {
    const large = cases.find((c) => c.name === 'large');
    if (!large) throw new Error('large.yaml');
    const plan = buildPlan(large.topology, large.graph, 'up');
    expect([...planDocumentText(plan)]).to.have.length(plan.hosts.length + 3);
    const empty = buildPlan(large.topology, large.graph, 'up', { only: new Set() });
    expect([...planDocumentText(empty)].join('\n')).to.equal(JSON.stringify(planDocument(empty), null, 2));
    const back = buildPlan(large.topology, large.graph, 'up', { only: new Set(large.topology.hosts.filter((h) => h.side === 'b').map((h) => h.name)), operation: 'failback' });
    expect([...planDocumentText(back)].join('\n')).to.equal(JSON.stringify(planDocument(back), null, 2));
  });

  it('keeps non-ASCII text (the → of HTTP checks) as it is, on a generated 200-host topology', () => {
    const files = { 'gen.yaml': jtelTopology({ hosts: 200 }) };
    const { topology, graph } = loadValid('gen.yaml', files);
    const plan = buildPlan(topology, graph, 'up');
    const text = [...planDocumentText(plan)].join('\n');
    expect(text).to.include('→');
    expect(text).to.equal(JSON.stringify(planDocument(plan), null, 2));
  });
});
