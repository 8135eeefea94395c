/** A simulated replica's state, and its SHOW SLAVE STATUS / SHOW REPLICA STATUS text. */

export interface Replica {
  readonly master: string;
  io: 'Yes' | 'No' | 'Connecting';
  sql: 'Yes' | 'No';
  lastIoError: string;
  /** Lag (s) when the IO thread last connected; it shrinks as the replica catches up. */
  lagAtConnect: number;
  connectedAt: number;
  /** When replication stopped (real ms), 0 while it runs. */
  downSince: number;
  /** Fault: the SQL thread stopped with an error. */
  readonly broken: boolean;
}

const DUPLICATE = "Error 'Duplicate entry '4711' for key 'PRIMARY'' on query. Default database: 'jtel'. Query: 'INSERT INTO calls VALUES (4711)'";

/** The `\G` form, field names right-aligned as the mysql client prints them. */
export function replicaStatusText(r: Replica, lag: number | null, naming: 'slave' | 'replica'): string {
  const S = naming === 'slave' ? { io: 'Slave_IO', sql: 'Slave_SQL', src: 'Master', behind: 'Seconds_Behind_Master' } : { io: 'Replica_IO', sql: 'Replica_SQL', src: 'Source', behind: 'Seconds_Behind_Source' };
  const fields: [string, string][] = [
    [`${S.io}_State`, r.io === 'Yes' ? `Waiting for ${S.src.toLowerCase()} to send event` : r.io === 'Connecting' ? `Connecting to ${S.src.toLowerCase()}` : ''],
    [`${S.src}_Host`, r.master], [`${S.src}_User`, 'repl'], [`${S.src}_Port`, '3306'], ['Connect_Retry', '60'],
    [`${S.src}_Log_File`, 'mysql-bin.000042'], [`Read_${S.src}_Log_Pos`, '154'],
    ['Relay_Log_File', 'relay-bin.000007'], ['Relay_Log_Pos', '367'], [`Relay_${S.src}_Log_File`, 'mysql-bin.000042'],
    [`${S.io}_Running`, r.io], [`${S.sql}_Running`, r.sql],
    ['Last_Errno', r.broken ? '1062' : '0'], ['Last_Error', r.broken ? DUPLICATE : ''], ['Skip_Counter', '0'],
    [`Exec_${S.src}_Log_Pos`, '154'], ['Relay_Log_Space', '741'],
    [S.behind, lag === null ? 'NULL' : String(lag)],
    ['Last_IO_Errno', r.lastIoError ? '2003' : '0'], ['Last_IO_Error', r.lastIoError],
    ['Last_SQL_Errno', r.broken ? '1062' : '0'], ['Last_SQL_Error', r.broken ? DUPLICATE : ''],
    [`${S.src}_Server_Id`, '1'],
    [`${S.sql}_Running_State`, r.sql === 'Yes' ? `${naming === 'slave' ? 'Slave' : 'Replica'} has read all relay log; waiting for more updates` : ''],
  ];
  const width = Math.max(...fields.map(([k]) => k.length));
  return `*************************** 1. row ***************************\n${fields.map(([k, v]) => `${k.padStart(width)}: ${v}`).join('\n')}\n`;
}
