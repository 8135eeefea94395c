import { expect } from 'chai';
import { runReport } from '../../lib/reporters/index.js';
import { reportEvents, reportLinks } from '../support/report-run.js';

describe('reporters/run-report: a run as data, from its events', () => {
  it('has each host with its steps, times and what it waited on; the critical path is the chain of waits that ended last', () => {
    const r = runReport(reportEvents(), { links: reportLinks });
    expect(r).to.include({ action: 'up', topology: 'demo', outcome: 'failed', durationMs: 9902, startedAt: '2026-12-07T08:00:00.000Z' });
    expect(r.hosts.map((h) => [h.name, h.wave, h.status])).to.deep.equal([['lb', 1, 'up'], ['db', 2, 'up'], ['web1', 3, 'failed'], ['web2', 3, 'up']]);
    const web2 = r.hosts.find((h) => h.name === 'web2');
    // web2 requires db (up at 5901) and comes after lb (powered at 100): db held it back.
    expect(web2?.wait?.on).to.include({ host: 'db', kind: 'requires' });
    const web1 = r.hosts.find((h) => h.name === 'web1');
    const check = web1?.steps.at(-1);
    expect(check).to.include({ name: 'check http', status: 'failed', exitCode: 22, attempts: 2, lastObserved: 'HTTP 500', startMs: 7902, endMs: 9900 });
    expect(r.criticalPath).to.deep.equal(['lb', 'db', 'web1']);
    expect(r.warnings).to.deep.equal([{ host: 'web2', message: 'slow disk <b>&</b>', atMs: 8903 }]);
    expect(r.failures).to.have.length(1);
  });

  it('an interrupted run (no run-finished) reports what was reached, and its failures from the failed steps', () => {
    const cut = reportEvents().find((e) => e.type === 'step-finished' && e.step === 'web1/check http')?.seq ?? 0;
    const r = runReport(reportEvents(cut), { links: reportLinks });
    expect(r.outcome).to.equal('interrupted');
    expect(r.durationMs).to.equal(9900);
    expect(r.hosts.find((h) => h.name === 'web1')?.status).to.equal(undefined);
    expect(r.failures.map((f) => [f.host, f.step, f.exitCode])).to.deep.equal([['web1', 'web1/check http', 22]]);
    const early = runReport(reportEvents(20), { links: reportLinks });
    expect(early.hosts.find((h) => h.name === 'web1')?.startMs).to.equal(undefined);
    expect(early.criticalPath.at(-1)).to.equal('db');
  });

  it('without the plan\'s links nothing is known to have waited: the critical path is the host that ended last', () => {
    const r = runReport(reportEvents());
    expect(r.criticalPath).to.deep.equal(['web1']);
    expect(r.hosts.every((h) => h.wait === undefined)).to.equal(true);
  });

  it('check emits neither run-started nor run-finished: the caller says what ran and how it ended', () => {
    const r = runReport([{ seq: 1, time: '2026-12-07T09:00:00.000Z', elapsedMs: 5, type: 'health', check: 'running', host: 'a', ok: true, observed: 'running' }],
      { run: { action: 'check', topology: 't', file: 't.yaml' }, outcome: 'succeeded' });
    expect(r).to.include({ action: 'check', topology: 't', outcome: 'succeeded' });
    expect(r.health).to.deep.equal([{ check: 'running', host: 'a', ok: true, skipped: false, observed: 'running', atMs: 5 }]);
  });
});
