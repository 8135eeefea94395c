import { expect } from 'chai';
import { testFleet, type TestFleet } from '../support/fleet.js';

interface Doc {
  version: number;
  topology: string;
  ok: boolean;
  results: { host: string | null; check: string; state: string; observed: string; durationMs: number | null }[];
}

describe('orchestrate check (against the fleet)', function () {
  this.timeout(60_000);

  describe('a healthy small platform', () => {
    let f: TestFleet;
    before(async () => {
      f = await testFleet('small', { warm: true });
    });
    after(() => f.close());

    it('runs every check of every host and exits 0, as a table', async () => {
      const r = await f.cli('check', f.file, '--fleet', f.dir);
      expect(r.code, r.out).to.equal(0);
      const lines = r.out.split('\n');
      expect(lines[0]).to.match(/^HOST +CHECK +STATE +TIME +OBSERVED$/);
      expect(r.out).to.match(/^acd-dbs +db-slave\/replication healthy +pass +\d+ms +(Slave|Replica)_IO_Running: Yes, (Slave|Replica)_SQL_Running: Yes, Seconds_Behind_(Master|Source): 0$/m);
      expect(r.out).to.match(/^acd-jb1 +web\/login through the load balancer +pass .* HTTP 200$/m);
      expect(r.out).to.match(/^acd-jb1 +web\/hazelcast members complete +pass .* clusterSize 2$/m);
      expect(lines.at(-1)).to.match(/^All \d+ checks passed\.$/);
    });

    it('--json gives one document; --role and --host narrow the scope', async () => {
      const r = await f.cli('check', f.file, '--fleet', f.dir, '--json', '--role', 'db-slave', '--host', 'acd-tel1');
      expect(r.code, r.out).to.equal(0);
      const doc = JSON.parse(r.out) as Doc;
      expect(doc).to.include({ version: 1, topology: 'acd-small', ok: true });
      expect(doc.results.map((x) => `${x.host ?? ''} ${x.check} ${x.state}`)).to.deep.equal([
        'acd-dbs running pass', 'acd-tel1 running pass',
        'acd-dbs db-slave/mysql alive pass', 'acd-dbs db-slave/replication healthy pass',
        'acd-tel1 telephony/telephony active pass', 'acd-tel1 telephony/hazelcast members complete pass',
      ]);
      expect(doc.results.every((x) => typeof x.durationMs === 'number')).to.equal(true);
    });

    it('an unknown host or role is invalid input (exit 2) with a did-you-mean', async () => {
      const r = await f.cli('check', f.file, '--fleet', f.dir, '--host', 'acd-jb2');
      expect(r.code).to.equal(2);
      expect(r.err).to.equal(`Error: no host 'acd-jb2' in ${f.file} (did you mean 'acd-jb1'?)`);
    });
  });

  describe('a broken replica and a host that is off', () => {
    let f: TestFleet;
    before(async () => {
      f = await testFleet('small', { warm: true, faults: { 'acd-dbs': [{ kind: 'replication-broken' }] } });
      f.fleet.world.vms.get('acd-tel1')?.destroy('test: switched off');
    });
    after(() => f.close());

    it('exits 1, shows the observed replica state, and skips the checks of a host that is not running', async () => {
      const r = await f.cli('check', f.file, '--fleet', f.dir, '--json');
      expect(r.code, r.out).to.equal(1);
      const doc = JSON.parse(r.out) as Doc;
      expect(doc.ok).to.equal(false);
      const row = (host: string, check: string) => doc.results.find((x) => x.host === host && x.check === check);
      expect(row('acd-dbs', 'db-slave/replication healthy')).to.deep.include({ state: 'fail' });
      expect(row('acd-dbs', 'db-slave/replication healthy')?.observed).to.match(/^(Slave|Replica)_IO_Running: Yes, (Slave|Replica)_SQL_Running: No, Seconds_Behind_(Master|Source): NULL \(.+\)$/);
      expect(row('acd-tel1', 'running')).to.deep.include({ state: 'fail' });
      expect(row('acd-tel1', 'telephony/telephony active')).to.deep.include({ state: 'skip', observed: 'not run: the host is not running' });
      // acd-tel1 is off, so one fewer Hazelcast member is expected on the web server.
      expect(row('acd-jb1', 'web/hazelcast members complete')).to.deep.include({ state: 'pass' });
      const table = await f.cli('check', f.file, '--fleet', f.dir);
      expect(table.out.split('\n').at(-1)).to.match(/^2 failed, 2 not run, \d+ passed\.$/);
    });
  });
});
