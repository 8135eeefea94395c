/**
 * Reads `drbdadm status` (drbd-utils 9, against a 9 or an 8.4 kernel), the one-line answers of
 * `drbdadm role | cstate | dstate`, and drbdadm/drbdsetup error text; holds the error tables.
 * Indentation decides what a line is (resource 0, device/connection 2, peer device 4); deeper
 * lines (`--verbose`/`--statistics`, or wrapped at 80 columns) add tokens to the line above.
 * Format: domain.md §1.3–1.5. Does not read /proc/drbd (drbd.ts).
 */
import { DRBD_CONNECTIONS, DRBD_DISKS, DRBD_ROLES, oneOf } from './drbd.js';
import type { Drbd9Connection, DrbdConnection, DrbdDisk, DrbdReplication, DrbdRole, DrbdStatus, DrbdStatusPeer, DrbdStatusPeerVolume, DrbdStatusVolume } from './types.js';

export const DRBD9_CONNECTIONS: readonly Drbd9Connection[] = ['StandAlone', 'Disconnecting', 'Unconnected', 'Timeout', 'BrokenPipe', 'NetworkFailure', 'ProtocolError', 'TearDown', 'Connecting', 'Connected'];
export const DRBD_REPLICATIONS: readonly DrbdReplication[] = [
  'Off', 'Established', 'StartingSyncS', 'StartingSyncT', 'WFBitMapS', 'WFBitMapT', 'WFSyncUUID', 'SyncSource',
  'SyncTarget', 'VerifyS', 'VerifyT', 'PausedSyncS', 'PausedSyncT', 'Ahead', 'Behind',
];

/** `State change failed` texts by code (drbd_strings.c). */
export const DRBD_STATE_ERRORS = {
  [-1]: 'Multiple primaries not allowed by config',
  [-2]: 'Need access to UpToDate data',
  [-4]: 'Can not resync without local disk',
  [-5]: 'Can not resync without remote disk',
  [-6]: 'Refusing to be Outdated while Connected',
  [-7]: 'Refusing to be Primary while peer is not outdated',
  [-8]: 'Can not start OV/resync since it is already active',
  [-9]: 'Can not disconnect a StandAlone device',
  [-10]: 'State change was refused by peer node',
  [-11]: 'Device is diskless, the requested operation requires a disk',
  [-12]: 'Device is held open by someone',
  [-13]: 'Have no net/connection configuration',
  [-14]: 'Need a verify algorithm to start online verify',
  [-15]: 'Need a connection to start verify or resync',
  [-16]: 'Disk state is lower than outdated',
} as const;
export type DrbdStateChangeCode = keyof typeof DRBD_STATE_ERRORS;

/** `Failure` texts by code (drbdsetup.c error table; 164 really contains a line break). */
export const DRBD_FAILURES = {
  127: 'Device minor not allocated',
  158: 'Unknown resource',
  161: 'Minor or volume exists already (delete it first)',
  164: 'Can not clear allow_two_primaries as long as\nthere a primaries on both sides',
} as const;
export type DrbdFailureCode = keyof typeof DRBD_FAILURES;

/** drbdsetup's exit code for a failed state change: 17, 5 and 16 for three codes, else 11. */
export function drbdStateChangeExit(code: number): number {
  return code === -2 ? 17 : code === -16 ? 5 : code === -4 ? 16 : 11;
}

type Tokens = Record<string, string>;
interface Line { readonly indent: number; readonly head: string; readonly tokens: Tokens }

function splitLine(raw: string): Line {
  const text = raw.replace(/\x1b\[[0-9;]*m/g, '');
  const indent = text.length - text.trimStart().length;
  const words = text.trim().split(/\s+/);
  const head = words[0] !== undefined && !words[0].includes(':') ? words.shift() ?? '' : '';
  const tokens: Tokens = {};
  for (const w of words) {
    const at = w.indexOf(':');
    if (at > 0) tokens[w.slice(0, at)] = w.slice(at + 1);
  }
  return { indent, head, tokens };
}

/** Removes `keys` from `tokens` and returns what is left as `extra` (omitted when empty). */
function extraOf(tokens: Tokens, keys: readonly string[]): { extra?: Tokens } {
  const extra = Object.fromEntries(Object.entries(tokens).filter(([k]) => !keys.includes(k)));
  return Object.keys(extra).length === 0 ? {} : { extra };
}

function num(value: string | undefined): { volume?: number } {
  return value === undefined ? {} : { volume: Number(value) };
}

interface Building { resource: string; tokens: Tokens; volumes: Tokens[]; peers: { name: string; tokens: Tokens; volumes: Tokens[] }[] }

/** `drbdadm status [res]`: every resource it lists (none for `# No currently configured DRBD found.`). */
export function parseDrbdadmStatus(text: string): DrbdStatus[] {
  const out: DrbdStatus[] = [];
  let cur: Building | undefined;
  let last: Tokens = {};
  for (const raw of text.split('\n')) {
    if (raw.trim() === '' || raw.startsWith('#')) continue;
    const line = splitLine(raw);
    if (line.indent === 0) {
      if (cur !== undefined) out.push(finish(cur));
      cur = { resource: line.head, tokens: line.tokens, volumes: [], peers: [] };
      last = cur.tokens;
    } else if (cur === undefined) {
      continue;
    } else if (line.indent === 2 && line.head === '' && ('disk' in line.tokens || 'volume' in line.tokens)) {
      cur.volumes.push(line.tokens);
      last = line.tokens;
    } else if (line.indent === 2) {
      cur.peers.push({ name: line.head, tokens: line.tokens, volumes: [] });
      last = line.tokens;
    } else if (line.indent === 4 && line.head === '' && cur.peers.length > 0 && last !== cur.tokens && !cur.volumes.includes(last)) {
      cur.peers[cur.peers.length - 1]?.volumes.push(line.tokens);
      last = line.tokens;
    } else {
      Object.assign(last, line.tokens);
    }
  }
  if (cur !== undefined) out.push(finish(cur));
  return out;
}

function finish(b: Building): DrbdStatus {
  const volumes = b.volumes.map((t): DrbdStatusVolume => ({ ...num(t['volume']), disk: oneOf(DRBD_DISKS, t['disk']) ?? 'DUnknown', ...extraOf(t, ['volume', 'disk']) }));
  const peers = b.peers.map((p): DrbdStatusPeer => {
    const connection = oneOf(DRBD9_CONNECTIONS, p.tokens['connection']);
    const role = oneOf(DRBD_ROLES, p.tokens['role']);
    return {
      name: p.name,
      ...(connection === undefined ? {} : { connection }),
      ...(role === undefined ? {} : { role }),
      volumes: p.volumes.map(peerVolume),
      ...extraOf(p.tokens, ['connection', 'role']),
    };
  });
  return { resource: b.resource, role: oneOf(DRBD_ROLES, b.tokens['role']) ?? 'Unknown', volumes, peers, ...extraOf(b.tokens, ['role']) };
}

function peerVolume(t: Tokens): DrbdStatusPeerVolume {
  const replication = oneOf(DRBD_REPLICATIONS, t['replication']);
  const peerDisk = oneOf(DRBD_DISKS, t['peer-disk']);
  return {
    ...num(t['volume']),
    ...(replication === undefined ? {} : { replication }),
    ...(peerDisk === undefined ? {} : { peerDisk }),
    ...(t['done'] === undefined ? {} : { donePercent: Number(t['done']) }),
    ...extraOf(t, ['volume', 'replication', 'peer-disk', 'done']),
  };
}

function firstLine(text: string): string {
  return text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** `drbdadm role`: `Primary/Secondary` (8.4), `Primary` (9), or `Unconfigured`. */
export function parseDrbdadmRole(text: string): { readonly role: DrbdRole; readonly peerRole?: DrbdRole } | 'Unconfigured' | undefined {
  const line = firstLine(text);
  if (line === 'Unconfigured') return line;
  const [local, peer] = line.split('/');
  const role = oneOf(DRBD_ROLES, local);
  const peerRole = oneOf(DRBD_ROLES, peer);
  return role === undefined ? undefined : { role, ...(peerRole === undefined ? {} : { peerRole }) };
}

/** `drbdadm cstate`: the first connection's state (9 prints one line per peer; ask `res:peer` for one). */
export function parseDrbdadmCstate(text: string): DrbdConnection | Drbd9Connection | 'Unconfigured' | undefined {
  const line = firstLine(text);
  return line === 'Unconfigured' ? line : oneOf(DRBD_CONNECTIONS, line) ?? oneOf(DRBD9_CONNECTIONS, line);
}

/** `drbdadm dstate`: local disk, then one per peer device. */
export function parseDrbdadmDstate(text: string): { readonly disk: DrbdDisk; readonly peerDisks: readonly DrbdDisk[] } | 'Unconfigured' | undefined {
  const line = firstLine(text);
  if (line === 'Unconfigured') return line;
  const [local, ...peers] = line.split('/').map((d) => oneOf(DRBD_DISKS, d));
  if (local === undefined || peers.some((p) => p === undefined)) return undefined;
  return { disk: local, peerDisks: peers.filter((p): p is DrbdDisk => p !== undefined) };
}

/** What a failed drbdadm command said on stderr. */
export interface DrbdError {
  /** `state-change-failed` (`(-n)` codes), `failure` (`(n)` codes), `not-found`, `already-configured`. */
  readonly kind: 'state-change-failed' | 'failure' | 'not-found' | 'already-configured';
  /** Minor number (8.4 per-minor commands) or resource name. */
  readonly objname: string;
  readonly code?: number;
  readonly text: string;
  /** Lines after `additional info from kernel:`. */
  readonly info?: readonly string[];
  /** From drbdadm's `Command '…' terminated with exit code N`. */
  readonly command?: string;
  readonly exitCode?: number;
}

const ERROR_LINE = /^(?:.*: )?(\S+): (?:(State change failed|Failure): \((-?\d+)\) ?(.*)|(No such resource|Unknown resource|No such connection|No such device))$/;

/** The first drbdadm/drbdsetup error in `stderr`, or undefined. */
export function parseDrbdError(stderr: string): DrbdError | undefined {
  const lines = stderr.split('\n');
  const command = lines.map((l) => /^Command '(.*)' terminated with exit code (\d+)$/.exec(l)).find((m) => m !== null);
  const tail = command === undefined ? {} : { command: command[1] ?? '', exitCode: Number(command[2]) };
  const meta = lines.map((l) => /^Device '(\S+)' is configured!$/.exec(l)).find((m) => m !== null);
  if (meta !== undefined) return { kind: 'already-configured', objname: meta[1] ?? '', text: 'Device is configured', ...tail };
  const at = lines.findIndex((l) => ERROR_LINE.test(l));
  const m = ERROR_LINE.exec(lines[at] ?? '');
  if (m === null) return bareStateError(lines, tail);
  if (m[5] !== undefined) return { kind: 'not-found', objname: m[1] ?? '', text: m[5], ...tail };
  const following = lines.slice(at + 1);
  const infoAt = following.indexOf('additional info from kernel:');
  const info = infoAt < 0 ? [] : following.slice(infoAt + 1).filter((l) => l !== '' && !l.startsWith('Command '));
  const text = m[3] === '164' ? `${m[4] ?? ''}\n${following[0] ?? ''}` : m[4] ?? '';
  return {
    kind: m[2] === 'Failure' ? 'failure' : 'state-change-failed',
    objname: m[1] ?? '',
    code: Number(m[3]),
    text,
    ...(info.length === 0 ? {} : { info }),
    ...tail,
  };
}

/** A state-change text without drbdsetup's prefix, as DRBD 9 logs it (`refusing to be primary while …`). */
function bareStateError(lines: readonly string[], tail: { command?: string; exitCode?: number }): DrbdError | undefined {
  for (const [code, text] of Object.entries(DRBD_STATE_ERRORS)) {
    const line = lines.find((l) => l.toLowerCase().includes(text.toLowerCase()));
    if (line !== undefined) return { kind: 'state-change-failed', objname: '', code: Number(code), text, ...tail };
  }
  return undefined;
}
