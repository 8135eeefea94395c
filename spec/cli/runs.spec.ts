import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { ROOT } from '../support/topologies.js';
import { runMain, type CliResult } from '../support/cli.js';

/** spec/fixtures/state/runs: an up that succeeded, a down that failed, a failback killed mid-procedure (its last line torn), an up cancelled. */
const STATE = path.join(ROOT, 'spec/fixtures/state');

const run = (...args: string[]): Promise<CliResult> => runMain(['--state-dir', STATE, ...args]);

describe('orchestrate runs', () => {
  it('lists the runs newest first: id, action, topology, start, duration, outcome, by whom, and where the others stopped', async () => {
    expect(await run('runs')).to.deep.equal({
      code: 0,
      err: '',
      out: [
        'RUN                   ACTION      TOPOLOGY   STARTED               DURATION  OUTCOME      BY',
        '20261207-083000-0a1b  up          acd-large  2026-12-07 08:30:00Z  2.5s      cancelled    ops@fixture-controller  cancelled: acd-store1/wait-boot (wait for boot: systemctl is-system-running)',
        '20261207-082000-e5f6  failback b  acd-large  2026-12-07 08:20:00Z  3.1s      interrupted  ops@fixture-controller  in flight: acd-store2/storage/drbd connected (connected, UpToDate: cat /proc/drbd)',
        '20261207-081500-c3d4  down        acd-small  2026-12-07 08:15:00Z  1.5s      failed       ops@fixture-controller  acd-dbm/db-master/stop mysql: exit code 1',
        '20261207-080000-a1b2  up          acd-small  2026-12-07 08:00:00Z  9.0s      succeeded    ops@fixture-controller',
      ].join('\n'),
    });
  });

  it('--topology and --limit', async () => {
    const r = await run('runs', '--topology', 'acd-small', '--limit', '1');
    expect(r.out.split('\n').slice(1).map((l) => l.slice(0, 20))).to.deep.equal(['20261207-081500-c3d4']);
    expect(await run('runs', '--topology', 'nope')).to.deep.equal({ code: 0, out: '', err: `no runs of nope recorded in ${STATE}` });
    expect((await run('runs', '--limit', '0')).code).to.equal(2);
  });

  it('--json: one document with every run\'s header fields, outcome, failures and steps in flight', async () => {
    const r = await run('runs', '--json');
    const doc = JSON.parse(r.out) as { version: number; runs: Record<string, unknown>[] };
    expect(doc.version).to.equal(1);
    expect(doc.runs.map((x) => `${String(x.runId)} ${String(x.outcome)}`)).to.deep.equal([
      '20261207-083000-0a1b cancelled', '20261207-082000-e5f6 interrupted', '20261207-081500-c3d4 failed', '20261207-080000-a1b2 succeeded',
    ]);
    expect(doc.runs[1]).to.deep.equal({
      runId: '20261207-082000-e5f6', action: 'failback', side: 'b', topology: 'acd-large', file: '/srv/platform/topologies/large.yaml',
      journal: path.join(STATE, 'runs/20261207-082000-e5f6.jsonl'), startedAt: '2026-12-07T08:20:00.000Z', durationMs: 3101, outcome: 'interrupted',
      user: 'ops', host: 'fixture-controller', pid: 99999999, argv: ['failback', 'topologies/large.yaml', '--side', 'b'], failures: [],
      inFlight: [{ host: 'acd-store2', step: 'acd-store2/storage/drbd connected', name: 'connected, UpToDate', command: 'cat /proc/drbd' }],
    });
    expect(doc.runs[2]?.failures).to.deep.equal([{ host: 'acd-dbm', step: 'acd-dbm/db-master/stop mysql', name: 'stop mysql', target: 'acd-dbm', command: 'systemctl stop mysqld', exitCode: 1, reason: 'exit code 1', outputTail: 'Job for mysqld.service failed.' }]);
  });
});

describe('orchestrate show', () => {
  it('replays a run through the text reporter, as it was printed', async () => {
    const r = await run('show', '20261207-0815', '-v');
    expect(r.code).to.equal(0);
    expect(r.out.split('\n')).to.deep.equal([
      'run 20261207-081500-c3d4, started 2026-12-07T08:15:00.000Z by ops@fixture-controller (pid 99999999) in /srv/platform: orchestrate down -v',
      'down acd-small (topologies/small.yaml): 2 hosts in 2 waves',
      '[   0.0s] wave 1: acd-dbm',
      '[   1.5s] acd-dbm  err  Job for mysqld.service failed.',
      '[   1.5s] acd-dbm  FAIL db-master/stop mysql: exit code 1 (1.5s)',
      '[   1.5s] acd-dbm  FAIL failed: stop mysql: exit code 1 in 1.5s',
      '[   1.5s] wave 1 failed',
      '[   1.5s] acd-lb   stop blocked: waits for acd-dbm, which did not come down',
      'down: FAILED in 1.5s: 1 failed, 1 blocked',
      '  acd-dbm: stop mysql failed on acd-dbm: exit code 1',
      '    command: systemctl stop mysqld',
      '    exit code: 1',
      '    | Job for mysqld.service failed.',
    ]);
    // Without -v, command output is left out, as it was.
    expect((await run('show', '20261207-081500-c3d4')).out).to.not.include('err  Job');
  });

  it('an interrupted run: the replay ends with what was in flight, and says its torn last line was left out', async () => {
    const r = await run('show', '20261207-082000-e5f6');
    expect(r.out.split('\n').slice(-4)).to.deep.equal([
      '[   0.1s] acd-store2 ok   power on: virsh start acd-store2 (46ms)',
      '[   3.1s] acd-store2 ok   storage/drbd up: drbdadm up jtelshared (100ms)',
      '(the last line of the journal was cut short: it is left out)',
      'failback: the run was interrupted (its process ended without finishing the journal): in flight: acd-store2/storage/drbd connected (connected, UpToDate: cat /proc/drbd)',
    ]);
  });

  it('last is the newest run', async () => {
    expect((await run('show', 'last')).out.split('\n')[0]).to.match(/^run 20261207-083000-0a1b, /);
  });

  it('--json prints the journal\'s events exactly, without the header (a torn last line left out)', async () => {
    for (const id of ['20261207-081500-c3d4', '20261207-082000-e5f6']) {
      const lines = readFileSync(path.join(STATE, 'runs', `${id}.jsonl`), 'utf8').split('\n');
      const whole = lines.slice(1).filter((l) => {
        try {
          JSON.parse(l);
          return true;
        } catch {
          return false; // the torn last line, and the empty piece after the final newline
        }
      });
      expect((await run('show', id, '--json')).out).to.equal(whole.join('\n'));
    }
  });

  it('a missing or ambiguous run is an error (exit 2) with the runs it could mean', async () => {
    expect(await run('show', '20261207-08')).to.deep.equal({
      code: 2,
      out: '',
      err: [
        "Error: '20261207-08' matches 4 runs",
        'Try this: orchestrate show 20261207-083000-0a1b    # up acd-large, started 2026-12-07T08:30:00.000Z',
        'Try this: orchestrate show 20261207-082000-e5f6    # failback side b acd-large, started 2026-12-07T08:20:00.000Z',
        'Try this: orchestrate show 20261207-081500-c3d4    # down acd-small, started 2026-12-07T08:15:00.000Z',
        'Try this: orchestrate show 20261207-080000-a1b2    # up acd-small, started 2026-12-07T08:00:00.000Z',
      ].join('\n'),
    });
    const missing = await run('show', 'nope');
    expect(missing.code).to.equal(2);
    expect(missing.err.split('\n').slice(0, 3)).to.deep.equal([
      `Error: no run 'nope' in ${path.join(STATE, 'runs')}`,
      'Try this: orchestrate runs',
      'Try this: orchestrate show 20261207-083000-0a1b    # up acd-large, started 2026-12-07T08:30:00.000Z',
    ]);
    const none = await main(['--state-dir', path.join(STATE, 'runs'), 'show', 'last'], { out: () => undefined, err: () => undefined, style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: ROOT }, new AbortController().signal);
    expect(none).to.equal(2);
  });
});
