import { expect } from 'chai';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fleetLockFile, listRuns, topologyLockFile } from '../../lib/journal/index.js';
import { testFleet, type TestFleet } from '../support/fleet.js';
import { ROOT } from '../support/topologies.js';
import { runMain, type CliResult } from '../support/cli.js';

const cli = (...args: string[]): Promise<CliResult> => runMain(args);

describe('fleet: one run at a time', function () {
  this.timeout(30_000);
  let f: TestFleet;
  before(async () => {
    f = await testFleet('small');
  });
  after(async () => {
    await f.close();
  });

  it('two ups at once against one fleet, from two state directories: exactly one runs, the other exits 3 naming it', async () => {
    const states = [path.join(f.dir, 'state-a'), path.join(f.dir, 'state-b')];
    const results = await Promise.all(states.map((s) => cli('--state-dir', s, 'up', f.file, '--fleet', f.dir, '--json')));
    expect(results.map((r) => r.code).sort()).to.deep.equal([0, 3]);
    const winner = results.findIndex((r) => r.code === 0);
    const loser = results[1 - winner];
    const [run] = listRuns(states[winner] ?? '');
    if (!run) throw new Error('the run that ran left no journal');
    expect(listRuns(states[1 - winner] ?? '')).to.deep.equal([]);
    expect(loser?.out).to.equal('');
    expect(loser?.err.split('\n')[0]).to.equal(`Error: the fleet in ${f.dir} is locked: another run holds its lock: run ${run.runId} (pid ${process.pid} on ${os.hostname()}, since ${run.header.startedAt}: orchestrate ${run.header.argv.join(' ')})`);
    expect(loser?.err).to.include(`--force-unlock (the lock is ${fleetLockFile(f.dir)})`);
    expect(existsSync(fleetLockFile(f.dir))).to.equal(false);
    expect(existsSync(topologyLockFile(states[winner] ?? '', 'acd-small'))).to.equal(false);

    // The journal replays as exactly what --json printed.
    const shown = await cli('--state-dir', states[winner] ?? '', 'show', 'last', '--json');
    expect(shown.out).to.equal(results[winner]?.out);
    expect(run.header).to.include({ action: 'up', topology: 'acd-small', file: path.join(ROOT, 'topologies/small.yaml') });
    expect(run.header.planHash).to.match(/^[0-9a-f]{64}$/);
  });

  it('two downs at once from one state directory: the topology lock refuses the second', async () => {
    const state = path.join(f.dir, 'state-a');
    const results = await Promise.all([cli('--state-dir', state, 'down', f.file, '--fleet', f.dir), cli('--state-dir', state, 'down', f.file, '--fleet', f.dir)]);
    expect(results.map((r) => r.code).sort()).to.deep.equal([0, 3]);
    expect(results.find((r) => r.code === 3)?.err).to.match(/^Error: topology acd-small is locked: another run holds its lock: run \d{8}-\d{6}-[0-9a-f]{4} \(pid \d+ on .*, since .*: orchestrate --state-dir .* down .*\)$/m);
  });
});
