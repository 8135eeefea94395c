/** A simulated replica's state, and the ReplicaStatus its SHOW SLAVE/REPLICA STATUS prints. */
import type { MysqlFlavour, ReplicaStatus } from '../../parsers/index.js';

export interface Replica {
  /** The master's host as configured (a VM name, or what `CHANGE MASTER TO MASTER_HOST` set). */
  master: string;
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

/** A replica of `master`, its IO thread not started yet. */
export function newReplica(master: string, broken: boolean): Replica {
  return { master, io: 'No', sql: broken ? 'No' : 'Yes', lastIoError: '', lagAtConnect: 0, connectedAt: 0, downSince: 0, broken };
}

const DUPLICATE = "Error 'Duplicate entry '4711' for key 'PRIMARY'' on query. Default database: 'jtel'. Query: 'INSERT INTO calls VALUES (4711)'";

export function replicaStatus(r: Replica, lag: number | null, flavour: MysqlFlavour): ReplicaStatus {
  const source = flavour === 'mysql80' ? 'source' : 'master';
  return {
    flavour,
    naming: flavour === 'mysql80' ? 'replica' : 'slave',
    ioState: r.io === 'Yes' ? `Waiting for ${source} to send event` : r.io === 'Connecting' ? `Connecting to ${source}` : '',
    masterHost: r.master, masterUser: 'repl', masterPort: 3306, connectRetry: 60,
    masterLogFile: 'mysql-bin.000042', readMasterLogPos: 154, relayLogFile: 'relay-bin.000007', relayLogPos: 367, relayMasterLogFile: 'mysql-bin.000042',
    ioRunning: r.io, sqlRunning: r.sql,
    lastErrno: r.broken ? 1062 : 0, lastError: r.broken ? DUPLICATE : '',
    execMasterLogPos: 154, secondsBehind: lag,
    lastIoErrno: r.lastIoError ? 2003 : 0, lastIoError: r.lastIoError,
    lastSqlErrno: r.broken ? 1062 : 0, lastSqlError: r.broken ? DUPLICATE : '',
    masterServerId: 1,
    sqlRunningState: r.sql === 'Yes' ? `${flavour === 'mysql80' ? 'Replica' : 'Slave'} has read all relay log; waiting for more updates` : '',
  };
}
