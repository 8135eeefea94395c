import { expect } from 'chai';
import path from 'node:path';
import { buildPlan, checkPlanOf, limitHosts, planDocument, planFromDocument, type Action, type Plan } from '../../lib/plan/index.js';
import { formatPlan } from '../../lib/reporters/index.js';
import { loadValid, ROOT } from '../support/topologies.js';

const load = (name: string) => loadValid(path.join(ROOT, 'topologies', `${name}.yaml`));

/** The limited plan of `patterns`, or the error. */
function limited(name: string, action: Action, ...patterns: string[]): Plan {
  const { topology, graph } = load(name);
  const result = limitHosts(topology, graph, action, patterns);
  if ('error' in result) throw new Error(result.error);
  return buildPlan(topology, graph, action, { limit: result });
}

function refusal(name: string, action: Action | 'check' | 'failover', ...patterns: string[]): string {
  const { topology, graph } = load(name);
  const result = limitHosts(topology, graph, action, patterns);
  expect(result, 'expected an error').to.have.property('error');
  return (result as { error: string }).error;
}

const added = (plan: Plan) => plan.limit?.added.map((a) => `${a.host}: ${a.because} ${a.of.join(',')}`);

describe('--limit: the plan of a subset', () => {
  describe('up: the subset and everything it requires', () => {
    it('small: a web server brings the database tiers and the storage with it, not the telephony server', () => {
      const plan = limited('small', 'up', 'acd-jb1');
      expect(plan.waves).to.deep.equal([['acd-lb'], ['acd-dbm'], ['acd-dbs'], ['acd-jb1']]);
      expect(plan.limit?.selected).to.deep.equal(['acd-jb1']);
      expect(added(plan)).to.deep.equal(['acd-dbs: required acd-jb1', 'acd-lb: required acd-dbm,acd-jb1', 'acd-dbm: required acd-dbs']);
      expect(plan.limit?.added[0]?.reasons).to.deep.equal(['web requires db-slave']);
      // Each host waits as in the whole plan.
      const whole = load('small');
      const full = buildPlan(whole.topology, whole.graph, 'up');
      for (const h of plan.hosts) expect(h.waitsFor, h.name).to.deep.equal(full.hosts.find((f) => f.name === h.name)?.waitsFor);
    });

    it('medium: the first tier alone adds nothing; after links order but pull nothing in', () => {
      expect(limited('medium', 'up', 'acd-store').hosts.map((h) => h.name)).to.deep.equal(['acd-store']);
      // db-master requires storage and comes after lb: the load balancer is not started for it.
      const dbm = limited('medium', 'up', 'acd-dbm');
      expect(dbm.waves).to.deep.equal([['acd-store'], ['acd-dbm']]);
      expect(dbm.hosts.find((h) => h.name === 'acd-dbm')?.waitsFor.map((l) => l.host)).to.deep.equal(['acd-store']);
      // With the load balancer in the plan too, the order holds.
      const both = limited('medium', 'up', 'acd-dbm,acd-lb');
      expect(both.hosts.find((h) => h.name === 'acd-dbm')?.waitsFor.map((l) => [l.host, l.kind])).to.deep.equal([['acd-lb', 'after'], ['acd-store', 'requires']]);
    });

    it('large: globs and exclusions; the web tier with the database tiers, the storage pair whole', () => {
      const plan = limited('large', 'up', 'acd-jb*,!acd-jb[4-6]');
      expect(plan.limit?.selected).to.deep.equal(['acd-jb1', 'acd-jb2', 'acd-jb3']);
      expect(plan.waves).to.deep.equal([
        ['acd-store1', 'acd-store2'], ['acd-lb1', 'acd-lb2'], ['acd-dbm1'], ['acd-dbm2'], ['acd-dbr', 'acd-dbs1', 'acd-dbs2'], ['acd-jb1', 'acd-jb2', 'acd-jb3'],
      ]);
      expect(plan.pairs.map((p) => [p.name, p.procedure, p.members])).to.deep.equal([['lb', 'both-up', ['acd-lb1', 'acd-lb2']], ['storage', 'both-up', ['acd-store1', 'acd-store2']]]);
      // The web gate counts the web hosts of the plan.
      expect(plan.gates).to.deep.equal([{ role: 'web', min: 3, hosts: ['acd-jb1', 'acd-jb2', 'acd-jb3'] }]);
    });

    it('large: a role by role:NAME, or by its bare name', () => {
      const byPrefix = limited('large', 'up', 'role:db-slave');
      expect(limited('large', 'up', 'db-slave').hosts.map((h) => h.name)).to.deep.equal(byPrefix.hosts.map((h) => h.name));
      expect(byPrefix.limit?.selected).to.deep.equal(['acd-dbs1', 'acd-dbs2']);
      // The slaves' masters come with them (MySQL master/slave is the graph's business, not a pair's).
      expect(byPrefix.waves).to.deep.equal([['acd-store1', 'acd-store2'], ['acd-dbm1'], ['acd-dbm2'], ['acd-dbs1', 'acd-dbs2']]);
    });

    it('large: one node of a pair brings its partner, and the partner says why', () => {
      const plan = limited('large', 'up', 'acd-lb1');
      expect(added(plan)).to.deep.equal(['acd-store1: required acd-lb1,acd-lb2', 'acd-store2: required acd-lb1,acd-lb2', 'acd-lb2: pair acd-lb1']);
      expect(plan.limit?.added.at(-1)?.reasons).to.deep.equal(['pair lb']);
      expect(plan.pairs.find((p) => p.name === 'lb')).to.include({ procedure: 'both-up' });
    });

    it('large: the passive master requires the active one (a host dependency), not the other way', () => {
      expect(limited('large', 'up', 'acd-dbm2').hosts.map((h) => h.name)).to.deep.equal(['acd-store1', 'acd-store2', 'acd-dbm1', 'acd-dbm2']);
      expect(limited('large', 'up', 'acd-dbm1').hosts.map((h) => h.name)).to.deep.equal(['acd-store1', 'acd-store2', 'acd-dbm1']);
    });
  });

  describe('down: the subset, and first everything that depends on it', () => {
    it('small: the DB slave stops after the web and telephony servers; the master and storage stay', () => {
      const plan = limited('small', 'down', 'acd-dbs');
      expect(plan.waves).to.deep.equal([['acd-jb1', 'acd-tel1'], ['acd-dbs']]);
      expect(added(plan)).to.deep.equal(['acd-jb1: dependant acd-dbs', 'acd-tel1: dependant acd-dbs']);
      expect(formatPlan(plan)).to.include.members([
        'limit acd-dbs: acd-dbs, and what depends on it:',
        '  + acd-tel1: depends on acd-dbs (telephony requires db-slave): it goes down first',
        '  not stopped: acd-dbm, acd-lb (left as they are)',
      ]);
    });

    it('small: the top tier alone takes nothing with it', () => {
      const plan = limited('small', 'down', 'acd-tel1');
      expect(plan.hosts.map((h) => h.name)).to.deep.equal(['acd-tel1']);
      expect(plan.limit?.added).to.deep.equal([]);
    });

    it('large: both nodes of a pair stop whole, after everything that requires them', () => {
      const plan = limited('large', 'down', 'role:lb');
      expect(plan.waves).to.deep.equal([['acd-jb1', 'acd-jb2', 'acd-jb3', 'acd-jb4', 'acd-jb5', 'acd-jb6'], ['acd-lb1', 'acd-lb2']]);
      expect(plan.pairs.map((p) => [p.name, p.procedure])).to.deep.equal([['lb', 'both-down']]);
      // db-master only comes after lb: it keeps running.
      expect(plan.hosts.map((h) => h.name)).not.to.include('acd-dbm1');
    });

    it('large: one node of a pair is refused, naming both ways out', () => {
      expect(refusal('large', 'down', 'acd-store1')).to.equal(
        "--limit 'acd-store1' names acd-store1, one node of redundant pair storage (acd-store1 + acd-store2): a down stops a pair whole, so name both (acd-store1,acd-store2); " +
        `to take acd-store1 out while acd-store2 carries the service: orchestrate failover ${load('large').topology.file} --side a`,
      );
      expect(limited('large', 'down', 'acd-store1,acd-store2').hosts).to.have.length(24);
    });
  });

  describe('patterns', () => {
    it('only exclusions: every host but those', () => {
      const plan = limited('small', 'down', '!acd-lb');
      expect(plan.limit?.selected).to.deep.equal(['acd-dbm', 'acd-dbs', 'acd-jb1', 'acd-tel1']);
      expect(plan.waves).to.deep.equal([['acd-jb1', 'acd-tel1'], ['acd-dbs'], ['acd-dbm']]);
    });

    it('several --limit options and comma lists add up; host: and role: say which names', () => {
      expect(limited('large', 'down', 'acd-tel1', 'acd-tel2,acd-jb1').limit?.selected).to.deep.equal(['acd-jb1', 'acd-tel1', 'acd-tel2']);
      expect(refusal('small', 'up', 'host:web')).to.match(/^--limit: no host matches 'host:web' \(hosts: /);
      expect(limited('small', 'up', 'role:web').limit?.selected).to.deep.equal(['acd-jb1']);
    });

    it('a name that matches nothing is an error with the close names; every such name at once', () => {
      expect(refusal('large', 'up', 'acd-jb7,role:telephny,acd-web*').split('\n')).to.deep.equal([
        "--limit: no host or role matches 'acd-jb7' (close: acd-jb1, acd-jb2, acd-jb3, acd-jb4, acd-jb5)",
        "--limit: no role matches 'role:telephny' (close: role:telephony)",
        "--limit: no host or role matches 'acd-web*' (close: role:web)",
      ]);
      expect(refusal('small', 'up', 'zzz')).to.equal("--limit: no host or role matches 'zzz' (hosts: acd-dbm, acd-dbs, acd-jb1, acd-lb, acd-tel1; roles: api, chat, chatbot, db-master, db-reporting, db-slave, lb, storage, telephony, web)");
    });

    it('a role without hosts is known but selects nothing; a pattern that selects nothing is an error', () => {
      expect(refusal('small', 'up', 'role:chat')).to.equal("--limit 'role:chat' selects no host");
      expect(refusal('small', 'up', 'acd-jb1,!acd-jb*')).to.equal("--limit 'acd-jb1,!acd-jb*' selects no host: every host it names is left out by a ! item");
      expect(refusal('small', 'up', 'acd-jb1,,acd-tel1')).to.match(/^--limit 'acd-jb1,,acd-tel1': an empty item/);
      expect(refusal('small', 'up', '!')).to.match(/^--limit '!': '!' names nothing/);
    });

    it('an exclusion the plan needs is an error: what needs it, and why', () => {
      expect(refusal('small', 'up', 'acd-jb1,!acd-dbs')).to.equal("--limit: acd-dbs is left out (!acd-dbs) but acd-jb1 requires it (web requires db-slave)");
      expect(refusal('small', 'down', 'acd-dbs,!acd-jb1')).to.equal('--limit: acd-jb1 is left out (!acd-jb1) but it depends on acd-dbs (web requires db-slave), which cannot stop while it runs');
      expect(refusal('large', 'up', 'acd-lb1,!acd-lb2')).to.equal('--limit: acd-lb2 is left out (!acd-lb2) but it is the other node of pair lb with acd-lb1, and a pair starts and stops whole');
    });

    it('failover and failback take their side, not a limit', () => {
      expect(refusal('large', 'failover', 'acd-jb1')).to.equal('--limit applies to up, down and check, not failover (a failover takes its --side)');
    });
  });

  describe('check: just the subset', () => {
    it('checks the selection, pairs it touches whole, and adds nothing', () => {
      const { topology, graph } = load('large');
      const result = limitHosts(topology, graph, 'check', ['acd-store1,acd-jb1']);
      if ('error' in result) throw new Error(result.error);
      const plan = checkPlanOf(topology, result.limit.selected, { limit: result.limit });
      expect(plan.health?.hosts.map((h) => h.name)).to.deep.equal(['acd-jb1', 'acd-store1']);
      expect(plan.health?.pairs.map((p) => [p.pair.name, p.scope])).to.deep.equal([['storage', 'both']]);
      expect(plan.limit).to.deep.equal({ patterns: ['acd-store1,acd-jb1'], selected: ['acd-jb1', 'acd-store1'], added: [] });
    });
  });

  describe('the plan document', () => {
    it('records the limit after the sources, and reads it back', () => {
      const plan = limited('small', 'up', 'acd-jb1');
      const doc = JSON.parse(JSON.stringify(planDocument(plan))) as Record<string, unknown>;
      expect(Object.keys(doc).slice(0, 7)).to.deep.equal(['version', 'action', 'topology', 'file', 'sources', 'limit', 'concurrency']);
      expect(doc.limit).to.deep.equal({
        patterns: ['acd-jb1'], selected: ['acd-jb1'],
        added: [
          { host: 'acd-dbs', because: 'required', of: ['acd-jb1'], reasons: ['web requires db-slave'] },
          { host: 'acd-lb', because: 'required', of: ['acd-dbm', 'acd-jb1'], reasons: ['db-master requires storage', 'db-master comes after lb', 'web requires storage', 'web requires lb'] },
          { host: 'acd-dbm', because: 'required', of: ['acd-dbs'], reasons: ['db-slave requires db-master'] },
        ],
      });
      expect((planFromDocument(doc) as Plan).limit).to.deep.equal(doc.limit);
      expect(planFromDocument({ ...doc, limit: { patterns: 'x' } })).to.deep.equal({ error: '"limit" is not {patterns, selected, added}' });
    });

    it('a plan of the whole platform has no limit field', () => {
      const { topology, graph } = load('small');
      expect(planDocument(buildPlan(topology, graph, 'up'))).not.to.have.property('limit');
    });
  });
});
