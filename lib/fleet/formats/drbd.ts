/**
 * DRBD as the simulated storage hosts print it. `cat /proc/drbd` exactly as the 8.4 kernel module
 * does (drbd_proc.c: `%2d:` minors, a blank line before a minor that does not follow the previous
 * one, a blank instead of the protocol letter when StandAlone, TAB-indented progress lines, comma
 * thousands) and DRBD 9's version-only form; then `drbdadm`: `status` (drbd-utils 9 `status_cmd`,
 * incl. the v84-compat form with the literal peer name `peer`), the one-line `role | cstate |
 * dstate` answers, and the stderr + exit code of its failures. `status` lines are not wrapped at
 * 80 columns (wrap_printf would, for very long names) and `--verbose`/`--statistics` are not
 * produced. Pure text; the simulated host decides the state. domain.md §1.1–1.5.
 */
import { DRBD_FAILURES, DRBD_STATE_ERRORS, drbdStateChangeExit } from '../../parsers/index.js';
import type {
  Drbd9Connection, DrbdConnection, DrbdDevice, DrbdExtra, DrbdFailureCode, DrbdMinor, DrbdReplication, DrbdStateChangeCode,
  DrbdStatus, DrbdStatusPeer, DrbdSync, ProcDrbdHeader, ToolOutput,
} from '../../parsers/index.js';

/** Options of `formatProcDrbd`: the version lines, and a kernel quirk. */
export interface ProcDrbdOptions {
  /** `8.4.11`, `9.0.6-1`. */
  readonly version: string;
  /** @default 1 for 8.x, 2 for 9.x */
  readonly api?: number;
  /** @default 86 */
  readonly protoMin?: number;
  /** @default 101 for 8.x, 112 for 9.x */
  readonly protoMax?: number;
  /** Second line. @default `srcversion: 0123456789ABCDEF0123456` */
  readonly buildTag?: string;
  /** DRBD 9's third line (`Transports (api:15): tcp (1.0.0)`). */
  readonly transports?: string;
  /**
   * Older in-tree 8.4 kernels print no line break after the `M` progress form, so `finish:`
   * follows on the same line (`…)Mfinish: 0:35:24 …`). @default false
   */
  readonly finishOnSameLine?: boolean;
}

const COUNTER_ORDER = ['ns', 'nr', 'dw', 'dr', 'al', 'bm', 'lo', 'pe', 'ua', 'ap', 'ep', 'wo', 'oos'] as const;

/** A full counter set (a fresh, idle device) with `overrides` applied. */
export function drbdCounters(overrides: Readonly<Record<string, number | string>> = {}): Record<string, number | string> {
  const base: Record<string, number | string> = Object.fromEntries(COUNTER_ORDER.map((k) => [k, 0]));
  return { ...base, ep: 1, wo: 'f', ...overrides };
}

/** The whole of `/proc/drbd`: version lines, then `devices` (none on DRBD 9). */
export function formatProcDrbd(devices: readonly DrbdDevice[], options: ProcDrbdOptions): string {
  const nine = options.version.startsWith('9');
  const header: ProcDrbdHeader = {
    version: options.version,
    api: options.api ?? (nine ? 2 : 1),
    protoMin: options.protoMin ?? 86,
    protoMax: options.protoMax ?? (nine ? 112 : 101),
    buildTag: options.buildTag ?? 'srcversion: 0123456789ABCDEF0123456',
  };
  let text = `version: ${header.version} (api:${header.api}/proto:${header.protoMin}-${header.protoMax})\n${header.buildTag}\n`;
  if (options.transports !== undefined) text += `${options.transports}\n`;
  let previous = -1;
  for (const device of devices) {
    // drbd_seq_show(): `if (prev_i != i - 1) seq_putc(seq, '\n');`
    if (device.minor !== previous + 1) text += '\n';
    previous = device.minor;
    text += formatDrbdDevice(device, options);
  }
  return text;
}

/** One minor's lines (device line, counters, progress while syncing). */
export function formatDrbdDevice(device: DrbdDevice, options: { readonly finishOnSameLine?: boolean } = {}): string {
  const minor = String(device.minor).padStart(2);
  if (device.kind === 'unconfigured') return `${minor}: cs:Unconfigured\n`;
  const d = device;
  let text = `${minor}: cs:${d.cstate} ro:${d.role}/${d.peerRole} ds:${d.disk}/${d.peerDisk} ${d.protocol ?? ' '} ${d.flags}\n`;
  text += `    ${counterTokens(d.counters).join(' ')}\n`;
  if (d.sync !== undefined) text += formatSyncLines(d, d.sync, options.finishOnSameLine ?? false);
  return text;
}

function counterTokens(counters: Readonly<Record<string, number | string>>): string[] {
  const known: readonly string[] = COUNTER_ORDER;
  const keys = [...COUNTER_ORDER.filter((k) => k in counters), ...Object.keys(counters).filter((k) => !known.includes(k))];
  return keys.map((k) => `${k}:${String(counters[k])}`);
}

/** drbd_syncer_progress(): the bar, `sync'ed:`/`verified:`, left/total, then finish and speeds. */
function formatSyncLines(device: DrbdMinor, sync: DrbdSync, finishOnSameLine: boolean): string {
  const permille = Math.round(sync.percent * 10);
  const x = Math.floor(permille / 50);
  const bar = `${'='.repeat(Math.max(0, x - 1))}>${'.'.repeat(20 - x)}`;
  const label = device.cstate === 'VerifyS' || device.cstate === 'VerifyT' ? 'verified:' : "sync'ed:";
  const pct = `${String(Math.floor(permille / 10)).padStart(3)}.${permille % 10}%`;
  const amounts = `(${sync.left}/${sync.total})${sync.unit}`;
  const breakAfter = sync.unit === 'M' && finishOnSameLine ? '' : '\n\t';
  const s = sync.finishSeconds;
  const finish = `finish: ${Math.floor(s / 3600)}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  const want = sync.wantKiBs === undefined ? '' : ` want: ${groupThousands(sync.wantKiBs)}`;
  const speed = ` speed: ${groupThousands(sync.speedKiBs)} (${groupThousands(sync.averageKiBs)})${want} K/sec${sync.stalled === true ? ' (stalled)' : ''}`;
  return `\t[${bar}] ${label}${pct} ${amounts}${breakAfter}${finish}${speed}\n`;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** seq_printf_with_thousands_grouping(): `83088` → `83,088`. */
export function groupThousands(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// ---------------------------------------------------------------- drbdadm (drbd-utils 9 status, role/cstate/dstate, errors)

function tokens(parts: readonly (string | undefined)[], extra: DrbdExtra | undefined): string {
  const all = [...parts.filter((p): p is string => p !== undefined), ...Object.entries(extra ?? {}).map(([k, v]) => `${k}:${v}`)];
  return all.join(' ');
}

function opt(key: string, value: string | number | undefined): string | undefined {
  return value === undefined ? undefined : `${key}:${value}`;
}

/** `drbdadm status`: each resource, its volumes and peers, then a blank line. */
export function formatDrbdadmStatus(status: DrbdStatus | readonly DrbdStatus[]): string {
  const list: readonly DrbdStatus[] = Array.isArray(status) ? status : [status as DrbdStatus];
  if (list.length === 0) return '# No currently configured DRBD found.\n';
  return list.map(formatResource).join('');
}

function formatResource(r: DrbdStatus): string {
  let text = `${tokens([r.resource, `role:${r.role}`], r.extra)}\n`;
  for (const v of r.volumes) text += `  ${tokens([opt('volume', v.volume), `disk:${v.disk}`], v.extra)}\n`;
  for (const p of r.peers) text += formatPeer(p);
  return `${text}\n`;
}

function formatPeer(p: DrbdStatusPeer): string {
  let text = `  ${tokens([p.name, opt('connection', p.connection), opt('role', p.role)], p.extra)}\n`;
  for (const v of p.volumes) {
    const done = v.donePercent === undefined ? undefined : `done:${v.donePercent.toFixed(2)}`;
    text += `    ${tokens([opt('volume', v.volume), opt('replication', v.replication), opt('peer-disk', v.peerDisk), done], v.extra)}\n`;
  }
  return text;
}

const SYNCING: readonly DrbdConnection[] = ['SyncSource', 'SyncTarget', 'VerifyS', 'VerifyT', 'PausedSyncS', 'PausedSyncT'];
const BELOW_REPORT_PARAMS: readonly DrbdConnection[] = ['Disconnecting', 'Unconnected', 'Timeout', 'BrokenPipe', 'NetworkFailure', 'ProtocolError', 'WFConnection'];

/**
 * What drbd-utils 9 `drbdadm status` shows for an 8.4 minor (user/v84/drbdsetup.c): no peer once
 * StandAlone (no net config left), `peer connection:Connecting` while waiting, and when connected
 * `peer role:…` with `replication:Established` (8.4's Connected) or the sync state plus `done:`.
 */
export function drbdStatusFrom84(resource: string, device: DrbdDevice): DrbdStatus {
  if (device.kind === 'unconfigured') return { resource, role: 'Secondary', volumes: [{ disk: 'Diskless' }], peers: [] };
  return { resource, role: device.role, volumes: [{ disk: device.disk }], peers: peers84(device) };
}

function peers84(d: DrbdMinor): DrbdStatusPeer[] {
  if (d.cstate === 'StandAlone') return [];
  if (BELOW_REPORT_PARAMS.includes(d.cstate)) {
    const connection: Drbd9Connection = d.cstate === 'WFConnection' ? 'Connecting' : (d.cstate as Drbd9Connection);
    return [{ name: 'peer', connection, volumes: [] }];
  }
  if (d.cstate === 'TearDown') return [{ name: 'peer', connection: 'TearDown', volumes: [] }];
  if (d.cstate === 'WFReportParams') return [{ name: 'peer', role: d.peerRole, volumes: [{ peerDisk: d.peerDisk }] }];
  const replication: DrbdReplication = d.cstate === 'Connected' ? 'Established' : (d.cstate as DrbdReplication);
  const done = SYNCING.includes(d.cstate) && d.sync !== undefined ? { donePercent: d.sync.percent } : {};
  return [{ name: 'peer', role: d.peerRole, volumes: [{ replication, peerDisk: d.peerDisk, ...done }] }];
}

/** `drbdadm role`: `Primary/Secondary` or `Unconfigured` for an 8.4 minor; the local role on 9. */
export function formatDrbdadmRole(state: DrbdDevice | DrbdStatus): string {
  if ('resource' in state) return `${state.role}\n`;
  return state.kind === 'unconfigured' ? 'Unconfigured\n' : `${state.role}/${state.peerRole}\n`;
}

/** `drbdadm cstate`: one word for an 8.4 minor; one line per connection on 9. */
export function formatDrbdadmCstate(state: DrbdDevice | DrbdStatus): string {
  if ('resource' in state) return state.peers.map((p) => `${p.connection ?? 'Connected'}\n`).join('');
  return state.kind === 'unconfigured' ? 'Unconfigured\n' : `${state.cstate}\n`;
}

/** `drbdadm dstate`: `UpToDate/UpToDate` (local, then one per peer device on 9). */
export function formatDrbdadmDstate(state: DrbdDevice | DrbdStatus): string {
  if ('resource' in state) {
    const local = state.volumes[0]?.disk ?? 'Diskless';
    return `${[local, ...state.peers.map((p) => p.volumes[0]?.peerDisk ?? 'DUnknown')].join('/')}\n`;
  }
  return state.kind === 'unconfigured' ? 'Unconfigured\n' : `${state.disk}/${state.peerDisk}\n`;
}

/** What drbdadm adds when the drbdsetup it ran exits with 10 or more. */
function commandLine(command: string | undefined, exitCode: number): string {
  return command !== undefined && exitCode >= 10 ? `Command '${command}' terminated with exit code ${exitCode}\n` : '';
}

/** Options of the error builders. */
export interface DrbdErrorOptions {
  /** The drbdsetup command drbdadm ran, e.g. `drbdsetup-84 primary 0` (drbd84-utils: `drbdsetup primary 0`). */
  readonly command?: string;
  /** Lines after `additional info from kernel:`. */
  readonly info?: readonly string[];
}

/** `<objname>: State change failed: (<code>) <text>`, exit 11 (17 for -2, 5 for -16, 16 for -4). */
export function formatDrbdStateChangeFailed(objname: string, code: DrbdStateChangeCode, options: DrbdErrorOptions = {}): ToolOutput {
  const exitCode = drbdStateChangeExit(code);
  const stderr = `${objname}: State change failed: (${code}) ${DRBD_STATE_ERRORS[code]}\n${infoLines(options.info)}${commandLine(options.command, exitCode)}`;
  return { stdout: '', stderr, exitCode };
}

/** `<objname>: Failure: (<code>) <text>`, exit 10. */
export function formatDrbdFailure(objname: string, code: DrbdFailureCode, options: DrbdErrorOptions = {}): ToolOutput {
  const stderr = `${objname}: Failure: (${code}) ${DRBD_FAILURES[code]}\n${infoLines(options.info)}${commandLine(options.command, 10)}`;
  return { stdout: '', stderr, exitCode: 10 };
}

function infoLines(info: readonly string[] | undefined): string {
  return info === undefined || info.length === 0 ? '' : `additional info from kernel:\n${info.map((l) => `${l}\n`).join('')}`;
}

const NOT_FOUND = { status: 'No such resource', role: 'Unknown resource', cstate: 'No such connection', dstate: 'No such device' } as const;

/** DRBD 9 (drbdsetup v9) asked about a resource that is down: exit 10. */
export function formatDrbdNotFound(objname: string, command: keyof typeof NOT_FOUND, options: DrbdErrorOptions = {}): ToolOutput {
  return { stdout: '', stderr: `${objname}: ${NOT_FOUND[command]}\n${commandLine(options.command, 10)}`, exitCode: 10 };
}

/** `drbdadm up` on an 8.4 minor that is already up: drbdmeta refuses, exit 20. */
export function formatDrbdAlreadyConfigured(minor: number, options: DrbdErrorOptions = {}): ToolOutput {
  return { stdout: '', stderr: `Device '${minor}' is configured!\n${commandLine(options.command, 20)}`, exitCode: 20 };
}
