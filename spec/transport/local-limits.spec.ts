import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ROOT } from '../support/topologies.js';

describe('the controller out of file descriptors', () => {
  it('is reported as the controller\'s own problem, naming the limit, not as an unreachable host', function () {
    this.timeout(20_000);
    const script = path.join(ROOT, 'spec/fixtures/emfile.mts');
    const out = execFileSync('bash', ['-c', `ulimit -n 64 && exec node --import tsx ${script} 9`], { cwd: ROOT, encoding: 'utf8' });
    const r = JSON.parse(out) as { held: number; probe: { answers: boolean; local?: boolean; observed: string }; local: { outcome: string; connectError?: { kind: string; message: string } } };
    expect(r.held).to.be.above(0);
    expect(r.probe).to.include({ answers: false, local: true });
    expect(r.probe.observed).to.match(/too many open files \(EMFILE, ulimit -n is 64\)/);
    expect(r.local.outcome).to.equal('connect-failed');
    expect(r.local.connectError?.kind).to.equal('local');
    expect(r.local.connectError?.message).to.match(/EMFILE/);
  });
});
