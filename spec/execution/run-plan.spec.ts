import { expect } from 'chai';
import type { RunEvent } from '../../lib/events/index.js';
import { runPlan, type RunOptions } from '../../lib/execution/index.js';
import { buildPlan, type Action } from '../../lib/plan/index.js';
import { FakeTransport, instant } from '../support/fake-transport.js';
import { loadValid } from '../support/topologies.js';

/** A topology of `hosts` (name: roles) whose roles each run `start <role>` and check `check <role>`. */
function world(roles: Record<string, { requires?: string[]; after?: string[] }>, hosts: Record<string, string[]>): string {
  const roleLines = Object.entries(roles).map(([name, deps]) =>
    `  ${name}: { requires: [${(deps.requires ?? []).join(', ')}], after: [${(deps.after ?? []).join(', ')}], up: { steps: [{ name: start, run: start ${name} }], checks: [{ name: ok, run: check ${name} }] }, down: { steps: [{ name: stop, run: stop ${name} }] } }`);
  const hostLines = Object.entries(hosts).map(([name, r], i) => `  ${name}: { address: 10.0.0.${i + 1}, roles: [${r.join(', ')}] }`);
  return [
    'defaults: { power: { driver: virsh, hypervisor: kvm }, timeouts: { poll: 10ms } }',
    'hypervisors: { kvm: { address: 10.0.0.254 } }',
    'roles:', ...roleLines, 'hosts:', ...hostLines, '',
  ].join('\n');
}

async function run(yaml: string, action: Action, transport: FakeTransport, extra: Partial<RunOptions> = {}) {
  const { topology, graph } = loadValid('w.yaml', { 'w.yaml': yaml });
  const plan = buildPlan(topology, graph, action);
  const events: RunEvent[] = [];
  const summary = await runPlan(plan, { transport, listeners: [(e: RunEvent) => events.push(e)], signal: new AbortController().signal, sleep: instant, ...extra });
  return { summary, events, plan };
}

const chain = world(
  { a: {}, b: {}, c: { requires: ['a'] } },
  { 'h-a': ['a'], 'h-slow': ['b'], 'h-c': ['c'] },
);

describe('runPlan (fake transport)', () => {
  it('starts a host as soon as its own dependencies are up, while an unrelated host of the previous wave is still running', async () => {
    const t = new FakeTransport();
    t.hold((c) => c.command === 'start b');
    const done = run(chain, 'up', t);
    const slow = await t.held((c) => c.command === 'start b');
    // h-slow is stuck in wave 1, yet h-c (wave 2) needs only h-a: it must already be working.
    await waitUntil(() => t.calls.some((c) => c.command === 'check c'));
    expect(t.commandsOn('h-slow')).to.not.include('check b');
    slow.release();
    const { summary, plan } = await done;
    expect(plan.waves).to.deep.equal([['h-a', 'h-slow'], ['h-c']]);
    expect(summary.status).to.equal('succeeded');
    expect(summary.hosts).to.deep.equal({ 'h-a': 'up', 'h-slow': 'up', 'h-c': 'up' });
  });

  it('`after` waits only for the dependency to be powered, not for its checks', async () => {
    const t = new FakeTransport();
    t.hold((c) => c.command === 'check balancer');
    const yaml = world({ balancer: {}, database: { after: ['balancer'] } }, { lb1: ['balancer'], db1: ['database'] });
    const done = run(yaml, 'up', t);
    const check = await t.held((c) => c.command === 'check balancer');
    await waitUntil(() => t.calls.some((c) => c.command === 'virsh start db1'));
    check.release();
    expect((await done).summary.status).to.equal('succeeded');
  });

  it('`requires` waits for the dependency to pass its checks', async () => {
    const t = new FakeTransport();
    t.hold((c) => c.command === 'check a');
    const done = run(chain, 'up', t);
    const check = await t.held((c) => c.command === 'check a');
    await waitUntil(() => t.calls.some((c) => c.command === 'check b'));
    expect(t.calls.map((c) => c.command)).to.not.include('virsh start h-c');
    check.release();
    await done;
    const order = t.calls.map((c) => c.command);
    expect(order.indexOf('virsh start h-c')).to.be.greaterThan(order.indexOf('check a'));
  });

  it('runs every step of a host in order: power state, power on, boot wait, steps, checks', async () => {
    const t = new FakeTransport();
    await run(chain, 'up', t);
    expect(t.calls.filter((c) => c.command.endsWith('h-a') || c.on === 'h-a').map((c) => c.command)).to.deep.equal([
      'virsh domstate h-a', 'virsh start h-a', 'systemctl is-system-running', 'start a', 'check a',
    ]);
  });

  it('goes down in the exact reverse order, each host only after everything depending on it is off', async () => {
    const t = new FakeTransport();
    for (const h of ['h-a', 'h-slow', 'h-c']) t.on.add(h);
    const { summary, plan } = await run(chain, 'down', t);
    expect(plan.waves).to.deep.equal([['h-c', 'h-slow'], ['h-a']]);
    expect(summary.hosts).to.deep.equal({ 'h-c': 'down', 'h-slow': 'down', 'h-a': 'down' });
    const order = t.calls.map((c) => `${c.on}: ${c.command}`);
    expect(order.indexOf('h-a: stop a')).to.be.greaterThan(order.lastIndexOf('kvm: virsh domstate h-c'));
    expect(t.commandsOn('h-c')).to.deep.equal(['stop c', 'systemctl poweroff']);
  });

  it('waits until off on the hypervisor\'s VM list, and asks each VM when the hypervisor gives no list', async () => {
    const t = new FakeTransport();
    for (const h of ['h-a', 'h-slow', 'h-c']) t.on.add(h);
    const listed = await run(chain, 'down', t);
    expect(listed.summary.status).to.equal('succeeded');
    expect(t.commandsOn('kvm').filter((c) => c === 'virsh list --all').length).to.be.above(0);
    const old = new FakeTransport();
    for (const h of ['h-a', 'h-slow', 'h-c']) old.on.add(h);
    old.override = (c) => (c.command === 'virsh list --all' ? { exitCode: 1, stderr: "error: unknown command: 'list'\n" } : undefined);
    const { summary, events } = await run(chain, 'down', old);
    expect(summary.status).to.equal('succeeded');
    // Tried once (twice when two waits asked at the same moment), then each VM is asked.
    expect(old.commandsOn('kvm').filter((c) => c === 'virsh list --all')).to.have.length.within(1, 2);
    expect(events.filter((e) => e.type === 'warning')).to.have.length(1);
    expect(old.commandsOn('kvm').filter((c) => c === 'virsh domstate h-a').length).to.be.above(1);
    const warning = events.find((e) => e.type === 'warning');
    expect(warning && 'message' in warning ? warning.message : '').to.equal("virsh list --all on kvm gave no VM list (error: unknown command: 'list'); asking each VM with its own command (virsh domstate h-c)");
  });

  it('skips hosts already in the target state and says so', async () => {
    const t = new FakeTransport();
    for (const h of ['h-a', 'h-slow', 'h-c']) t.on.add(h);
    const up = await run(chain, 'up', t);
    expect(up.summary.hosts).to.deep.equal({ 'h-a': 'already-up', 'h-slow': 'already-up', 'h-c': 'already-up' });
    expect(t.calls.map((c) => c.command)).to.not.include.members(['virsh start h-a', 'start a']);
    const t2 = new FakeTransport();
    const down = await run(chain, 'down', t2);
    expect(down.summary.hosts).to.deep.equal({ 'h-a': 'already-down', 'h-slow': 'already-down', 'h-c': 'already-down' });
    // The hypervisor's list shows no running VM; a VM it does not show is asked alone.
    expect(t2.calls.map((c) => c.command).filter((c) => c !== 'virsh list --all')).to.deep.equal(['virsh domstate h-c', 'virsh domstate h-slow', 'virsh domstate h-a']);
  });

  it('on a failure starts nothing new, lets running hosts finish, and names host, step, command, exit code and stderr', async () => {
    const t = new FakeTransport();
    t.override = (c) => (c.command === 'start a' ? { exitCode: 3, stderr: 'line1\nJob for a.service failed.\n' } : undefined);
    const { summary, events } = await run(chain, 'up', t);
    expect(summary.status).to.equal('failed');
    expect(summary.hosts).to.deep.equal({ 'h-a': 'failed', 'h-slow': 'up', 'h-c': 'blocked' });
    expect(summary.failures).to.deep.equal([{
      host: 'h-a', step: 'h-a/a/start', name: 'start', target: 'h-a', command: 'start a', exitCode: 3,
      reason: 'exit 3', outputTail: 'line1\nJob for a.service failed.',
    }]);
    expect(t.calls.map((c) => c.command)).to.not.include('virsh start h-c');
    expect(events.at(-1)?.type).to.equal('run-finished');
  });

  it('with --on-failure continue, goes on with hosts that do not depend on the failed one', async () => {
    const t = new FakeTransport();
    t.override = (c) => (c.command === 'start a' ? { exitCode: 1 } : undefined);
    t.hold((c) => c.command === 'start b');
    const done = run(chain, 'up', t, { onFailure: 'continue' });
    (await t.held((c) => c.command === 'start b')).release();
    const { summary } = await done;
    expect(summary.hosts).to.deep.equal({ 'h-a': 'failed', 'h-slow': 'up', 'h-c': 'blocked' });
  });

  it('a failed check reports its last observation after all attempts', async () => {
    const t = new FakeTransport();
    t.override = (c) => (c.command === 'check c' ? { exitCode: 2, stdout: 'inactive\n' } : undefined);
    const { summary, events } = await run(chain, 'up', t);
    expect(summary.failures[0]?.reason).to.equal('still failing after 10 attempts: exit 2: inactive');
    expect(events.filter((e) => e.type === 'check-attempt')).to.have.length(10);
  });

  it('cancelling stops running steps, starts nothing new and reports cancelled', async () => {
    const t = new FakeTransport();
    t.hold((c) => c.command === 'start a');
    const controller = new AbortController();
    const done = run(chain, 'up', t, { signal: controller.signal });
    await t.held((c) => c.command === 'start a');
    controller.abort(new Error('test cancel'));
    const { summary } = await done;
    expect(summary.status).to.equal('cancelled');
    expect(summary.hosts['h-a']).to.equal('cancelled');
    expect(summary.hosts['h-c']).to.equal('not-started');
  });

  it('forces the power off when a host does not go down within the shutdown timeout', async () => {
    const t = new FakeTransport();
    t.on.add('h1');
    // The guest ignores the poweroff: it stays running until destroyed.
    t.override = (c) => (c.command === 'systemctl poweroff' ? { exitCode: 0 } : undefined);
    const yaml = world({ a: {} }, { h1: ['a'] }).replace('timeouts: { poll: 10ms }', 'timeouts: { poll: 1ms, shutdown: 20ms }');
    const { summary, events } = await run(yaml, 'down', t, { sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
    expect(summary.status).to.equal('succeeded');
    expect(t.commandsOn('kvm')).to.include('virsh destroy h1');
    expect(events.some((e) => e.type === 'warning' && /did not shut down within 20ms; forcing the power off/.test(e.message))).to.equal(true);
  });

  it('a dry run emits every step as planned and runs nothing', async () => {
    const t = new FakeTransport();
    const { summary, events } = await run(chain, 'up', t, { dryRun: true });
    expect(t.calls).to.deep.equal([]);
    expect(summary.hosts).to.deep.equal({ 'h-a': 'planned', 'h-slow': 'planned', 'h-c': 'planned' });
    const commands = events.flatMap((e) => (e.type === 'step-started' && e.host === 'h-c' ? [e.command] : []));
    expect(commands).to.deep.equal(['virsh domstate h-c', 'virsh start h-c', 'systemctl is-system-running', 'start c', 'check c']);
  });

  it('numbers events from 1 and stamps them with time', async () => {
    const { events } = await run(chain, 'up', new FakeTransport());
    expect(events.map((e) => e.seq)).to.deep.equal(events.map((_, i) => i + 1));
    expect(events[0]?.type).to.equal('run-started');
    expect(Date.parse(events[0]?.time ?? '')).to.be.a('number').and.not.NaN;
  });
});

async function waitUntil(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  expect(cond(), 'condition never became true').to.equal(true);
}
