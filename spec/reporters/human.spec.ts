import { expect } from 'chai';
import { runPlan } from '../../lib/execution/index.js';
import { buildPlan } from '../../lib/plan/index.js';
import { COLOURS, HumanReporter, JsonReporter, stripAnsi, useColour } from '../../lib/reporters/index.js';
import { FakeTransport, instant } from '../support/fake-transport.js';
import { loadValid } from '../support/topologies.js';

const yaml = `
defaults: { power: { driver: virsh, hypervisor: kvm } }
hypervisors: { kvm: { address: 10.0.0.254 } }
roles:
  base: { up: { steps: [{ name: start, run: start base }], checks: [{ name: ok, run: check base, expect: '^fine' }] } }
  app: { requires: [base], up: { steps: [{ name: start, run: start app }] } }
hosts:
  b1: { address: 10.0.0.1, roles: [base] }
  a1: { address: 10.0.0.2, roles: [app] }
`;

/** Times vary; the rest of every line must not. */
function normalise(lines: string[]): string[] {
  return lines.map((l) => stripAnsi(l).replace(/^\[ *[\d.]+s\]/, '[t]').replace(/\(\d+(\.\d+)?m?s\)/g, '(d)').replace(/in \d+(\.\d+)?m?s/g, 'in d'));
}

async function render(transport: FakeTransport, colour = false): Promise<string[]> {
  const { topology, graph } = loadValid('r.yaml', { 'r.yaml': yaml });
  const lines: string[] = [];
  const reporter = new HumanReporter({ write: (l) => lines.push(l), ...(colour ? { style: COLOURS } : {}) });
  await runPlan(buildPlan(topology, graph, 'up'), { transport, listeners: [(e) => reporter.onEvent(e)], signal: new AbortController().signal, sleep: instant });
  return lines;
}

describe('HumanReporter', () => {
  it('prints one line per step with host, result and duration, then the summary', async () => {
    const t = new FakeTransport();
    t.override = (c) => (c.command === 'check base' ? { stdout: 'fine\n' } : undefined);
    expect(normalise(await render(t))).to.deep.equal([
      'up r (r.yaml): 2 hosts in 2 waves',
      '[t] wave 1: b1',
      '[t] b1       ok   power state: off (d)',
      '[t] b1       ok   power on: virsh start b1 (d)',
      '[t] b1       ...  wait for boot',
      '[t] b1       ok   wait for boot: running (d)',
      '[t] b1       ok   base/start: start base (d)',
      '[t] b1       ok   base/ok: fine (d)',
      '[t] b1       UP   in d',
      '[t] wave 2: a1',
      '[t] a1       ok   power state: off (d)',
      '[t] a1       ok   power on: virsh start a1 (d)',
      '[t] a1       ...  wait for boot',
      '[t] a1       ok   wait for boot: running (d)',
      '[t] a1       ok   app/start: start app (d)',
      '[t] a1       UP   in d',
      'up: succeeded in d: 2 up',
    ]);
  });

  it('names host, step, target, command, exit code and output of a failure', async () => {
    const t = new FakeTransport();
    t.override = (c) => (c.command === 'start base' ? { exitCode: 5, stderr: 'Job for base.service failed.\nSee journalctl -xe.\n' } : undefined);
    const lines = normalise(await render(t));
    expect(lines.slice(-5).join('\n')).to.equal([
      '[t] b1       FAIL base/start: exit 5 (d)',
      '[t] b1       FAIL failed: start: exit 5 in d',
      '[t] wave 1 failed',
      '[t] a1       stop blocked: waits for b1, which did not come up',
      'up: FAILED in d: 1 failed, 1 blocked',
      '  b1: start failed on b1: exit 5',
      '    command: start base',
      '    exit code: 5',
      '    | Job for base.service failed.',
      '    | See journalctl -xe.',
    ].join('\n'));
  });

  it('colours only when asked, and the text is the same without the colours', async () => {
    const t = new FakeTransport();
    t.override = (c) => (c.command === 'check base' ? { stdout: 'fine\n' } : undefined);
    const coloured = await render(t, true);
    expect(coloured.some((l) => l.includes('\u001b['))).to.equal(true);
    expect(normalise(coloured)).to.deep.equal(normalise(await render(Object.assign(new FakeTransport(), { override: t.override }))));
    expect(useColour(true, {})).to.equal(true);
    expect(useColour(true, { NO_COLOR: '1' })).to.equal(false);
    expect(useColour(false, {})).to.equal(false);
    expect(useColour(false, { FORCE_COLOR: '1' })).to.equal(true);
  });
});

describe('JsonReporter', () => {
  it('writes each event as one JSON line', () => {
    const lines: string[] = [];
    new JsonReporter((l) => lines.push(l)).onEvent({ seq: 1, time: 't', elapsedMs: 0, type: 'warning', message: 'm' });
    expect(lines).to.deep.equal(['{"seq":1,"time":"t","elapsedMs":0,"type":"warning","message":"m"}']);
  });
});
