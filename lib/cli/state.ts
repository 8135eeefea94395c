/**
 * The state directory: what orchestrate remembers between runs (the topology of the last `up`,
 * so that a bare `orchestrate down` knows what to stop; each pair's last primary; the side a
 * failover took down). Default: $XDG_STATE_HOME/orchestrate or
 * ~/.local/state/orchestrate; override with --state-dir or ORCHESTRATE_STATE_DIR.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface LastUp {
  /** Absolute path of the topology file. */
  readonly file: string;
  readonly topology: string;
  /** ISO time the `up` started. */
  readonly startedAt: string;
}

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ORCHESTRATE_STATE_DIR) return env.ORCHESTRATE_STATE_DIR;
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'orchestrate');
}

export function recordLastUp(dir: string, last: LastUp): void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'last-up.json');
  // Write then rename, so a crash never leaves half a file.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(last, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

export function readLastUp(dir: string): LastUp | undefined {
  try {
    const data = JSON.parse(readFileSync(path.join(dir, 'last-up.json'), 'utf8')) as Partial<LastUp>;
    if (typeof data.file === 'string' && typeof data.topology === 'string' && typeof data.startedAt === 'string') {
      return { file: data.file, topology: data.topology, startedAt: data.startedAt };
    }
  } catch {
    // no record, or unreadable: treated as none
  }
  return undefined;
}

/** The last primary of each pair of a topology: the node that went down last (it has the newest data). */
export interface PairRecord {
  readonly host: string;
  /** ISO time it went down. */
  readonly at: string;
}

function pairsFile(dir: string, topology: string): string {
  return path.join(dir, 'pairs', `${topology}.json`);
}

export function readPairRecords(dir: string, topology: string): Record<string, PairRecord> {
  try {
    const data = JSON.parse(readFileSync(pairsFile(dir, topology), 'utf8')) as Record<string, Partial<PairRecord>>;
    return Object.fromEntries(Object.entries(data).filter(([, r]) => typeof r.host === 'string' && typeof r.at === 'string')) as Record<string, PairRecord>;
  } catch {
    return {};
  }
}

export function writePairRecord(dir: string, topology: string, pair: string, host: string): void {
  const file = pairsFile(dir, topology);
  mkdirSync(path.dirname(file), { recursive: true });
  const records = { ...readPairRecords(dir, topology), [pair]: { host, at: new Date().toISOString() } };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(records, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The side a failover took down, per topology, until its failback. */
export interface SideDown {
  readonly side: string;
  /** ISO time of the failover. */
  readonly since: string;
}

function sidesFile(dir: string, topology: string): string {
  return path.join(dir, 'sides', `${topology}.json`);
}

export function readSideDown(dir: string, topology: string): SideDown | undefined {
  try {
    const data = JSON.parse(readFileSync(sidesFile(dir, topology), 'utf8')) as Partial<SideDown>;
    return typeof data.side === 'string' && typeof data.since === 'string' ? { side: data.side, since: data.since } : undefined;
  } catch {
    return undefined;
  }
}

export function writeSideDown(dir: string, topology: string, down: SideDown | undefined): void {
  const file = sidesFile(dir, topology);
  if (down === undefined) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(down, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
