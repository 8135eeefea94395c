import { expect } from 'chai';
import { formatSlaveStatus } from '../../lib/fleet/formats/index.js';
import { parseReplicaStatus } from '../../lib/parsers/index.js';
import type { ReplicaStatus } from '../../lib/parsers/index.js';

// Samples from domain.md §3.1, character for character (the `mysql>` prompt line dropped).
function sample(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function row(text: string): ReplicaStatus {
  const r = parseReplicaStatus(text);
  if (r === undefined) throw new Error('empty set');
  return r;
}

/** Asserts that `expected` lines appear in `actual`, in order (the sources cut lines out with `...`). */
function expectInOrder(actual: string, expected: readonly string[]): void {
  const lines = actual.split('\n');
  let at = 0;
  for (const line of expected) {
    const found = lines.indexOf(line, at);
    expect(found, `line ${JSON.stringify(line)} in order`).to.be.greaterThanOrEqual(0);
    at = found + 1;
  }
}

/** The sample's lines without the `...` cuts. */
function kept(text: string): string[] {
  return text.trimEnd().split('\n').filter((l) => l.trim() !== '...');
}

/** [VERBATIM] MySQL 5.7 manual, SHOW SLAVE STATUS (excerpt: `...` marks cuts; the page strips trailing blanks). */
const MYSQL57 = sample(
  '*************************** 1. row ***************************',
  '               Slave_IO_State: Waiting for master to send event',
  '                  Master_Host: localhost',
  '                  Master_User: repl',
  '                  Master_Port: 13000',
  '                Connect_Retry: 60',
  '              Master_Log_File: source-bin.000002',
  '          Read_Master_Log_Pos: 1307',
  '               Relay_Log_File: replica-relay-bin.000003',
  '                Relay_Log_Pos: 1508',
  '        Relay_Master_Log_File: source-bin.000002',
  '             Slave_IO_Running: Yes',
  '            Slave_SQL_Running: Yes',
  '              ...',
  '                   Last_Errno: 0',
  '                   Last_Error:',
  '                 Skip_Counter: 0',
  '          Exec_Master_Log_Pos: 1307',
  '              Relay_Log_Space: 1858',
  '              ...',
  '        Seconds_Behind_Master: 0',
  'Master_SSL_Verify_Server_Cert: No',
  '                Last_IO_Errno: 0',
  '                Last_IO_Error:',
  '               Last_SQL_Errno: 0',
  '               Last_SQL_Error:',
  '  Replicate_Ignore_Server_Ids:',
  '             Master_Server_Id: 1',
  '                  Master_UUID: 3e11fa47-71ca-11e1-9e33-c80aa9429562',
  '             Master_Info_File: /var/mysqld.2/data/master.info',
  '                    SQL_Delay: 0',
  '          SQL_Remaining_Delay: NULL',
  '      Slave_SQL_Running_State: Reading event from the relay log',
  '           ...',
  '           Retrieved_Gtid_Set: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
  '            Executed_Gtid_Set: 3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
  '                Auto_Position: 1',
);

/** [VERBATIM] MySQL 8.4 manual, SHOW REPLICA STATUS, first lines (padding reconstructed by domain.md). */
const MYSQL84 = sample(
  '*************************** 1. row ***************************',
  '             Replica_IO_State: Waiting for source to send event',
  '                  Source_Host: 127.0.0.1',
  '                  Source_User: root',
  '                  Source_Port: 13000',
  '                Connect_Retry: 1',
  '              Source_Log_File: master-bin.000001',
  '          Read_Source_Log_Pos: 927',
  '               Relay_Log_File: slave-relay-bin.000002',
  '                Relay_Log_Pos: 1145',
  '        Relay_Source_Log_File: master-bin.000001',
  '           Replica_IO_Running: Yes',
  '          Replica_SQL_Running: Yes',
);

/** [VERBATIM] pastebin phSWY9Jr — MySQL 5.6, IO thread retrying (whitespace collapsed by pastebin). */
const MYSQL56_CONNECTING = sample(
  'Slave_IO_State: Connecting to master',
  '...',
  'Slave_IO_Running: Connecting',
  'Slave_SQL_Running: Yes',
  '...',
  'Seconds_Behind_Master: NULL',
);

/** [RECONSTRUCTED] Last_IO_* when the master VM is off (MySQL 5.7 wording). */
const LAST_IO = sample(
  '                Last_IO_Errno: 2003',
  '                Last_IO_Error: error connecting to master \'repl@acd-dbm:3306\' - retry-time: 60  retries: 1',
);

describe('parsers: SHOW SLAVE STATUS / SHOW REPLICA STATUS', () => {
  it('reads the MySQL 5.7 manual sample by field name', () => {
    const r = row(MYSQL57);
    expect(r).to.deep.equal({
      ioState: 'Waiting for master to send event', masterHost: 'localhost', masterUser: 'repl', masterPort: 13000, connectRetry: 60,
      masterLogFile: 'source-bin.000002', readMasterLogPos: 1307, relayLogFile: 'replica-relay-bin.000003', relayLogPos: 1508,
      relayMasterLogFile: 'source-bin.000002', ioRunning: 'Yes', sqlRunning: 'Yes', lastErrno: 0, lastError: '', execMasterLogPos: 1307,
      secondsBehind: 0, lastIoErrno: 0, lastIoError: '', lastSqlErrno: 0, lastSqlError: '', masterServerId: 1,
      sqlRunningState: 'Reading event from the relay log', flavour: 'mysql57', naming: 'slave',
      extra: {
        Relay_Log_Space: '1858', Master_UUID: '3e11fa47-71ca-11e1-9e33-c80aa9429562', Master_Info_File: '/var/mysqld.2/data/master.info',
        Retrieved_Gtid_Set: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', Executed_Gtid_Set: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5', Auto_Position: '1',
      },
    });
  });

  it('formats it back: every line of the excerpt, in order, with the blank `%*s: %s` leaves after an empty value (the manual page strips it)', () => {
    const out = formatSlaveStatus(row(MYSQL57));
    expect(out.split('\n')[0]).to.equal('*************************** 1. row ***************************');
    expectInOrder(out, kept(MYSQL57).map((l) => (l.endsWith(':') ? `${l} ` : l)));
    expect(out.split('\n').slice(1, -1).every((l) => l.indexOf(':') === 29)).to.equal(true);
  });

  it('reads MySQL 8.4 `SHOW REPLICA STATUS` (Replica_*/Source_* names), and formats its first lines back exactly', () => {
    const r = row(MYSQL84);
    expect(r).to.deep.include({
      flavour: 'mysql80', naming: 'replica', ioState: 'Waiting for source to send event', masterHost: '127.0.0.1', masterUser: 'root',
      masterPort: 13000, connectRetry: 1, masterLogFile: 'master-bin.000001', readMasterLogPos: 927, relayLogFile: 'slave-relay-bin.000002',
      relayLogPos: 1145, relayMasterLogFile: 'master-bin.000001', ioRunning: 'Yes', sqlRunning: 'Yes',
    });
    expect(formatSlaveStatus(r).startsWith(MYSQL84)).to.equal(true);
  });

  it('reads the 5.6 pastebin sample (IO thread `Connecting`, lag NULL), and formats every kept line back (whitespace collapsed by pastebin)', () => {
    const r = row(MYSQL56_CONNECTING);
    expect(r).to.deep.include({ ioState: 'Connecting to master', ioRunning: 'Connecting', sqlRunning: 'Yes', secondsBehind: null });
    expectInOrder(formatSlaveStatus(r).split('\n').map((l) => l.trim()).join('\n'), kept(MYSQL56_CONNECTING));
  });

  it('reads Last_IO_Errno 2003 / Last_IO_Error, and prints those lines exactly', () => {
    const r = row(LAST_IO);
    expect(r).to.deep.include({ lastIoErrno: 2003, lastIoError: "error connecting to master 'repl@acd-dbm:3306' - retry-time: 60  retries: 1" });
    expectInOrder(formatSlaveStatus(r), kept(LAST_IO));
  });

  it('an empty result is "not a replica"; SQL NULL reads as null, multi-line GTID sets stay whole', () => {
    expect(parseReplicaStatus('')).to.equal(undefined);
    expect(formatSlaveStatus(undefined)).to.equal('');
    const gtid = row('Slave_IO_Running: No\nSeconds_Behind_Master: NULL\nExecuted_Gtid_Set: a:1-5,\nb:1-3\nAuto_Position: 1\n');
    expect(gtid).to.deep.include({ ioRunning: 'No', secondsBehind: null });
    expect(gtid.extra).to.deep.equal({ Executed_Gtid_Set: 'a:1-5,\nb:1-3', Auto_Position: '1' });
  });
});
