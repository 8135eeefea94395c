import { expect } from 'chai';
import type { RunEventBody } from '../../lib/events/index.js';
import { describeInterruption, findRun, formatRunId, hashDocument, interruptionOf, journalState, parseJournal, type Journal, type RunEntry } from '../../lib/journal/index.js';
import { finished, header, machine, stamp, started } from '../support/journal.js';

const runStarted: RunEventBody = { type: 'run-started', version: 1, action: 'up', topology: 'acd-large', file: 'large.yaml', dryRun: false, waves: [['acd-store1', 'acd-store2'], ['acd-dbm']] };

function journal(bodies: readonly RunEventBody[], overrides: Parameters<typeof header>[0] = {}): Journal {
  return { header: header(overrides), events: stamp(bodies), torn: false, problems: [] };
}

describe('journalState', () => {
  it('a finished run: its status, each host\'s final status and the steps that finished', () => {
    const state = journalState(journal([
      runStarted,
      { type: 'host-started', host: 'acd-dbm', wave: 2 },
      started('acd-dbm', 'acd-dbm/power-on', { kind: 'power-on', target: 'hypervisor kvm1', command: 'virsh start acd-dbm' }),
      finished('acd-dbm', 'acd-dbm/power-on', 'passed', 'power-on'),
      { type: 'host-powered', host: 'acd-dbm' },
      { type: 'host-finished', host: 'acd-dbm', wave: 2, status: 'up', durationMs: 20 },
      { type: 'run-finished', status: 'succeeded', durationMs: 1234, hosts: { 'acd-dbm': 'up' }, failures: [] },
    ]), machine([4242]));
    expect(state.outcome).to.equal('succeeded');
    expect(state.durationMs).to.equal(1234);
    expect(state.lastSeq).to.equal(7);
    expect(state.hosts.map((h) => h.host)).to.deep.equal(['acd-store1', 'acd-store2', 'acd-dbm']);
    expect(state.hosts[2]).to.deep.equal({
      host: 'acd-dbm', status: 'up', started: true, powered: true, inFlight: [],
      done: [{ host: 'acd-dbm', step: 'acd-dbm/power-on', name: 'power-on', kind: 'power-on', status: 'passed' }],
    });
    expect(state.hosts[0]).to.deep.equal({ host: 'acd-store1', started: false, powered: false, done: [], inFlight: [] });
    expect(state.inFlight).to.deep.equal([]);
  });

  it('without run-finished: running while the writer lives on this machine, else interrupted', () => {
    const events = [runStarted, started('acd-dbm', 'acd-dbm/wait-boot', { kind: 'wait-boot' })];
    expect(journalState(journal(events), machine([4242])).outcome).to.equal('running');
    expect(journalState(journal(events), machine([])).outcome).to.equal('interrupted');
    // The same pid alive here means nothing when the journal was written on another machine.
    expect(journalState(journal(events, { host: 'other' }), machine([4242])).outcome).to.equal('interrupted');
    // Once run-finished is written, the writer does not matter.
    expect(journalState(journal([...events, { type: 'run-finished', status: 'failed', durationMs: 5, hosts: {}, failures: [] }]), machine([4242])).outcome).to.equal('failed');
  });

  it('steps in flight per host and per pair; a role step with three parts is not a pair step', () => {
    const state = journalState(journal([
      runStarted,
      started('acd-store1', 'acd-store1/storage/drbd up primary', { command: 'drbdadm up jtelshared' }),
      started('acd-store2', 'acd-store2/storage/drbd up secondary', { command: 'drbdadm up jtelshared' }),
      finished('acd-store2', 'acd-store2/storage/drbd up secondary'),
      started('acd-dbm', 'acd-dbm/db-master/start mysql', { role: 'db-master', command: 'systemctl start mysqld' }),
      { type: 'step-output', host: 'acd-dbm', step: 'acd-dbm/db-master/start mysql', stream: 'stdout', text: 'x' },
    ]), machine());
    expect(state.outcome).to.equal('interrupted');
    expect(state.durationMs).to.equal(50);
    expect(state.inFlight.map((s) => `${s.step} @${s.seq}`)).to.deep.equal(['acd-store1/storage/drbd up primary @2', 'acd-dbm/db-master/start mysql @5']);
    expect(state.inFlight[0]).to.deep.equal({ host: 'acd-store1', step: 'acd-store1/storage/drbd up primary', name: 'drbd up primary', kind: 'run', target: 'acd-store1', command: 'drbdadm up jtelshared', seq: 2 });
    expect(state.pairs).to.have.length(1);
    expect(state.pairs[0]?.pair).to.equal('storage');
    expect(state.pairs[0]?.inFlight.map((s) => s.step)).to.deep.equal(['acd-store1/storage/drbd up primary']);
    expect(state.pairs[0]?.done.map((s) => `${s.step}: ${s.status}`)).to.deep.equal(['acd-store2/storage/drbd up secondary: passed']);
  });

  it('failures: run-finished\'s, or without one every failed step', () => {
    const failure = { host: 'acd-dbm', step: 'acd-dbm/db-master/start mysql', name: 'start mysql', target: 'acd-dbm', reason: 'exit code 1' };
    const events = [runStarted, started('acd-dbm', 'acd-dbm/db-master/start mysql', { role: 'db-master' }), { ...finished('acd-dbm', 'acd-dbm/db-master/start mysql', 'failed'), message: 'exit code 1' } as RunEventBody];
    expect(journalState(journal(events), machine()).failures).to.deep.equal([{ ...failure, name: 'start mysql', target: '' }]);
    expect(journalState(journal([...events, { type: 'run-finished', status: 'failed', durationMs: 9, hosts: {}, failures: [failure] }]), machine()).failures).to.deep.equal([failure]);
  });

  it('skips event types it does not know (a journal of a newer orchestrate)', () => {
    const state = journalState(journal([runStarted, { type: 'gate-lost', host: 'acd-dbm' } as unknown as RunEventBody, started('acd-dbm', 'acd-dbm/x')]), machine());
    expect(state.inFlight.map((s) => s.step)).to.deep.equal(['acd-dbm/x']);
  });
});

describe('the interruption of a last run', () => {
  const describe_ = (j: Journal, alive: number[] = []): string | undefined => {
    const i = interruptionOf({ file: 'f', journal: j, state: journalState(j, machine(alive)) });
    return i && describeInterruption(i);
  };

  it('interrupted: names the run and the steps in flight, a pair procedure step rather than the host\'s pair step', () => {
    const j = journal([
      runStarted,
      started('acd-store1', 'acd-store1/storage', { kind: 'pair' }),
      started('acd-store1', 'acd-store1/storage/drbd up primary', { command: 'drbdadm up jtelshared' }),
      started('acd-dbm', 'acd-dbm/power-on', { kind: 'power-on', command: 'virsh start acd-dbm' }),
    ]);
    expect(describe_(j)).to.equal('the last run of acd-large (up, 20261207-081502-3f9a, started 2026-12-07T08:15:02.000Z by root@ctl) was interrupted: in flight: '
      + 'acd-store1/storage/drbd up primary (drbd up primary: drbdadm up jtelshared); acd-dbm/power-on (power-on: virsh start acd-dbm)');
  });

  it('cancelled: the steps the cancel stopped; a side operation names its side', () => {
    const j = journal([
      { ...runStarted, action: 'failover', side: 'b' } as RunEventBody,
      started('acd-dbm', 'acd-dbm/wait-off', { kind: 'wait-off' }),
      finished('acd-dbm', 'acd-dbm/wait-off', 'cancelled', 'wait-off'),
      { type: 'run-finished', status: 'cancelled', durationMs: 30, hosts: {}, failures: [] },
    ], { action: 'failover', side: 'b' });
    expect(describe_(j)).to.equal('the last run of acd-large (failover side b, 20261207-081502-3f9a, started 2026-12-07T08:15:02.000Z by root@ctl) was cancelled: cancelled: acd-dbm/wait-off (wait-off)');
  });

  it('a run that ended by itself (succeeded, failed, refused) is no interruption; one still running is', () => {
    for (const status of ['succeeded', 'failed', 'refused'] as const) {
      expect(describe_(journal([runStarted, { type: 'run-finished', status, durationMs: 1, hosts: {}, failures: [] }]))).to.equal(undefined);
    }
    expect(describe_(journal([runStarted]), [4242])).to.match(/is still running \(pid 4242\): no step was in flight$/);
  });
});

describe('parseJournal', () => {
  const h = JSON.stringify(header());
  const e = (seq: number): string => JSON.stringify({ seq, time: 't', elapsedMs: seq, type: 'warning', message: `m${seq}` });

  it('reads the header and every event', () => {
    const j = parseJournal(`${h}\n${e(1)}\n${e(2)}\n`);
    expect('error' in j ? j.error : [j.header.runId, j.events.map((x) => x.seq), j.torn, j.problems]).to.deep.equal(['20261207-081502-3f9a', [1, 2], false, []]);
  });

  it('drops a torn last line and says so; keeps a last line cut just before its newline', () => {
    const torn = parseJournal(`${h}\n${e(1)}\n${e(2).slice(0, 20)}`);
    expect('error' in torn ? torn.error : [torn.events.map((x) => x.seq), torn.torn]).to.deep.equal([[1], true]);
    const whole = parseJournal(`${h}\n${e(1)}\n${e(2)}`);
    expect('error' in whole ? whole.error : [whole.events.map((x) => x.seq), whole.torn]).to.deep.equal([[1, 2], false]);
  });

  it('reports a bad line in the middle and reads on; refuses a file without a header', () => {
    const j = parseJournal(`${h}\n${e(1)}\nnot json\n${e(3)}\n`);
    expect('error' in j ? j.error : [j.events.map((x) => x.seq), j.problems]).to.deep.equal([[1, 3], ['line 3: not an event']]);
    expect(parseJournal('')).to.deep.equal({ error: 'the journal is empty' });
    expect(parseJournal(`${e(1)}\n`)).to.deep.equal({ error: 'the first line is not a journal header' });
    expect(parseJournal(h.slice(0, 30))).to.deep.equal({ error: 'the first line is not a journal header' });
  });
});

describe('run ids, hashes and finding a run', () => {
  it('run ids are the UTC start to the second and a suffix, so they sort by time', () => {
    expect(formatRunId(new Date('2026-12-07T08:15:02.999Z'), '3f9a')).to.equal('20261207-081502-3f9a');
    expect(formatRunId(new Date('2026-12-07T08:15:03.000Z'), '0000') > formatRunId(new Date('2026-12-07T08:15:02.999Z'), 'ffff')).to.equal(true);
  });

  it('hashDocument ignores key order and sees into Maps', () => {
    expect(hashDocument({ a: 1, b: [1, { c: 2, d: 3 }] })).to.equal(hashDocument({ b: [1, { d: 3, c: 2 }], a: 1 }));
    expect(hashDocument({ a: 1 })).to.not.equal(hashDocument({ a: 2 }));
    expect(hashDocument(new Map([['x', 1]]))).to.not.equal(hashDocument(new Map([['x', 2]])));
    expect(hashDocument({ a: 1 })).to.match(/^[0-9a-f]{64}$/);
  });

  it('findRun: last, a full id, a unique prefix; ambiguous and missing ones', () => {
    const entry = (runId: string): RunEntry => ({ runId, file: `${runId}.jsonl`, header: header({ runId }) });
    const entries = [entry('20261207-090000-aaaa'), entry('20261207-081502-3f9a'), entry('20261207-081502-3f00')];
    const id = (m: ReturnType<typeof findRun>): unknown => ('found' in m ? m.found.runId : 'ambiguous' in m ? m.ambiguous.map((e) => e.runId) : 'missing');
    expect(id(findRun(entries, 'last'))).to.equal('20261207-090000-aaaa');
    expect(id(findRun(entries, '20261207-081502-3f9a'))).to.equal('20261207-081502-3f9a');
    expect(id(findRun(entries, '20261207-09'))).to.equal('20261207-090000-aaaa');
    expect(id(findRun(entries, '20261207-0815'))).to.deep.equal(['20261207-081502-3f9a', '20261207-081502-3f00']);
    expect(id(findRun(entries, 'nope'))).to.equal('missing');
    expect(id(findRun([], 'last'))).to.equal('missing');
  });
});
