import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beginRunRecord } from '../../lib/cli/run-record.js';
import { journalFile, journalState, JournalWriter, listRuns, readJournal, readLock, thisMachine, topologyLockFile } from '../../lib/journal/index.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { header, stamp } from '../support/journal.js';
import { ROOT } from '../support/topologies.js';

describe('journal files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'orchestrate-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('JournalWriter appends one JSON line per record to runs/<runId>.jsonl; readJournal reads them back', () => {
    const w = JournalWriter.create(dir, new Date('2026-12-07T08:15:02Z'));
    expect(w.runId).to.match(/^20261207-081502-[0-9a-f]{4}$/);
    expect(w.file).to.equal(journalFile(dir, w.runId));
    const events = stamp([{ type: 'warning', message: 'one' }, { type: 'warning', message: 'two' }]);
    w.write(header({ runId: w.runId }));
    for (const e of events) w.write(e);
    w.sync();
    w.close();
    expect(readFileSync(w.file, 'utf8').split('\n')).to.have.length(4);
    const j = readJournal(w.file);
    expect('error' in j ? j.error : [j.header.runId, j.events, j.torn]).to.deep.equal([w.runId, events, false]);
    expect(listRuns(dir).map((r) => r.runId)).to.deep.equal([w.runId]);
  });

  it('two runs started in the same second get different ids; listRuns gives the newest first and skips files without a header', () => {
    const at = new Date('2026-12-07T08:15:02Z');
    const a = JournalWriter.create(dir, at);
    const b = JournalWriter.create(dir, at);
    const c = JournalWriter.create(dir, at);
    expect(a.runId).to.not.equal(b.runId);
    a.write(header({ runId: a.runId, startedAt: '2026-12-07T08:15:02.100Z' }));
    b.write(header({ runId: b.runId, startedAt: '2026-12-07T08:15:02.200Z' }));
    for (const w of [a, b, c]) w.close();
    expect(listRuns(dir).map((r) => r.runId)).to.deep.equal([b.runId, a.runId]);
    expect(listRuns(path.join(dir, 'nothing-here'))).to.deep.equal([]);
  });

  it('a run killed with SIGKILL while it writes: header and events intact, outcome interrupted, the step in flight named', async function () {
    this.timeout(15_000);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'spec/fixtures/journal-writer.mts'), dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const runId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.on('exit', () => reject(new Error(`the writer ended before it was killed: ${err}`)));
    });
    child.kill('SIGKILL');
    expect(await exited).to.equal('SIGKILL');

    const j = readJournal(journalFile(dir, runId));
    if ('error' in j) throw new Error(j.error);
    expect(j.header).to.include({ type: 'journal', version: 1, runId, topology: 'acd-small', action: 'up', file: '/srv/small.yaml', cwd: '/srv', pid: child.pid, host: os.hostname(), planHash: 'ab'.repeat(32) });
    expect(j.header.argv).to.deep.equal(['up', 'small.yaml']);
    expect(j.events.slice(0, 5).map((e) => e.type)).to.deep.equal(['run-started', 'host-started', 'step-started', 'step-finished', 'step-started']);
    expect(j.events.length).to.be.at.least(55);
    expect(j.events.map((e) => e.seq)).to.deep.equal(j.events.map((_, i) => i + 1));
    expect(j.problems).to.deep.equal([]);

    const state = journalState(j, thisMachine);
    expect(state.outcome).to.equal('interrupted');
    expect(state.inFlight.map((s) => [s.step, s.name, s.command])).to.deep.equal([['acd-dbm/db-master/start mysql', 'start mysql', 'systemctl start mysqld']]);
    expect(state.hosts.find((h) => h.host === 'acd-dbm')?.done.map((d) => `${d.step}: ${d.status}`)).to.deep.equal(['acd-dbm/power-on: passed']);

    // Its lock is left behind, held by a process that is gone: the next run takes it over and warns about both.
    expect(readLock(topologyLockFile(dir, 'acd-small'))).to.include({ runId, pid: child.pid });
    const lines: string[] = [];
    const io = { out: () => undefined, err: (l: string) => lines.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: {}, cwd: '/srv' };
    const next = beginRunRecord({ stateDir: dir, topology: 'acd-small', argv: ['down'] }, io);
    try {
      expect(lines).to.have.length(2);
      expect(lines[0]).to.equal(`warning: took over the lock ${topologyLockFile(dir, 'acd-small')} of run ${runId} (pid ${child.pid} on ${os.hostname()}, since ${j.header.startedAt}: orchestrate up small.yaml): that process is gone`);
      expect(lines[1]).to.equal(`warning: the last run of acd-small (up, ${runId}, started ${j.header.startedAt} by ${j.header.user}@${os.hostname()}) was interrupted: in flight: acd-dbm/db-master/start mysql (start mysql: systemctl start mysqld)`);
      expect(readLock(topologyLockFile(dir, 'acd-small'))).to.include({ runId: next.runId, pid: process.pid });
    } finally {
      next.finish();
    }
    expect(readLock(topologyLockFile(dir, 'acd-small'))).to.equal(undefined);
  });
});
