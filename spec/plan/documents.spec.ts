import { expect } from 'chai';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkPlanOf, planDocument, planDocumentText, planFromDocument, sideOperationPlan, type Plan } from '../../lib/plan/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

/**
 * The plans of failover, failback and check as exact documents (spec/fixtures/plans/*.json).
 * After a deliberate change: UPDATE_PLANS=1 npx mocha spec/plan/documents.spec.ts, then read the diff.
 */
const FIXTURES = path.join(ROOT, 'spec/fixtures/plans');

function planOf(name: string, action: 'failover' | 'failback' | 'check'): Plan {
  const { topology, graph } = loadValid(`topologies/${name}.yaml`);
  if (action === 'check') return checkPlanOf(topology);
  const plan = sideOperationPlan(topology, graph, action, 'b');
  if ('error' in plan) throw new Error(plan.error);
  return plan;
}

describe('plan documents of failover, failback and check', () => {
  for (const name of ['large', 'storage-pair']) {
    for (const action of ['failover', 'failback', 'check'] as const) {
      it(`${name}.yaml ${action}${action === 'check' ? '' : ' side b'}: exactly the saved document`, () => {
        const text = `${[...planDocumentText(planOf(name, action))].join('\n')}\n`;
        const file = path.join(FIXTURES, `${name}-${action}.json`);
        if (process.env.UPDATE_PLANS === '1' || !existsSync(file)) writeFileSync(file, text);
        expect(text).to.equal(readFileSync(file, 'utf8'));
      });
    }
  }

  it('the streamed text is the document, and reads back as the same plan', () => {
    for (const action of ['failover', 'failback', 'check'] as const) {
      const plan = planOf('large', action);
      const text = [...planDocumentText(plan)].join('\n');
      expect(JSON.parse(text)).to.deep.equal(JSON.parse(JSON.stringify(planDocument(plan))));
      const back = planFromDocument(JSON.parse(text));
      if ('error' in back) throw new Error(back.error);
      expect(JSON.parse(JSON.stringify(back))).to.deep.equal(JSON.parse(JSON.stringify(plan)));
    }
  });

  it('failover of large side b: preflight of every host, the pairs moved before side b goes down, probes per host', () => {
    const plan = planOf('large', 'failover');
    expect(plan.side?.preflight.hosts).to.have.length(24);
    expect(plan.side?.pairs.map((p) => [p.pair.name, p.moving, p.staying, p.steps.map((s) => s.name)])).to.deep.equal([
      ['lb', 'acd-lb2', 'acd-lb1', ['standby acd-lb2', 'every resource started on acd-lb1']],
      ['storage', 'acd-store2', 'acd-store1', ['standby acd-store2', 'every resource started on acd-store1']],
    ]);
    expect(plan.hosts.every((h) => plan.side?.moving.includes(h.name))).to.equal(true);
    expect(plan.side?.health).to.equal(undefined);
  });

  it('failback of large side b: the staying side checked first, the rejoin, then the whole platform', () => {
    const plan = planOf('large', 'failback');
    expect(plan.side?.preflight.hosts.map((h) => h.name)).to.deep.equal(plan.side?.staying);
    expect(plan.side?.preflight.pairs.map((p) => [p.pair.name, p.scope])).to.deep.equal([['lb', 'acd-lb1'], ['storage', 'acd-store1']]);
    expect(plan.side?.pairs[1]?.steps.map((s) => ('command' in s ? s.command : s.name))).to.deep.equal(['pcs cluster unstandby acd-store2', 'pcs resource cleanup', 'both nodes online, nothing failed, every resource started']);
    expect(plan.side?.health?.hosts).to.have.length(24);
  });

  it('refuses a document that is not a plan, or of another version', () => {
    expect(planFromDocument([])).to.deep.equal({ error: 'not a JSON object' });
    expect(planFromDocument({ version: 1 })).to.have.property('error').that.matches(/version 1; this orchestrate reads version 2/);
    const doc = JSON.parse(JSON.stringify(planDocument(planOf('large', 'failover')))) as Record<string, unknown>;
    delete doc.side;
    expect(planFromDocument(doc)).to.deep.equal({ error: 'a failover plan without "side"' });
  });
});
