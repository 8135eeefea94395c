/**
 * Did one attempt of a check pass, and what was seen: from the command's output, or from the
 * controller's own HTTP response or TCP connection. The observation is what the summary shows
 * when the check fails. Pure.
 */
import { parseHazelcastHealth, parseReplicaStatus } from '../parsers/index.js';
import { describeDrbd, drbdView, judgePcsHealth, pcsView } from '../procedures/index.js';
import type { CheckProbe } from '../topology/index.js';

export interface Verdict {
  readonly ok: boolean;
  readonly observed: string;
}

/** What a command printed (a finished command; the runner words timeouts and lost connections). */
export interface Output {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/**
 * What the judges need to know about the run: how many Hazelcast members are certainly there
 * (`min`) and possibly there (`max`: hosts still starting, or failed but maybe still running).
 */
export interface JudgeEnv {
  readonly members?: { readonly min: number; readonly max: number };
}

const brief = (text: string, lines = 3): string => text.trim().split('\n').map((l) => l.trim()).filter((l) => l !== '').slice(0, lines).join(' | ').slice(0, 200);
const firstLine = (o: Output): string => brief(o.stderr, 1) || brief(o.stdout, 1);
const failed = (o: Output, what = ''): Verdict => ({ ok: false, observed: `${what}exit ${o.exitCode}${firstLine(o) ? `: ${firstLine(o)}` : ''}` });

/** An HTTP answer as the checks see it. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Splits curl's output (body, then the status code on the last line, from -w '\n%{http_code}'). */
export function curlAnswer(stdout: string): HttpAnswer | undefined {
  const cut = stdout.lastIndexOf('\n');
  const code = Number(stdout.slice(cut + 1).trim());
  if (!Number.isInteger(code) || code < 100) return undefined;
  return { status: code, body: cut < 0 ? '' : stdout.slice(0, cut) };
}

export function judgeHttp(probe: Extract<CheckProbe, { kind: 'http' }>, a: HttpAnswer): Verdict {
  const seen = `HTTP ${a.status}${brief(a.body, 1) ? `: ${brief(a.body, 1).slice(0, 80)}` : ''}`;
  if (a.status !== probe.status) return { ok: false, observed: `${seen} (wanted ${probe.status})` };
  if (probe.body !== undefined && !new RegExp(probe.body, 'm').test(a.body)) return { ok: false, observed: `${seen} (body does not match /${probe.body}/)` };
  return { ok: true, observed: `HTTP ${a.status}` };
}

export function judgeHazelcast(probe: Extract<CheckProbe, { kind: 'hazelcast' }>, a: HttpAnswer, env: JudgeEnv): Verdict {
  if (a.status !== 200) return { ok: false, observed: `HTTP ${a.status}${brief(a.body, 1) ? `: ${brief(a.body, 1)}` : ''}` };
  const h = parseHazelcastHealth(a.body);
  if (!h) return { ok: false, observed: `not a Hazelcast health answer: ${brief(a.body) || '(empty)'}` };
  const range = probe.members === 'auto' ? env.members : { min: probe.members, max: probe.members };
  const seen = `node ${h.nodeState}, cluster ${h.clusterState}, clusterSize ${h.clusterSize}`;
  const problems = [
    h.nodeState !== 'ACTIVE' ? 'node not ACTIVE' : undefined,
    h.clusterState !== 'ACTIVE' ? 'cluster not ACTIVE' : undefined,
    range === undefined ? undefined : membersProblem(h.clusterSize, range),
  ].filter((p) => p !== undefined);
  return { ok: problems.length === 0, observed: problems.length === 0 ? seen : `${seen}: ${problems.join(', ')}` };
}

function membersProblem(size: number, range: { min: number; max: number }): string | undefined {
  if (size >= range.min && size <= range.max) return undefined;
  const want = range.min === range.max ? `${range.min}` : `${range.min} to ${range.max}`;
  return `expected ${want} members${size < range.min ? ' (a member is missing, or the cluster split)' : ' (more than the hosts that run)'}`;
}

function judgeReplication(probe: Extract<CheckProbe, { kind: 'mysql-replication' }>, o: Output): Verdict {
  if (o.exitCode !== 0) return failed(o);
  const s = parseReplicaStatus(o.stdout);
  if (!s) return { ok: false, observed: 'not a replica (the replica status is empty)' };
  const io = s.naming === 'replica' ? 'Replica_IO_Running' : 'Slave_IO_Running';
  const sql = s.naming === 'replica' ? 'Replica_SQL_Running' : 'Slave_SQL_Running';
  const lagName = s.naming === 'replica' ? 'Seconds_Behind_Source' : 'Seconds_Behind_Master';
  const seen = `${io}: ${s.ioRunning}, ${sql}: ${s.sqlRunning}, ${lagName}: ${s.secondsBehind ?? 'NULL'}`;
  const error = s.lastIoError || s.lastSqlError || s.lastError;
  if (s.ioRunning !== 'Yes' || s.sqlRunning !== 'Yes' || s.secondsBehind === null) return { ok: false, observed: `${seen}${error ? ` (${error.slice(0, 120)})` : ''}` };
  if (s.secondsBehind > probe.maxLag) return { ok: false, observed: `${seen}: more than ${probe.maxLag}s behind` };
  return { ok: true, observed: seen };
}

function judgeDrbdProbe(probe: Extract<CheckProbe, { kind: 'drbd' }>, o: Output): Verdict {
  if (o.exitCode !== 0) return failed(o);
  const v = drbdView(o.stdout, probe);
  const seen = describeDrbd(v);
  const disk = probe.disk.includes('/') ? `${v.disk}/${v.peerDisk}` : v.disk;
  const role = probe.role?.includes('/') === true ? `${v.role}/${v.peerRole}` : v.role;
  const problems = [
    v.cstate !== probe.connection ? `not ${probe.connection}` : undefined,
    probe.role !== undefined && role !== probe.role ? `not ${probe.role}` : undefined,
    disk !== probe.disk ? `not ${probe.disk}` : undefined,
  ].filter((p) => p !== undefined);
  return { ok: problems.length === 0, observed: problems.length === 0 ? seen : `${seen}: ${problems.join(', ')}` };
}

/** Judges a command's output for a probe. */
export function judgeOutput(probe: CheckProbe, o: Output, env: JudgeEnv = {}): Verdict {
  switch (probe.kind) {
    case 'command': {
      const shown = brief(o.stdout) || brief(o.stderr, 1);
      if (o.exitCode !== probe.exit) return { ok: false, observed: `exit ${o.exitCode}${probe.exit === 0 ? '' : ` (wanted ${probe.exit})`}${shown ? `: ${shown}` : ''}` };
      if (probe.expect === undefined) return { ok: true, observed: shown || `exit ${o.exitCode}` };
      const match = new RegExp(probe.expect, 'm').exec(o.stdout);
      if (!match) return { ok: false, observed: `output does not match /${probe.expect}/: ${shown || '(empty)'}` };
      // What matched is the interesting part of a long output (e.g. SHOW SLAVE STATUS).
      const matched = match[0].trim().split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const part = matched.length <= 1 ? matched[0] ?? '' : `${matched[0] ?? ''} … ${matched.at(-1) ?? ''}`;
      return { ok: true, observed: (part || shown || 'exit 0').slice(0, 200) };
    }
    case 'http':
    case 'hazelcast': {
      if (o.exitCode !== 0) return failed(o);
      const a = curlAnswer(o.stdout);
      if (!a) return { ok: false, observed: `no HTTP status in curl's output: ${brief(o.stdout) || '(empty)'}` };
      return probe.kind === 'http' ? judgeHttp(probe, a) : judgeHazelcast(probe, a, env);
    }
    case 'tcp':
      return o.exitCode === 0 ? { ok: true, observed: `${probe.host ?? '127.0.0.1'}:${probe.port} open` } : { ok: false, observed: `${probe.host ?? '127.0.0.1'}:${probe.port} closed${firstLine(o) ? `: ${firstLine(o)}` : ''}` };
    case 'systemd': {
      const state = brief(o.stdout, 1) || 'unknown';
      return { ok: o.exitCode === 0 && state === 'active', observed: `${probe.unit} ${state}` };
    }
    case 'mysql-replication':
      return judgeReplication(probe, o);
    case 'mysql-writable': {
      if (o.exitCode !== 0) return failed(o);
      const v = o.stdout.trim();
      return v === '0' ? { ok: true, observed: '@@read_only = 0' } : { ok: false, observed: `@@read_only = ${v || '(nothing)'}: read-only` };
    }
    case 'mount':
      return o.exitCode === 0 ? { ok: true, observed: `${probe.path} is a mountpoint` } : { ok: false, observed: brief(o.stdout, 1) || brief(o.stderr, 1) || `${probe.path} is not a mountpoint` };
    case 'drbd':
      return judgeDrbdProbe(probe, o);
    case 'pcs': {
      if (o.exitCode !== 0) return failed(o);
      const v = judgePcsHealth(pcsView(o.stdout), probe.resources, 'both');
      return { ok: v.ok, observed: v.observed };
    }
  }
}
