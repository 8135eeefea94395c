import { expect } from 'chai';
import { resumeFrom } from '../../lib/cli/commands/resume.js';
import type { RunEvent } from '../../lib/events/index.js';
import { runPlan } from '../../lib/execution/index.js';
import type { JournalState } from '../../lib/journal/index.js';
import { buildPlan, unsafeSteps } from '../../lib/plan/index.js';
import { FakeTransport } from '../support/fake-transport.js';
import { loadValid } from '../support/topologies.js';

const instant = (): Promise<void> => Promise.resolve();

/** One host with a step the playbook does not call safe to repeat, and one it does. */
const YAML = [
  'hypervisors: { kvm: { address: 10.0.0.254 } }',
  'roles:',
  '  app:',
  '    up:',
  '      steps:',
  '        - { name: register, run: register-once }',
  '        - { name: start, run: systemctl start app, safe_to_repeat: true }',
  'hosts:',
  '  h1: { address: 10.0.0.1, roles: [app], power: { driver: virsh, hypervisor: kvm } }',
  '',
].join('\n');

function state(done: { step: string; status: 'passed' | 'skipped' }[], inFlight: string[], hostStatus?: 'up'): JournalState {
  return {
    outcome: 'interrupted',
    hosts: [{ host: 'h1', ...(hostStatus ? { status: hostStatus } : {}), started: true, powered: true, done: done.map((d) => ({ host: 'h1', name: d.step, kind: 'run', ...d })), inFlight: [] }],
    pairs: [],
    inFlight: inFlight.map((step, i) => ({ host: 'h1', step, name: step, kind: 'run', target: 'h1', seq: i + 1 })),
    failures: [], durationMs: 0, lastSeq: 9,
  };
}

describe('resume', () => {
  const { topology, graph } = loadValid('r.yaml', { 'r.yaml': YAML });
  const plan = buildPlan(topology, graph, 'up');

  it('knows which steps are not safe to repeat: a run step unless its playbook says so', () => {
    expect([...unsafeSteps(plan).keys()]).to.deep.equal(['h1/app/register']);
  });

  it('skips finished steps that are not safe to repeat; runs again the safe ones', () => {
    const r = resumeFrom('run-1', plan, state([{ step: 'h1/app/register', status: 'passed' }, { step: 'h1/app/start', status: 'passed' }], ['h1/app/start']), { skip: [], rerun: [] });
    expect([...r.from.done]).to.deep.equal(['h1/app/register']);
    expect(r.blocking).to.deep.equal([]);
    expect(r.again.map((s) => s.step)).to.deep.equal(['h1/app/start']);
  });

  it('an unsafe step in flight stops the resume until the operator says it finished (--skip) or may run again (--rerun)', () => {
    const s = state([], ['h1/app/register']);
    expect(resumeFrom('run-1', plan, s, { skip: [], rerun: [] }).blocking.map((x) => x.step)).to.deep.equal(['h1/app/register']);
    const skipped = resumeFrom('run-1', plan, s, { skip: ['h1/app/register'], rerun: [] });
    expect(skipped.blocking).to.deep.equal([]);
    expect([...skipped.from.done]).to.deep.equal(['h1/app/register']);
    const again = resumeFrom('run-1', plan, s, { skip: [], rerun: ['h1/app/register'] });
    expect(again.blocking).to.deep.equal([]);
    expect(again.again.map((x) => x.step)).to.deep.equal(['h1/app/register']);
  });

  it('the resumed run does not run a done step again, says so, and treats a host that reached its target as up once it runs', async () => {
    const t = new FakeTransport();
    t.on.add('h1');
    const events: RunEvent[] = [];
    const summary = await runPlan(plan, {
      transport: t, listeners: [(e) => events.push(e)], signal: new AbortController().signal, sleep: instant,
      resume: { runId: 'run-1', done: new Set(['h1/app/register']), reached: new Set() },
    });
    expect(summary.status).to.equal('succeeded');
    expect(t.commandsOn('h1')).to.not.include('register-once');
    expect(t.commandsOn('h1')).to.include('systemctl start app');
    expect(events.find((e) => e.type === 'step-finished' && e.step === 'h1/app/register')).to.include({ status: 'skipped', message: 'done in run run-1; not run again' });

    const t2 = new FakeTransport();
    t2.on.add('h1');
    const again = await runPlan(plan, {
      transport: t2, listeners: [], signal: new AbortController().signal, sleep: instant,
      resume: { runId: 'run-1', done: new Set(), reached: new Set(['h1']) },
    });
    expect(again.hosts).to.deep.equal({ h1: 'already-up' });
    expect(t2.commandsOn('h1')).to.not.include('register-once');
  });
});
