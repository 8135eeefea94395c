/**
 * Reads `SHOW SLAVE STATUS\G` / `SHOW REPLICA STATUS\G` (mysql client vertical output) by field
 * name, never by position: MySQL ≤ 8.0.21 and MariaDB print `Slave_*`/`Master_*`, MySQL 8.0.22+
 * `Replica_*`/`Source_*`. An empty result (not a replica) reads as undefined. Also holds the
 * column catalogue per flavour, which the simulated fleet prints from. domain.md §3.1–3.2.
 */
import type { MysqlFlavour, ReplicaStatus } from './types.js';

/** MySQL 5.7 columns, in order; the names are the canonical keys of `ReplicaStatus.extra`. */
const MYSQL57 = `Slave_IO_State Master_Host Master_User Master_Port Connect_Retry Master_Log_File Read_Master_Log_Pos
  Relay_Log_File Relay_Log_Pos Relay_Master_Log_File Slave_IO_Running Slave_SQL_Running Replicate_Do_DB Replicate_Ignore_DB
  Replicate_Do_Table Replicate_Ignore_Table Replicate_Wild_Do_Table Replicate_Wild_Ignore_Table Last_Errno Last_Error
  Skip_Counter Exec_Master_Log_Pos Relay_Log_Space Until_Condition Until_Log_File Until_Log_Pos Master_SSL_Allowed
  Master_SSL_CA_File Master_SSL_CA_Path Master_SSL_Cert Master_SSL_Cipher Master_SSL_Key Seconds_Behind_Master
  Master_SSL_Verify_Server_Cert Last_IO_Errno Last_IO_Error Last_SQL_Errno Last_SQL_Error Replicate_Ignore_Server_Ids
  Master_Server_Id Master_UUID Master_Info_File SQL_Delay SQL_Remaining_Delay Slave_SQL_Running_State Master_Retry_Count
  Master_Bind Last_IO_Error_Timestamp Last_SQL_Error_Timestamp Master_SSL_Crl Master_SSL_Crlpath Retrieved_Gtid_Set
  Executed_Gtid_Set Auto_Position Replicate_Rewrite_DB Channel_Name Master_TLS_Version`.split(/\s+/);
/** MySQL 8.0 adds three at the end. */
const MYSQL80 = [...MYSQL57, 'Master_public_key_path', 'Get_master_public_key', 'Network_Namespace'];
/** MariaDB 10.5/10.6: the MySQL columns up to Master_Server_Id, then its own. */
const MARIADB = [
  ...MYSQL57.slice(0, MYSQL57.indexOf('Master_Server_Id') + 1),
  ...`Master_SSL_Crl Master_SSL_Crlpath Using_Gtid Gtid_IO_Pos Replicate_Do_Domain_Ids Replicate_Ignore_Domain_Ids
  Parallel_Mode SQL_Delay SQL_Remaining_Delay Slave_SQL_Running_State Slave_DDL_Groups Slave_Non_Transactional_Groups
  Slave_Transactional_Groups`.split(/\s+/),
];

/** A column: its canonical (5.7) key and the name the flavour prints. */
export interface ReplicaColumn {
  readonly key: string;
  readonly name: string;
}

/** MySQL 8.0.22 renames: Master → Source, Slave → Replica. */
function renamed(key: string): string {
  return key === 'Get_master_public_key' ? 'Get_Source_public_key' : key.replace('Master', 'Source').replace('Slave', 'Replica');
}

/** The columns `flavour` prints, in order. */
export function replicaColumns(flavour: MysqlFlavour): ReplicaColumn[] {
  switch (flavour) {
    case 'mysql57':
      return MYSQL57.map((key) => ({ key, name: key }));
    case 'mysql80':
      return MYSQL80.map((key) => ({ key, name: renamed(key) }));
    case 'mariadb':
      return MARIADB.map((key) => ({ key, name: key }));
  }
}

/** Values of the untyped columns on a fresh replica; anything else is kept in `extra`. Absent = empty. */
export const REPLICA_DEFAULTS: Readonly<Record<string, string | null>> = {
  Skip_Counter: '0', Relay_Log_Space: '0', Until_Condition: 'None', Until_Log_Pos: '0', Master_SSL_Allowed: 'No',
  Master_SSL_Verify_Server_Cert: 'No', SQL_Delay: '0', SQL_Remaining_Delay: null, Master_Retry_Count: '86400',
  Auto_Position: '0', Get_master_public_key: '0', Using_Gtid: 'No', Parallel_Mode: 'optimistic',
  Slave_DDL_Groups: '0', Slave_Non_Transactional_Groups: '0', Slave_Transactional_Groups: '0',
};

type Kind = 'string' | 'number' | 'nullable';
/** The typed fields of `ReplicaStatus` and their canonical columns. */
export const REPLICA_FIELDS: readonly (readonly [key: string, field: keyof ReplicaStatus, kind: Kind])[] = [
  ['Slave_IO_State', 'ioState', 'string'], ['Master_Host', 'masterHost', 'string'], ['Master_User', 'masterUser', 'string'],
  ['Master_Port', 'masterPort', 'number'], ['Connect_Retry', 'connectRetry', 'number'], ['Master_Log_File', 'masterLogFile', 'string'],
  ['Read_Master_Log_Pos', 'readMasterLogPos', 'number'], ['Relay_Log_File', 'relayLogFile', 'string'],
  ['Relay_Log_Pos', 'relayLogPos', 'number'], ['Relay_Master_Log_File', 'relayMasterLogFile', 'string'],
  ['Slave_IO_Running', 'ioRunning', 'string'], ['Slave_SQL_Running', 'sqlRunning', 'string'], ['Last_Errno', 'lastErrno', 'number'],
  ['Last_Error', 'lastError', 'string'], ['Exec_Master_Log_Pos', 'execMasterLogPos', 'number'],
  ['Seconds_Behind_Master', 'secondsBehind', 'nullable'], ['Last_IO_Errno', 'lastIoErrno', 'number'],
  ['Last_IO_Error', 'lastIoError', 'string'], ['Last_SQL_Errno', 'lastSqlErrno', 'number'], ['Last_SQL_Error', 'lastSqlError', 'string'],
  ['Master_Server_Id', 'masterServerId', 'number'], ['Slave_SQL_Running_State', 'sqlRunningState', 'string'],
];

const CANONICAL: ReadonlyMap<string, string> = new Map(MYSQL80.map((key) => [renamed(key), key]));

/** Printed name → value (`NULL` → null); a line without `Name:` continues the previous value. */
function readFields(text: string): Map<string, string | null> {
  const fields = new Map<string, string | null>();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\*+ (\d+)\. row \*+$/.test(line.trim())) {
      if (fields.size > 0) break;
      continue;
    }
    const m = /^\s*([A-Za-z_]+):(?: (.*)|)$/.exec(line);
    if (m !== null) {
      last = m[1] ?? '';
      fields.set(last, m[2] === 'NULL' ? null : m[2] ?? '');
    } else if (last !== undefined && line.trim() !== '' && line.trim() !== '...') {
      fields.set(last, `${fields.get(last) ?? ''}\n${line}`);
    }
  }
  return fields;
}

/** One row of `SHOW SLAVE|REPLICA STATUS\G`, or undefined for an empty result. */
export function parseReplicaStatus(text: string): ReplicaStatus | undefined {
  const printed = readFields(text);
  if (printed.size === 0) return undefined;
  const naming = printed.has('Replica_IO_State') || printed.has('Source_Host') || printed.has('Replica_IO_Running') ? 'replica' : 'slave';
  const fields = new Map([...printed].map(([name, v]) => [naming === 'replica' ? CANONICAL.get(name) ?? name : name, v]));
  const flavour: MysqlFlavour = naming === 'replica' ? 'mysql80' : fields.has('Using_Gtid') || fields.has('Gtid_IO_Pos') ? 'mariadb' : 'mysql57';
  const typed: Record<string, string | number | null> = {};
  for (const [key, field, kind] of REPLICA_FIELDS) {
    const v = fields.get(key);
    typed[field] = kind === 'string' ? v ?? '' : kind === 'number' ? Number(v ?? 0) : v === null || v === undefined ? null : Number(v);
  }
  const typedKeys = new Set(REPLICA_FIELDS.map(([key]) => key));
  const extra = Object.fromEntries([...fields].filter(([key, v]) => !typedKeys.has(key) && v !== (key in REPLICA_DEFAULTS ? REPLICA_DEFAULTS[key] : '')));
  const io = typed['ioRunning'];
  return {
    ...(typed as Omit<ReplicaStatus, 'flavour' | 'naming' | 'ioRunning' | 'sqlRunning' | 'extra'>),
    flavour,
    naming,
    ioRunning: io === 'Yes' || io === 'Connecting' ? io : 'No',
    sqlRunning: typed['sqlRunning'] === 'Yes' ? 'Yes' : 'No',
    ...(Object.keys(extra).length === 0 ? {} : { extra }),
  };
}
