/**
 * The simulated `mysql` client: connects to the local server (socket) or to `-h HOST`, runs the
 * statements of `-e` in order and stops at the first error (exit 1), printing results the way
 * `mysql -B` does (tab-separated, a header line unless `-N`). The servers' state and replication
 * are the model's (mysql.ts); this file only speaks the client's side.
 */
import type { CommandContext } from '../commands/command.js';
import type { SimVm } from '../vm.js';
import { formatSlaveStatus } from '../formats/index.js';
import { mysqlArgs, parseStatement, splitStatements, type MysqlInvocation, type Statement, type TableName } from './mysql-sql.js';
import { replicaStatus, type Replica } from './mysql-status.js';

/** What the client needs of the simulated servers. */
export interface MysqlServers {
  /** The VM a host name or address names. */
  vmFor(host: string): SimVm | undefined;
  /** Whether mysqld runs on the VM (it is running and the unit is active). */
  alive(vm: SimVm | undefined): boolean;
  replica(server: string): Replica | undefined;
  /** Seconds_Behind_Master now, or null when not replicating. */
  lag(replica: Replica): number | null;
  readOnly(server: string): boolean;
  setReadOnly(server: string, value: boolean): void;
  insert(server: string, table: string): void;
  count(server: string, table: string): number;
  startReplica(server: string): void;
  stopReplica(server: string): void;
  /** CHANGE MASTER TO MASTER_HOST: the IO thread is stopped (the caller checked). */
  changeMaster(server: string, host: string): void;
}

const SOCKET = '/var/lib/mysql/mysql.sock';

/** `mysql ARGS` on `ctx.vm`: the exit code. */
export function runMysql(servers: MysqlServers, ctx: CommandContext, args: readonly string[]): number {
  const invocation = mysqlArgs(args);
  const server = connect(servers, ctx, invocation.host);
  if (typeof server === 'string') {
    ctx.err(`${server}\n`);
    return 1;
  }
  const session: Session = { servers, server: server.name, invocation, out: (text) => ctx.out(text) };
  // Without -e the client reads its statements from standard input (`echo 'SELECT 1' | mysql`).
  for (const { text, line } of splitStatements(invocation.sql !== '' ? invocation.sql : ctx.stdin)) {
    const statement = parseStatement(text);
    const error = run(session, statement);
    if (error === undefined) continue;
    // The client's batch mode names the line; the 1064 text predates this and stays as it was.
    ctx.err(statement.kind === 'syntax-error' ? `${error}\n` : `${error.replace(/^(ERROR \d+ \(\w+\))/, `$1 at line ${line}`)}\n`);
    return 1;
  }
  return 0;
}

/** The server's VM, or the client's connection error. */
function connect(servers: MysqlServers, ctx: CommandContext, host: string | undefined): SimVm | string {
  if (host === undefined || host === 'localhost') {
    return ctx.vm && servers.alive(ctx.vm) ? ctx.vm : `ERROR 2002 (HY000): Can't connect to local MySQL server through socket '${SOCKET}' (2)`;
  }
  const vm = host === '127.0.0.1' ? ctx.vm : servers.vmFor(host);
  // [RECONSTRUCTED] MySQL 5.7/8.0 client wording; 111 is ECONNREFUSED, -2 is EAI_NONAME.
  if (!vm) return `ERROR 2005 (HY000): Unknown MySQL server host '${host}' (-2)`;
  return servers.alive(vm) ? vm : `ERROR 2003 (HY000): Can't connect to MySQL server on '${host}' (111)`;
}

interface Session {
  readonly servers: MysqlServers;
  readonly server: string;
  readonly invocation: MysqlInvocation;
  out(text: string): void;
}

/** Runs one statement; the error text (without `at line N`) when it fails. */
type Runner<K extends Statement['kind']> = (session: Session, statement: Extract<Statement, { kind: K }>) => string | undefined;

const NO_DATABASE = 'ERROR 1046 (3D000): No database selected';
const READ_ONLY = 'ERROR 1290 (HY000): The MySQL server is running with the --read-only option so it cannot execute this statement';

const RUNNERS: { readonly [K in Statement['kind']]: Runner<K> } = {
  'replica-status': ({ servers, server, out }, { flavour }) => {
    const r = servers.replica(server);
    if (r) out(formatSlaveStatus(replicaStatus(r, servers.lag(r), flavour)));
    return undefined;
  },
  'select-vars': (s, { columns }) => result(s, columns.map((c) => c.label), columns.map((c) => (c.variable === 'read_only' && s.servers.readOnly(s.server) ? 1 : 0))),
  'select-one': (s) => result(s, ['1'], [1]),
  'set-read-only': ({ servers, server }, { value }) => void servers.setReadOnly(server, value),
  'bad-value': (_, { variable, value }) => `ERROR 1231 (42000): Variable '${variable}' can't be set to the value of '${value}'`,
  'replication': ({ servers, server }, { action }) => {
    if (action === 'stop') return void servers.stopReplica(server);
    if (!servers.replica(server)) return 'ERROR 1200 (HY000): The server is not configured as slave; fix in config file or with CHANGE MASTER TO';
    return void servers.startReplica(server);
  },
  'change-master': ({ servers, server }, { host }) => {
    if ((servers.replica(server)?.io ?? 'No') !== 'No') {
      return "ERROR 3021 (HY000): This operation cannot be performed with a running slave io thread; run STOP SLAVE IO_THREAD FOR CHANNEL '' first.";
    }
    return host === undefined ? undefined : void servers.changeMaster(server, host);
  },
  'insert': (s, { table }) => write(s, table, (name) => s.servers.insert(s.server, name)),
  'count': (s, { table }) => {
    const name = qualified(s, table);
    return name === undefined ? NO_DATABASE : result(s, ['COUNT(*)'], [s.servers.count(s.server, name)]);
  },
  'create-table': (s, { table }) => write(s, table, () => undefined),
  'syntax-error': (_, { text }) => `ERROR 1064 (42000): You have an error in your SQL syntax near '${text.slice(0, 40)}' at line 1`,
  // [FROM-SOURCE] MySQL 5.7's ER_PARSE_ERROR text, as `mysql -e` prints it (with `at line N` after the code).
  'newer-syntax': (_, { near }) => `ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near.slice(0, 80)}' at line 1`,
};

function run<K extends Statement['kind']>(session: Session, statement: Extract<Statement, { kind: K }>): string | undefined {
  return (RUNNERS[statement.kind] as Runner<K>)(session, statement);
}

/**
 * A write: refused while the server is read-only. The simulated client is the application's
 * user, without SUPER, so `read_only` alone stops it (as `super_read_only` would stop root).
 */
function write(s: Session, table: TableName, apply: (name: string) => void): string | undefined {
  const name = qualified(s, table);
  if (name === undefined) return NO_DATABASE;
  if (s.servers.readOnly(s.server)) return READ_ONLY;
  apply(name);
  return undefined;
}

/** `db.table`, with the default database (`-D`) when the statement names none. */
function qualified(s: Session, { db, table }: TableName): string | undefined {
  const database = db ?? s.invocation.database;
  return database === undefined ? undefined : `${database}.${table}`;
}

/** One result row, as `mysql -B` prints it. */
function result(s: Session, labels: readonly string[], row: readonly (string | number)[]): undefined {
  s.out(`${s.invocation.headers ? `${labels.join('\t')}\n` : ''}${row.join('\t')}\n`);
  return undefined;
}
