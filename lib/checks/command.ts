/**
 * What a check runs: the shell command for each kind (on the host over SSH, or on the
 * controller with `local`), and how it reads in a plan. A controller-side http or tcp check
 * runs no command: the controller makes the request itself (lib/execution/net-check.ts). Pure.
 */
import { drbdRead } from '../procedures/index.js';
import type { CheckProbe } from '../topology/index.js';
import { shellJoin, shellQuote } from '../util/shell.js';

/** curl's --max-time in whole seconds (at least 1). */
const maxTime = (timeoutMs: number): string => String(Math.max(1, Math.ceil(timeoutMs / 1000)));

/** `curl` printing the body, then the status code on a line of its own. */
export function curlCommand(url: string, o: { method?: string; headers?: Readonly<Record<string, string>>; insecure?: boolean; timeoutMs: number }): string {
  const words = ['curl', '-sS'];
  if (o.method !== undefined && o.method !== 'GET') words.push('-X', o.method);
  if (o.insecure === true) words.push('-k');
  for (const [k, v] of Object.entries(o.headers ?? {})) words.push('-H', `${k}: ${v}`);
  words.push('--max-time', maxTime(o.timeoutMs), '-w', '\\n%{http_code}', url);
  return shellJoin(words);
}

export const MYSQL_REPLICA_SQL = 'SHOW REPLICA STATUS\\G';
export const MYSQL_SLAVE_SQL = 'SHOW SLAVE STATUS\\G';

/** Does this probe run natively on the controller (no command)? */
export function runsNatively(probe: CheckProbe, local: boolean): boolean {
  return local && (probe.kind === 'http' || probe.kind === 'tcp' || probe.kind === 'hazelcast');
}

/** The command a check runs; undefined when the controller makes an HTTP request or TCP connection itself. */
export function probeCommand(probe: CheckProbe, local: boolean, timeoutMs: number): string | undefined {
  if (runsNatively(probe, local)) return undefined;
  switch (probe.kind) {
    case 'command':
      return probe.run;
    case 'http':
      return curlCommand(probe.url, { method: probe.method, headers: probe.headers, insecure: !probe.tlsVerify, timeoutMs });
    case 'tcp':
      // Quoted inside the script as well: bash expands the redirection's word (the loader allows only host names and ports).
      return `bash -c ${shellQuote(`</dev/tcp/${shellQuote(probe.host ?? '127.0.0.1')}/${shellQuote(probe.port)}`)}`;
    case 'systemd':
      return shellJoin(['systemctl', 'is-active', probe.unit]);
    case 'mysql-replication':
      // MySQL 8.0.22+ and MariaDB 10.5+ know REPLICA; older servers only SLAVE.
      return `${probe.client} -e ${shellQuote(MYSQL_REPLICA_SQL)} 2>/dev/null || ${probe.client} -e ${shellQuote(MYSQL_SLAVE_SQL)}`;
    case 'mysql-writable':
      return `${probe.client} -NBe ${shellQuote('SELECT @@read_only')}`;
    case 'mount':
      return shellJoin(['mountpoint', probe.path]);
    case 'drbd':
      return drbdRead(probe);
    case 'pcs':
      return 'pcs status';
    case 'hazelcast':
      return curlCommand(probe.url, { timeoutMs });
  }
}

/** One line for plans: what is looked at and what passes. */
export function describeProbe(probe: CheckProbe, local: boolean): string {
  const from = local ? ' (from the controller)' : '';
  switch (probe.kind) {
    case 'command':
      return `${probe.run}${probe.exit === 0 ? '' : ` (exit ${probe.exit})`}${probe.expect === undefined ? '' : ` =~ /${probe.expect}/`}${from}`;
    case 'http':
      return `${probe.method} ${probe.url} → ${probe.status}${probe.body === undefined ? '' : ` =~ /${probe.body}/`}${probe.tlsVerify ? '' : ' (TLS not verified)'}${from}`;
    case 'tcp':
      return `tcp ${probe.host ?? (local ? 'the host' : '127.0.0.1')}:${probe.port} open${from}`;
    case 'systemd':
      return `unit ${probe.unit} active`;
    case 'mysql-replication':
      return `replication running, lag ≤ ${probe.maxLag}s`;
    case 'mysql-writable':
      return 'MySQL writable (@@read_only = 0)';
    case 'mount':
      return `${probe.path} mounted${probe.remedy === undefined ? '' : ` (else once: ${probe.remedy})`}`;
    case 'drbd':
      return `DRBD ${probe.resource} ${probe.connection}${probe.role === undefined ? '' : ` ${probe.role}`} ${probe.disk}`;
    case 'pcs':
      return `Pacemaker nodes online, no failed actions${probe.resources.length === 0 ? '' : `, ${probe.resources.join(', ')} started`}`;
    case 'hazelcast':
      return `Hazelcast ${probe.url} ACTIVE, clusterSize ${probe.members === 'auto' ? `= running ${probe.memberRoles.join(' + ')} hosts` : `= ${probe.members}`}${from}`;
  }
}
