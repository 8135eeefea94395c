/**
 * `mysql -e 'SHOW SLAVE STATUS\G'` / `SHOW REPLICA STATUS\G` as the mysql client prints a row
 * vertically: the `*** 1. row ***` banner, every column of the flavour in order, names
 * right-aligned to the longest (`%*s: %s`, so an empty value keeps the blank after the colon),
 * `NULL` for SQL NULL. An empty result (not a replica) prints nothing. domain.md §3.1.
 */
import { REPLICA_DEFAULTS, REPLICA_FIELDS, replicaColumns } from '../../parsers/index.js';
import type { MysqlFlavour, ReplicaStatus } from '../../parsers/index.js';

/** Options of `formatSlaveStatus`. */
export interface SlaveStatusOptions {
  /** Column set and names. @default the status's own flavour */
  readonly flavour?: MysqlFlavour;
}

const BANNER = '*************************** 1. row ***************************';

/** The vertical result of `SHOW SLAVE|REPLICA STATUS\G`; '' for undefined (empty set). */
export function formatSlaveStatus(status: ReplicaStatus | undefined, options: SlaveStatusOptions = {}): string {
  if (status === undefined) return '';
  const columns = replicaColumns(options.flavour ?? status.flavour);
  const width = Math.max(...columns.map((c) => c.name.length));
  const typed = new Map<string, string | number | null>(REPLICA_FIELDS.map(([key, field]) => [key, status[field] as string | number | null]));
  const lines = columns.map(({ key, name }) => {
    const value = typed.has(key) ? typed.get(key) : status.extra !== undefined && key in status.extra ? status.extra[key] : key in REPLICA_DEFAULTS ? REPLICA_DEFAULTS[key] : '';
    return `${name.padStart(width)}: ${value === null || value === undefined ? 'NULL' : String(value)}`;
  });
  return `${BANNER}\n${lines.join('\n')}\n`;
}

/** `mysqladmin ping` on a live server. */
export function formatMysqladminPing(): string {
  return 'mysqld is alive\n';
}
