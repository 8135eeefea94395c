/**
 * The state directory: what orchestrate remembers between runs (the topology of the last `up`,
 * so that a bare `orchestrate down` knows what to stop; each pair's last primary; the side a
 * failover took down). Default: $XDG_STATE_HOME/orchestrate or
 * ~/.local/state/orchestrate; override with --state-dir or ORCHESTRATE_STATE_DIR.
 */
import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDirSafe, PRIVATE, PRIVATE_DIR, writeFileSafe } from '../util/safe-write.js';
import type { SideRecord } from '../execution/index.js';

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

/** Where a topology's fleet lives unless --state says otherwise. */
export function fleetDir(stateDir: string, topology: string, flag: string | undefined, cwd: string): string {
  return flag === undefined ? path.join(stateDir, 'fleet', topology) : path.resolve(cwd, flag);
}

/**
 * Writes JSON beside the file, then renames it into place: a crash never leaves half a file, and
 * nothing is written through a symlink (util/safe-write.ts). The state directory is private:
 * 0700 directories, 0600 files.
 */
function writeJson(file: string, value: unknown): void {
  makeDirSafe(path.dirname(file), PRIVATE_DIR);
  writeFileSafe(file, `${JSON.stringify(value, null, 2)}\n`, PRIVATE);
}

/** The file's JSON; undefined when there is none or it cannot be read (treated as no record). */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function recordLastUp(dir: string, last: LastUp): void {
  writeJson(path.join(dir, 'last-up.json'), last);
}

export function readLastUp(dir: string): LastUp | undefined {
  const data = (readJson(path.join(dir, 'last-up.json')) ?? {}) as Partial<LastUp>;
  if (typeof data.file === 'string' && typeof data.topology === 'string' && typeof data.startedAt === 'string') {
    return { file: data.file, topology: data.topology, startedAt: data.startedAt };
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
  const data = readJson(pairsFile(dir, topology));
  if (typeof data !== 'object' || data === null) return {};
  return Object.fromEntries(Object.entries(data as Record<string, Partial<PairRecord> | null>).filter(([, r]) => typeof r?.host === 'string' && typeof r.at === 'string')) as Record<string, PairRecord>;
}

export function writePairRecord(dir: string, topology: string, pair: string, host: string): void {
  writeJson(pairsFile(dir, topology), { ...readPairRecords(dir, topology), [pair]: { host, at: new Date().toISOString() } });
}

/** The side a failover took down (or began to), per topology, until its failback: the executor's record, kept here. */
export type SideDown = SideRecord;

function sidesFile(dir: string, topology: string): string {
  return path.join(dir, 'sides', `${topology}.json`);
}

export function readSideDown(dir: string, topology: string): SideDown | undefined {
  const data = (readJson(sidesFile(dir, topology)) ?? {}) as Partial<SideDown>;
  return typeof data.side === 'string' && typeof data.since === 'string' ? { side: data.side, since: data.since, ...(data.partial === true ? { partial: true } : {}) } : undefined;
}

export function writeSideDown(dir: string, topology: string, down: SideDown | undefined): void {
  const file = sidesFile(dir, topology);
  if (down === undefined) {
    rmSync(file, { force: true });
    return;
  }
  writeJson(file, down);
}
