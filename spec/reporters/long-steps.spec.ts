import { expect } from 'chai';
import type { RunEvent, RunEventBody } from '../../lib/events/index.js';
import { HumanReporter } from '../../lib/reporters/index.js';
import { LongSteps } from '../../lib/reporters/long-steps.js';
import { FakeTimers } from '../support/fake-timers.js';

let seq = 0;
const ev = (ms: number, body: RunEventBody): RunEvent => ({ seq: ++seq, time: new Date(ms).toISOString(), elapsedMs: ms, ...body });
const HOSTS = Array.from({ length: 15 }, (_, i) => `vm${String(i + 1).padStart(2, '0')}`);

describe('long steps in the plain output', () => {
  it('LongSteps groups the steps that cross a threshold together, then looks again every 30 s', () => {
    const l = new LongSteps();
    l.start('a/boot', { host: 'a', label: 'wait for boot', at: 0 });
    l.start('b/boot', { host: 'b', label: 'wait for boot', at: 200 });
    l.start('c/off', { host: 'c', label: 'shutdown', command: 'systemctl poweroff', at: 300 });
    expect(l.wakeAt()).to.equal(5500);
    expect(l.due(5500)).to.deep.equal([
      { label: 'wait for boot', hosts: ['a', 'b'], afterMs: 5300 },
      { label: 'shutdown', hosts: ['c'], afterMs: 5200, command: 'systemctl poweroff' },
    ]);
    l.finish('c/off');
    expect(l.wakeAt()).to.equal(35_500);
    expect(l.due(34_000)).to.deep.equal([]);
  });

  it('15 hosts booting at once: one line at 5 s and one at 35 s, not fifteen each', () => {
    const t = new FakeTimers();
    const lines: string[] = [];
    const r = new HumanReporter({ write: (l) => lines.push(l), timers: t });
    r.onEvent(ev(0, { type: 'run-started', version: 1, action: 'up', topology: 'big', file: 'big.yaml', dryRun: false, waves: [HOSTS] }));
    for (const h of HOSTS) r.onEvent(ev(0, { type: 'step-started', host: h, step: `${h}/boot`, name: 'wait for boot', kind: 'wait-boot', target: h }));
    lines.length = 0;
    t.advance(40_000);
    expect(lines).to.deep.equal([
      `[       ] 15 hosts ...  wait for boot still running after 5.5s: ${HOSTS.join(', ')}`,
      `[       ] 15 hosts ...  wait for boot still running after 35.5s: ${HOSTS.join(', ')}`,
    ]);
    for (const h of HOSTS) r.onEvent(ev(40_000, { type: 'step-finished', host: h, step: `${h}/boot`, name: 'wait for boot', kind: 'wait-boot', status: 'passed', durationMs: 40_000 }));
    expect(t.pending).to.equal(0);
  });

  it('a guest shutdown of 8 s says it is still running at 5 s, with its command', () => {
    const t = new FakeTimers();
    const lines: string[] = [];
    const r = new HumanReporter({ write: (l) => lines.push(l), timers: t });
    r.onEvent(ev(0, { type: 'run-started', version: 1, action: 'down', topology: 'big', file: 'big.yaml', dryRun: false, waves: [['vm01']] }));
    r.onEvent(ev(0, { type: 'step-started', host: 'vm01', step: 'vm01/shutdown', name: 'shutdown', kind: 'shutdown', target: 'vm01', command: 'systemctl poweroff' }));
    t.advance(8000);
    expect(lines.slice(1)).to.deep.equal(['[       ] vm01     ...  shutdown: systemctl poweroff still running after 5.5s']);
  });

  it('says nothing of long steps when told not to (the live view shows them as host state)', () => {
    const t = new FakeTimers();
    const lines: string[] = [];
    const r = new HumanReporter({ write: (l) => lines.push(l), timers: t, longSteps: false });
    r.onEvent(ev(0, { type: 'step-started', host: 'vm01', step: 'vm01/boot', name: 'wait for boot', kind: 'wait-boot', target: 'vm01' }));
    t.advance(60_000);
    expect(lines).to.deep.equal(['[   0.0s] vm01     ...  wait for boot']);
    expect(t.pending).to.equal(0);
  });
});
