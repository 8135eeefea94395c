/**
 * The simulated `mysql` client's command line and the few SQL statements the fleet answers:
 * parsing only, pure. What the statements do is in mysql-client.ts. Not a SQL parser: a
 * statement is recognised by its shape, anything else is a syntax error.
 */

/** What `mysql ARGS` was asked to do. */
export interface MysqlInvocation {
  /** The `-e` text (all its statements). */
  readonly sql: string;
  /** Column names are printed (no `-N` / `--skip-column-names`). */
  readonly headers: boolean;
  /** `-h HOST`, `-hHOST`, `--host=HOST`: the server; undefined for the local socket. */
  readonly host?: string;
  /** `-D DB`, `--database=DB` or the first word that is not an option: the default database. */
  readonly database?: string;
}

/** Short options that take a value (`-e SQL`, `-eSQL`); `-p` takes one only when attached. */
const SHORT_WITH_VALUE = new Set(['e', 'h', 'u', 'P', 'D', 'S']);
/** Long options that take the next word as their value when written without `=`. */
const LONG_WITH_VALUE = new Set(['execute', 'host', 'user', 'port', 'database', 'socket', 'protocol', 'defaults-file', 'defaults-extra-file']);

/**
 * `-NBe 'SQL'`, `-e SQL`, `--execute=SQL`, `-N`, `-h HOST`, `-hHOST`, `--host=HOST`, `-D DB`.
 * `-u`, `-p…`, `-P PORT`, `--protocol` and unknown options are accepted and ignored.
 */
export function mysqlArgs(args: readonly string[]): MysqlInvocation {
  const values = new Map<string, string>();
  let headers = true;
  let positional: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--')) {
      const [name = '', value] = splitOnce(a.slice(2), '=');
      if (name === 'skip-column-names') headers = false;
      else if (value !== undefined) values.set(name, value);
      else if (LONG_WITH_VALUE.has(name)) values.set(name, args[++i] ?? '');
    } else if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] ?? '';
        if (c === 'N') headers = false;
        if (c === 'p') break; // -pSECRET: the rest is the password, never the next word
        if (!SHORT_WITH_VALUE.has(c)) continue;
        values.set(c, j < a.length - 1 ? a.slice(j + 1) : args[++i] ?? '');
        break;
      }
    } else {
      positional ??= a;
    }
  }
  const host = values.get('h') ?? values.get('host');
  const database = values.get('D') ?? values.get('database') ?? positional;
  return {
    sql: values.get('e') ?? values.get('execute') ?? '',
    headers,
    ...(host !== undefined ? { host } : {}),
    ...(database !== undefined ? { database } : {}),
  };
}

function splitOnce(text: string, sep: string): [string, string?] {
  const at = text.indexOf(sep);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}

/** One statement of an `-e` text, and the line it starts on (for `ERROR … at line N`). */
export interface StatementText {
  readonly text: string;
  readonly line: number;
}

/** The statements of an `-e` text: split on `;` (and `\G`) outside quotes; empty ones dropped. */
export function splitStatements(sql: string): StatementText[] {
  const statements: StatementText[] = [];
  let current = '';
  let line = 1;
  let start = 1;
  let quote: string | undefined;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i] ?? '';
    if (current.trim() === '') start = line;
    if (c === '\n') line++;
    if (quote !== undefined) {
      current += c;
      if (c === '\\') current += sql[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    if (c === ';' || (c === '\\' && /[Gg]/.test(sql[i + 1] ?? ''))) {
      statements.push({ text: current.trim(), line: start });
      current = '';
      if (c === '\\') i++;
      continue;
    }
    current += c;
  }
  statements.push({ text: current.trim(), line: start });
  return statements.filter((s) => s.text !== '');
}

/** One statement, by what the simulation does with it. */
export type Statement =
  | { readonly kind: 'replica-status'; readonly flavour: 'mysql57' | 'mysql80' }
  /** `SELECT @@read_only, @@super_read_only`: each column's label and variable. */
  | { readonly kind: 'select-vars'; readonly columns: readonly { readonly label: string; readonly variable: SystemVariable }[] }
  | { readonly kind: 'select-one' }
  | { readonly kind: 'set-read-only'; readonly value: boolean }
  /** `SET GLOBAL read_only = 'x'`: a value the variable does not take. */
  | { readonly kind: 'bad-value'; readonly variable: string; readonly value: string }
  | { readonly kind: 'replication'; readonly action: 'start' | 'stop' }
  /** `CHANGE MASTER TO …`; `host` undefined when MASTER_HOST is not among the options. */
  | { readonly kind: 'change-master'; readonly host?: string }
  | { readonly kind: 'insert'; readonly table: TableName }
  | { readonly kind: 'count'; readonly table: TableName }
  | { readonly kind: 'create-table'; readonly table: TableName }
  | { readonly kind: 'syntax-error'; readonly text: string }
  /** MySQL 8.0.22+ syntax (`SHOW REPLICA STATUS`, `START REPLICA` …) that the fleet's MySQL 5.7 rejects; `near` is where its parser stopped. */
  | { readonly kind: 'newer-syntax'; readonly near: string };

export type SystemVariable = 'read_only' | 'super_read_only';

/** `db.table`, or `table` (then `db` is undefined: the default database). */
export interface TableName {
  readonly db?: string;
  readonly table: string;
}

const NAME = '`?([A-Za-z0-9_$]+)`?';
const TABLE = `${NAME}(?:\\.${NAME})?`;
const PATTERNS: readonly [RegExp, (m: RegExpMatchArray) => Statement][] = [
  [/^SHOW\s+SLAVE\s+STATUS$/i, () => ({ kind: 'replica-status', flavour: 'mysql57' })],
  // The fleet's servers are MySQL 5.7: REPLICA and REPLICATION SOURCE came with 8.0.22.
  [/^(?:SHOW|START|STOP)\s+(REPLICA\b.*)$/is, (m) => ({ kind: 'newer-syntax', near: m[1] ?? '' })],
  [/^CHANGE\s+(REPLICATION\s+SOURCE\b.*)$/is, (m) => ({ kind: 'newer-syntax', near: m[1] ?? '' })],
  [/^SELECT\s+1$/i, () => ({ kind: 'select-one' })],
  [/^SET\s+(?:GLOBAL\s+|@@GLOBAL\.)read_only\s*=\s*(\S+)$/i, (m) => readOnlyValue(m[1] ?? '')],
  [/^(STOP|START)\s+(SLAVE)$/i, (m) => ({ kind: 'replication', action: /STOP/i.test(m[1] ?? '') ? 'stop' : 'start' })],
  [/^CHANGE\s+MASTER\s+TO\s+(.+)$/is, (m) => changeMaster(m[1] ?? '')],
  [new RegExp(`^INSERT\\s+INTO\\s+${TABLE}\\b`, 'i'), (m) => ({ kind: 'insert', table: tableName(m) })],
  [new RegExp(`^SELECT\\s+COUNT\\(\\s*\\*\\s*\\)\\s+FROM\\s+${TABLE}$`, 'i'), (m) => ({ kind: 'count', table: tableName(m) })],
  [new RegExp(`^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${TABLE}\\b`, 'i'), (m) => ({ kind: 'create-table', table: tableName(m) })],
];

export function parseStatement(text: string): Statement {
  for (const [pattern, make] of PATTERNS) {
    const m = pattern.exec(text);
    if (m) return make(m);
  }
  const columns = selectVars(text);
  return columns ? { kind: 'select-vars', columns } : { kind: 'syntax-error', text };
}

function tableName(m: RegExpMatchArray): TableName {
  return m[2] === undefined ? { table: m[1] ?? '' } : { db: m[1] ?? '', table: m[2] };
}

function readOnlyValue(raw: string): Statement {
  const value = raw.replace(/^'(.*)'$/, '$1').toUpperCase();
  if (['1', 'ON', 'TRUE'].includes(value)) return { kind: 'set-read-only', value: true };
  if (['0', 'OFF', 'FALSE'].includes(value)) return { kind: 'set-read-only', value: false };
  return { kind: 'bad-value', variable: 'read_only', value: raw.replace(/^'(.*)'$/, '$1') };
}

function changeMaster(options: string): Statement {
  const host = /(?:^|,)\s*(?:MASTER|SOURCE)_HOST\s*=\s*(?:'([^']*)'|"([^"]*)")/i.exec(options);
  return host ? { kind: 'change-master', host: host[1] ?? host[2] ?? '' } : { kind: 'change-master' };
}

/** `SELECT @@read_only`, `SELECT @@global.read_only, @@super_read_only`; undefined otherwise. */
function selectVars(text: string): { label: string; variable: SystemVariable }[] | undefined {
  const list = /^SELECT\s+(.+)$/is.exec(text)?.[1];
  if (list === undefined) return undefined;
  const columns = list.split(',').map((item): { label: string; variable: SystemVariable } | undefined => {
    const label = item.trim();
    const variable = /^@@(?:global\.)?(read_only|super_read_only)$/i.exec(label)?.[1]?.toLowerCase();
    return variable === 'read_only' || variable === 'super_read_only' ? { label, variable } : undefined;
  });
  return columns.every((c) => c !== undefined) ? columns : undefined;
}
