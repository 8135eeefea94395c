import { expect } from 'chai';
import { mysqlArgs, parseStatement, splitStatements } from '../../lib/fleet/models/mysql-sql.js';
import { fleetShell, testFleet, type TestFleet, type Outcome, type FleetShell } from '../support/fleet.js';

const PROBE = "mysql -NBe 'INSERT INTO jtel.orchestrate_probe VALUES (NOW()); SELECT COUNT(*) FROM jtel.orchestrate_probe'";
const READ_ONLY = 'ERROR 1290 (HY000) at line 1: The MySQL server is running with the --read-only option so it cannot execute this statement\n';

/** A field of `SHOW SLAVE STATUS\G` (vertical output: parse by name). */
const field = (status: string, name: string): string | undefined => new RegExp(`^ *${name}: (.*)$`, 'm').exec(status)?.[1];

describe('fleet: MySQL master pair of large.yaml (one active master), over SSH', function () {
  this.timeout(30_000);
  let f: TestFleet;
  let sh: FleetShell;
  const run = (host: string, command: string): Promise<Outcome> => sh.outcome(host, command);
  const status = async (host: string): Promise<string> => (await run(host, "mysql -NBe 'SHOW SLAVE STATUS\\G'")).out;
  const wait = (ms: number): Promise<void> => f.fleet.world.time.wait(ms);

  before(async () => {
    f = await testFleet('large', { warm: true });
    sh = fleetShell(f);
  });
  after(async () => {
    await sh.close();
    await f.close();
  });

  it('acd-dbm1 takes writes; acd-dbm2 and the replicas are read-only (super_read_only off)', async () => {
    expect(await run('acd-dbm1', "mysql -NBe 'SELECT @@read_only'")).to.deep.equal({ code: 0, out: '0\n', err: '' });
    for (const vm of ['acd-dbm2', 'acd-dbs1', 'acd-dbs2', 'acd-dbr']) expect((await run(vm, "mysql -NBe 'SELECT @@global.read_only'")).out, vm).to.equal('1\n');
    expect((await run('acd-dbm2', 'mysql -e "SELECT @@read_only, @@super_read_only"')).out).to.equal('@@read_only\t@@super_read_only\n1\t0\n');
  });

  it('the masters replicate from each other; each replica from the master on its side', async () => {
    const masters = { 'acd-dbm1': 'acd-dbm2', 'acd-dbm2': 'acd-dbm1', 'acd-dbs1': 'acd-dbm1', 'acd-dbs2': 'acd-dbm2', 'acd-dbr': 'acd-dbm1' };
    for (const [vm, master] of Object.entries(masters)) {
      const s = await status(vm);
      expect([field(s, 'Master_Host'), field(s, 'Slave_IO_Running'), field(s, 'Slave_SQL_Running'), field(s, 'Seconds_Behind_Master')], vm).to.deep.equal([master, 'Yes', 'Yes', '0']);
    }
  });

  it('switch: acd-dbm2 made writable from acd-dbm1, then acd-dbm1 read-only; the probe fails on dbm1 and passes on dbm2', async () => {
    expect(await run('acd-dbm1', "mysql -h acd-dbm2 -NBe 'SET GLOBAL read_only = 0'")).to.deep.equal({ code: 0, out: '', err: '' });
    expect((await run('acd-dbm1', "mysql -NBe 'SET GLOBAL read_only=1'")).code).to.equal(0);
    expect(await run('acd-dbm1', PROBE)).to.deep.equal({ code: 1, out: '', err: READ_ONLY });
    expect(await run('acd-dbm2', PROBE)).to.deep.equal({ code: 0, out: '1\n', err: '' });
    expect((await run('acd-dbm2', PROBE)).out).to.equal('2\n');
    expect((await run('acd-dbm1', "mysql -e 'SELECT COUNT(*) FROM jtel.orchestrate_probe'")).out).to.equal('COUNT(*)\n2\n');
    for (const vm of ['acd-dbs1', 'acd-dbs2', 'acd-dbr']) expect((await run(vm, "mysql -NBe 'SELECT COUNT(*) FROM jtel.orchestrate_probe'")).out, vm).to.equal('2\n');
    const switches = f.fleet.world.log.events.flatMap((e) => (e.type === 'mysql' ? [[e.host, e.readOnly]] : []));
    expect(switches).to.deep.equal([['acd-dbm2', false], ['acd-dbm1', true]]);
  });

  it('read_only survives a restart of mysqld and a reboot, as if my.cnf had been updated with the switch', async () => {
    await run('acd-dbm1', 'systemctl restart mysqld');
    expect((await run('acd-dbm1', "mysql -NBe 'SELECT @@read_only'")).out).to.equal('1\n');
    await sh.run('acd-dbm1', 'systemctl reboot').catch(() => undefined);
    const dbm1 = f.fleet.world.vms.get('acd-dbm1');
    await wait(10_000);
    for (let i = 0; i < 100 && dbm1?.units.get('mysqld')?.state !== 'active'; i++) await wait(2_000);
    expect((await run('acd-dbm1', "mysql -NBe 'SELECT @@read_only'")).out).to.equal('1\n');
    // Its replicas reconnect at their next Connect_Retry.
    const io = async (): Promise<(string | undefined)[]> => [field(await status('acd-dbs1'), 'Slave_IO_Running'), field(await status('acd-dbr'), 'Slave_IO_Running')];
    for (let i = 0; i < 100 && (await io()).some((s) => s !== 'Yes'); i++) await wait(5_000);
    expect(await io()).to.deep.equal(['Yes', 'Yes']);
  });

  it('-h by name or address; a VM that is off or has no mysqld refuses the connection (2003)', async () => {
    expect((await run('acd-dbs1', "mysql -uroot -psecret -P 3306 --protocol=tcp -h10.20.19.15 -NBe 'SELECT @@read_only'")).out).to.equal('0\n');
    await run('pve1', 'qm stop 105');
    expect(await run('acd-dbm1', "mysql --host=acd-dbr -NBe 'SELECT 1'")).to.deep.equal({ code: 1, out: '', err: "ERROR 2003 (HY000): Can't connect to MySQL server on 'acd-dbr' (111)\n" });
    expect((await run('acd-dbm1', "mysql -h acd-jb1 -NBe 'SELECT 1'")).err).to.equal("ERROR 2003 (HY000): Can't connect to MySQL server on 'acd-jb1' (111)\n");
  });

  it('several statements run in order and stop at the first error', async () => {
    expect(await run('acd-dbm2', "mysql -NBe 'SELECT 1; SELEKT 2; SELECT 3'")).to.deep.equal({ code: 1, out: '1\n', err: "ERROR 1064 (42000): You have an error in your SQL syntax near 'SELEKT 2' at line 1\n" });
    expect(await run('acd-dbm2', "mysql -NBe 'CREATE TABLE IF NOT EXISTS jtel.orchestrate_probe (at DATETIME); SELECT 1'")).to.deep.equal({ code: 0, out: '1\n', err: '' });
    expect((await run('acd-dbs2', "mysql -NBe 'CREATE TABLE IF NOT EXISTS jtel.x (a INT)'")).err).to.equal(READ_ONLY);
    expect((await run('acd-dbm2', "echo 'SELECT COUNT(*) FROM orchestrate_probe' | mysql -N jtel")).out).to.equal('2\n');
    expect((await run('acd-dbm2', "mysql -NBe 'INSERT INTO orchestrate_probe VALUES (NOW())'")).err).to.equal('ERROR 1046 (3D000) at line 1: No database selected\n');
  });

  it('a replica that stopped replicating misses the writes until START SLAVE', async () => {
    await run('acd-dbs1', "mysql -NBe 'STOP SLAVE'");
    expect(field(await status('acd-dbs1'), 'Slave_IO_Running')).to.equal('No');
    await run('acd-dbm2', PROBE);
    expect((await run('acd-dbs1', "mysql -NBe 'SELECT COUNT(*) FROM jtel.orchestrate_probe'")).out).to.equal('2\n');
    expect((await run('acd-dbs2', "mysql -NBe 'SELECT COUNT(*) FROM jtel.orchestrate_probe'")).out).to.equal('3\n');
    await run('acd-dbs1', "mysql -NBe 'START SLAVE'");
    expect((await run('acd-dbs1', "mysql -NBe 'SELECT COUNT(*) FROM jtel.orchestrate_probe'")).out).to.equal('3\n');
  });

  it('CHANGE MASTER TO needs the IO thread stopped first', async () => {
    const refused = await run('acd-dbs1', "mysql -NBe \"CHANGE MASTER TO MASTER_HOST='acd-dbm2'\"");
    expect(refused).to.deep.equal({ code: 1, out: '', err: "ERROR 3021 (HY000) at line 1: This operation cannot be performed with a running slave io thread; run STOP SLAVE IO_THREAD FOR CHANNEL '' first.\n" });
    expect((await run('acd-dbs1', "mysql -NBe \"STOP SLAVE; CHANGE MASTER TO MASTER_HOST='acd-dbm2', MASTER_PORT=3306; START SLAVE\"")).code).to.equal(0);
    const s = await status('acd-dbs1');
    expect([field(s, 'Master_Host'), field(s, 'Slave_IO_Running')]).to.deep.equal(['acd-dbm2', 'Yes']);
  });

  it("after a replica's master comes back, the replica and the master report a lag that shrinks to 0", async () => {
    await run('acd-dbm2', 'systemctl stop mysqld');
    const down = await status('acd-dbs2');
    expect([field(down, 'Slave_IO_Running'), field(down, 'Seconds_Behind_Master'), field(down, 'Last_IO_Errno')]).to.deep.equal(['Connecting', 'NULL', '2003']);
    expect(field(down, 'Last_IO_Error')).to.match(/^error reconnecting to master 'repl@acd-dbm2:3306'/);
    // A lag of L s is caught up in L/10 simulated s: a long outage keeps it visible between polls.
    await wait(300_000);
    await run('acd-dbm2', 'systemctl start mysqld');
    const lagOf = async (vm: string): Promise<number | null> => {
      const s = await status(vm);
      return field(s, 'Slave_IO_Running') === 'Yes' ? Number(field(s, 'Seconds_Behind_Master')) : null;
    };
    expect(await lagOf('acd-dbm2')).to.be.greaterThan(200);
    await wait(65_000); // the replica's next Connect_Retry
    const seen: number[] = [];
    const lags = async (): Promise<(number | null)[]> => Promise.all(['acd-dbm1', 'acd-dbm2', 'acd-dbs2'].map(lagOf));
    for (let i = 0; i < 100 && (await lags()).some((lag) => lag !== 0); i++) {
      const lag = await lagOf('acd-dbs2');
      if (lag !== null) seen.push(lag);
      await wait(2_000);
    }
    expect(seen[0]).to.be.greaterThan(0);
    expect(seen).to.deep.equal([...seen].sort((a, b) => b - a));
    expect(await lags()).to.deep.equal([0, 0, 0]);
  });
});

describe('fleet: MySQL with one master (medium.yaml)', function () {
  this.timeout(30_000);
  it('the master is writable and replicates from nobody; both replicas replicate from it', async () => {
    const f = await testFleet('medium', { warm: true });
    const sh = fleetShell(f);
    try {
      expect((await sh.run('acd-dbm', "mysql -NBe 'SELECT @@read_only'")).stdout).to.equal('0\n');
      expect((await sh.run('acd-dbm', "mysql -NBe 'SHOW SLAVE STATUS\\G'")).stdout).to.equal('');
      for (const vm of ['acd-dbs', 'acd-dbr']) expect(field((await sh.run(vm, "mysql -NBe 'SHOW SLAVE STATUS\\G'")).stdout, 'Master_Host'), vm).to.equal('acd-dbm');
      expect((await sh.run('acd-dbm', "mysql -NBe 'START SLAVE'")).stderr).to.equal('ERROR 1200 (HY000) at line 1: The server is not configured as slave; fix in config file or with CHANGE MASTER TO\n');
    } finally {
      await sh.close();
      await f.close();
    }
  });
});

describe('fleet: the mysql client command line and SQL', () => {
  it('reads -e, -N, -h in all their spellings and ignores -u, -p, -P, --protocol', () => {
    expect(mysqlArgs(['-NBe', 'SELECT 1'])).to.deep.equal({ sql: 'SELECT 1', headers: false });
    expect(mysqlArgs(['-uroot', '-psecret', '-h', 'acd-dbm2', '-P', '3306', '--protocol=tcp', '-e', 'SELECT 1'])).to.deep.equal({ sql: 'SELECT 1', headers: true, host: 'acd-dbm2' });
    expect(mysqlArgs(['-hacd-dbm2', '--skip-column-names', '--execute=SELECT 1', 'jtel'])).to.deep.equal({ sql: 'SELECT 1', headers: false, host: 'acd-dbm2', database: 'jtel' });
    expect(mysqlArgs(['--host=10.20.19.15', '-p', '-NBe', 'x'])).to.deep.equal({ sql: 'x', headers: false, host: '10.20.19.15' });
  });

  it('splits statements on ; and \\G outside quotes', () => {
    expect(splitStatements("INSERT INTO t VALUES ('a;b', \"c\\\"; d\"); SELECT 1;\n SHOW SLAVE STATUS\\G")).to.deep.equal([
      { text: "INSERT INTO t VALUES ('a;b', \"c\\\"; d\")", line: 1 },
      { text: 'SELECT 1', line: 1 },
      { text: 'SHOW SLAVE STATUS', line: 2 },
    ]);
  });

  it('SET GLOBAL read_only in its spellings', () => {
    for (const sql of ['SET GLOBAL read_only = 1', 'set global READ_ONLY=ON', 'SET @@global.read_only=1', "SET GLOBAL read_only = 'on'"]) {
      expect(parseStatement(sql), sql).to.deep.equal({ kind: 'set-read-only', value: true });
    }
    for (const sql of ['SET GLOBAL read_only = 0', 'SET GLOBAL read_only=off']) expect(parseStatement(sql), sql).to.deep.equal({ kind: 'set-read-only', value: false });
    expect(parseStatement('SET GLOBAL read_only = 2')).to.deep.equal({ kind: 'bad-value', variable: 'read_only', value: '2' });
    expect(parseStatement('SELECT @@read_only, @@foo').kind).to.equal('syntax-error');
  });
});
