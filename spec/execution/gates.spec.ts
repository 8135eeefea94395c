import { expect } from 'chai';
import type { RunEvent } from '../../lib/events/index.js';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { FakeTransport, instant } from '../support/fake-transport.js';
import { loadTopology } from '../../lib/topology/index.js';
import { loadValid, PLAYBOOKS } from '../support/topologies.js';

/** data ← portal (3 hosts, gate min `min`) ← agent; each role checks `check ROLE`. */
function platform(min: number, extra = ''): string {
  return [
    'defaults: { power: { driver: virsh, hypervisor: kvm }, timeouts: { poll: 10ms } }',
    'hypervisors: { kvm: { address: 10.0.0.254 } }',
    'roles:',
    '  data: { up: { steps: [{ name: start, run: start data }], checks: [{ name: ok, run: check data, attempts: 2 }] } }',
    `  portal: { requires: [data], gate: { min: ${min} }, up: { steps: [{ name: start, run: start portal }], checks: [{ name: ok, run: check portal, attempts: 2 }] } }`,
    `  agent: { requires: [portal${extra}], up: { steps: [{ name: start, run: start agent }], checks: [{ name: ok, run: check agent, attempts: 2 }] } }`,
    'hosts:',
    '  db1: { address: 10.0.0.1, roles: [data] }',
    '  web1: { address: 10.0.0.2, roles: [portal] }',
    '  web2: { address: 10.0.0.3, roles: [portal] }',
    '  web3: { address: 10.0.0.4, roles: [portal] }',
    '  chat1: { address: 10.0.0.5, roles: [agent] }',
    '',
  ].join('\n');
}

async function up(yaml: string, broken: readonly string[]) {
  const { topology, graph } = loadValid('g.yaml', { 'g.yaml': yaml });
  const t = new FakeTransport();
  t.override = (c) => (broken.includes(c.on) && c.command.startsWith('check') ? { exitCode: 1, stderr: 'HTTP 503' } : undefined);
  const events: RunEvent[] = [];
  const summary = await runPlan(buildPlan(topology, graph, 'up'), { transport: t, listeners: [(e) => events.push(e)], signal: new AbortController().signal, sleep: instant });
  const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  return { summary, warnings, t };
}

describe('quorum gates', () => {
  it('one bad portal server of three does not block the agent role when the gate asks for 2; the summary names it', async () => {
    const { summary, warnings, t } = await up(platform(2), ['web3']);
    expect(summary.hosts).to.deep.equal({ db1: 'up', web1: 'up', web2: 'up', web3: 'failed', chat1: 'up' });
    expect(t.commandsOn('chat1')).to.include('start agent');
    // Every host required is up, but the gate lost a member: degraded (exit 4), not failed.
    expect(summary.status).to.equal('degraded');
    expect(summary.failures.map((f) => `${f.host}: ${f.reason}`)).to.deep.equal(['web3: still failing after 2 attempts: exit 1: HTTP 503']);
    expect(warnings).to.deep.equal([
      'web3 failed; its dependants wait only for a quorum of portal (2 of 3 needed), so the run goes on',
      'portal: 2 of 3 up (min 2), quorum held; not up: web3 (failed)',
    ]);
  });

  it('without enough healthy portal servers the agent role is blocked, and the gate says the quorum was not reached', async () => {
    const { summary, warnings, t } = await up(platform(2), ['web2', 'web3']);
    expect(summary.hosts.chat1).to.equal('blocked');
    expect(t.commandsOn('chat1')).to.deep.equal([]);
    expect(warnings.at(-1)).to.equal('portal: 1 of 3 up (min 2), quorum NOT reached; not up: web2 (failed), web3 (failed)');
  });

  it('a dependant starts as soon as the quorum is up, while another gated host is still working', async () => {
    const { topology, graph } = loadValid('g.yaml', { 'g.yaml': platform(2) });
    const t = new FakeTransport();
    t.hold((c) => c.on === 'web3' && c.command === 'check portal');
    const done = runPlan(buildPlan(topology, graph, 'up'), { transport: t, listeners: [], signal: new AbortController().signal, sleep: instant });
    const held = await t.held((c) => c.on === 'web3');
    while (!t.calls.some((c) => c.on === 'chat1' && c.command === 'check agent')) await new Promise((r) => setImmediate(r));
    held.release();
    expect((await done).status).to.equal('succeeded');
  });

  it('a host that something else needs without a gate stops the run as before', async () => {
    // data has no gate: its failure stops everything after it.
    const { summary } = await up(platform(2), ['db1']);
    expect(summary.hosts).to.deep.include({ db1: 'failed', chat1: 'blocked' });
    expect(summary.hosts.web1).to.be.oneOf(['blocked', 'not-started']);
  });
});

describe('quorum gates: validation', () => {
  it('a gate asking for more hosts than carry the role is an error at gate.min', () => {
    const { diagnostics } = loadTopology('g.yaml', { reader: { read: (f: string) => (f === 'g.yaml' ? platform(4) : undefined) }, builtinPlaybooks: PLAYBOOKS });
    const lines = diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.col}: ${d.message}`);
    expect(lines, lines.join("\n")).to.include("g.yaml:5:44: gate.min of role 'portal' is 4, but only 3 hosts carry it");
  });
});
