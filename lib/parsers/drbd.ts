/**
 * Reads `cat /proc/drbd` (DRBD 8.4; DRBD 9 prints only the version lines). Tolerant by design:
 * tokens, not columns; runs of blanks or tabs; 8.0's `st:` for `ro:`; both kernel variants of the
 * progress lines (finish on the same line after `M`, or on the next). Format: domain.md §1.1–1.2.
 * Does not read `drbdadm` output (drbdadm.ts).
 */
import type { DrbdConnection, DrbdDevice, DrbdDisk, DrbdMinor, DrbdRole, DrbdSync, ProcDrbd } from './types.js';

/** 8.4 connection states, in kernel enum order. */
export const DRBD_CONNECTIONS: readonly DrbdConnection[] = [
  'StandAlone', 'Disconnecting', 'Unconnected', 'Timeout', 'BrokenPipe', 'NetworkFailure', 'ProtocolError',
  'WFConnection', 'WFReportParams', 'TearDown', 'Connected', 'StartingSyncS', 'StartingSyncT', 'WFBitMapS',
  'WFBitMapT', 'WFSyncUUID', 'SyncSource', 'SyncTarget', 'VerifyS', 'VerifyT', 'PausedSyncS', 'PausedSyncT',
  'Ahead', 'Behind',
];
/** Disk states, in kernel enum order. */
export const DRBD_DISKS: readonly DrbdDisk[] = ['Diskless', 'Attaching', 'Failed', 'Negotiating', 'Inconsistent', 'Outdated', 'DUnknown', 'Consistent', 'UpToDate'];
export const DRBD_ROLES: readonly DrbdRole[] = ['Primary', 'Secondary', 'Unknown'];

/** Narrows `value` to one of `allowed`. */
export function oneOf<T extends string>(allowed: readonly T[], value: string | undefined): T | undefined {
  return allowed.find((a) => a === value);
}

const VERSION = /^version: (\S+) \(api:(\d+)\/proto:(\d+)-(\d+)\)\s*$/;
const DEVICE = /^\s*(\d+):\s+cs:(\S+)(?:\s+(?:ro|st):(\S+)\/(\S+)\s+ds:(\S+)\/(\S+)(?:\s+([ABC]))?\s+([rs][-a][-p][-u]\S{0,2}))?/;

/** `/proc/drbd`, or undefined when the text has no `version:` line (module not loaded). */
export function parseProcDrbd(text: string): ProcDrbd | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((l) => VERSION.test(l));
  const v = VERSION.exec(lines[at] ?? '');
  if (v === null) return undefined;
  const rest = lines.slice(at + 1);
  const buildTag = rest[0] !== undefined && rest[0].trim() !== '' && !DEVICE.test(rest[0]) ? rest[0] : '';
  const transports = rest.find((l) => l.startsWith('Transports '));
  return {
    version: v[1] ?? '',
    api: Number(v[2]),
    protoMin: Number(v[3]),
    protoMax: Number(v[4]),
    buildTag,
    ...(transports === undefined ? {} : { transports }),
    devices: parseDrbdDevices(rest.join('\n')),
  };
}

/** The device entries of /proc/drbd text (with or without the version lines). */
export function parseDrbdDevices(text: string): DrbdDevice[] {
  const devices: DrbdDevice[] = [];
  let block: string[] = [];
  const flush = (): void => {
    const device = block.length === 0 ? undefined : parseDevice(block);
    if (device !== undefined) devices.push(device);
    block = [];
  };
  for (const line of text.split('\n')) {
    if (DEVICE.test(line)) flush();
    if (DEVICE.test(line) || block.length > 0) block.push(line);
  }
  flush();
  return devices;
}

function parseDevice(block: readonly string[]): DrbdDevice | undefined {
  const m = DEVICE.exec(block[0] ?? '');
  if (m === null) return undefined;
  const minor = Number(m[1]);
  if (m[2] === 'Unconfigured') return { kind: 'unconfigured', minor };
  const cstate = oneOf(DRBD_CONNECTIONS, m[2]);
  const role = oneOf(DRBD_ROLES, m[3]);
  const peerRole = oneOf(DRBD_ROLES, m[4]);
  const disk = oneOf(DRBD_DISKS, m[5]);
  const peerDisk = oneOf(DRBD_DISKS, m[6]);
  if (cstate === undefined || role === undefined || peerRole === undefined || disk === undefined || peerDisk === undefined) return undefined;
  const body = block.slice(1).join('\n');
  const sync = parseSync(body);
  const device: DrbdMinor = {
    kind: 'configured', minor, cstate, role, peerRole, disk, peerDisk,
    ...(m[7] === 'A' || m[7] === 'B' || m[7] === 'C' ? { protocol: m[7] } : {}),
    flags: m[8] ?? '',
    counters: parseCounters(block.slice(1).find((l) => /\bns:/.test(l)) ?? ''),
    ...(sync === undefined ? {} : { sync }),
  };
  return device;
}

/** `ns:0 nr:0 … wo:f oos:20` → numbers, except `wo`. */
function parseCounters(line: string): Record<string, number | string> {
  const counters: Record<string, number | string> = {};
  for (const token of line.trim().split(/\s+/)) {
    const [key, value] = token.split(':');
    if (key === undefined || value === undefined || key === '') continue;
    counters[key] = /^\d+$/.test(value) ? Number(value) : value;
  }
  return counters;
}

/** Thousands-grouped number (`83,088`) → 83088. */
export function ungroup(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function parseSync(body: string): DrbdSync | undefined {
  const p = /(?:sync'ed|verified):\s*([\d.]+)%\s*\((\d+)\/(\d+)\)([KM])/.exec(body);
  if (p === null) return undefined;
  const f = /finish:\s*(\d+):(\d\d):(\d\d)/.exec(body);
  const s = /speed:\s*([\d,]+)\s*\(([^)]*)\)/.exec(body);
  const want = /want:\s*([\d,]+)/.exec(body);
  const averages = (s?.[2] ?? '').split(/\s*--\s*/);
  return {
    percent: Number(p[1]),
    left: Number(p[2]),
    total: Number(p[3]),
    unit: p[4] === 'M' ? 'M' : 'K',
    finishSeconds: f === null ? 0 : Number(f[1]) * 3600 + Number(f[2]) * 60 + Number(f[3]),
    speedKiBs: ungroup(s?.[1] ?? '0'),
    averageKiBs: ungroup(averages[averages.length - 1] ?? '0'),
    ...(want === null ? {} : { wantKiBs: ungroup(want[1] ?? '0') }),
    ...(/K\/sec \(stalled\)/.test(body) ? { stalled: true } : {}),
  };
}
