import { expect } from 'chai';
import { failed, runFuzz, summaryLine, type CaseResult } from '../../scripts/fuzz/run.js';

/** npm run fuzz runs 10,000 cases; CI runs a few hundred of them, and one of each kind that needs a child process. */
describe('scripts: the fuzzer', () => {
  it('validate survives 300 seeded cases: no internal error, none over 2 s or 500 MB, every refusal located, every injection refused', async function () {
    this.timeout(60_000);
    const failures: CaseResult[] = [];
    const summary = await runFuzz({ cases: 300, seed: 1, onResult: (r) => r.problems.length > 0 && failures.push(r) });
    expect(failures, summaryLine(summary)).to.deep.equal([]);
    expect(failed(summary)).to.equal(false);
  });

  it('device files, FIFOs and folders as topologies and playbooks are refused by a child process at once', async function () {
    this.timeout(60_000);
    const results: CaseResult[] = [];
    const summary = await runFuzz({ cases: 4, seed: 1, only: 'device', onResult: (r) => results.push(r) });
    expect(results.map((r) => [r.exitCode, r.problems])).to.deep.equal(Array(4).fill([2, []]));
    expect(failed(summary)).to.equal(false);
  });
});
