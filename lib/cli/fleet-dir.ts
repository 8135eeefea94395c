/** A fleet directory as the CLI sees it: the overlay a running fleet wrote, and whether it still runs. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { applyOverlay, type FleetOverlay, type Topology } from '../topology/index.js';
import { EXIT } from './exit.js';
import { readText } from './files.js';

export interface FleetFileContents extends FleetOverlay {
  /** The control endpoint of the running fleet. */
  readonly control?: string;
  /** The file holding the control endpoint's token (0600). */
  readonly controlToken?: string;
  /** The topology file the fleet was started from, absolute (absent: an older orchestrate). */
  readonly topologyFile?: string;
}

/** A control token from its file (`--token-file`, fleet.json's `controlToken`), or a CliError. */
export function readToken(file: string, io: { cwd: string }): string {
  let token: string;
  try {
    token = readFileSync(path.resolve(io.cwd, file), 'utf8').trim();
  } catch (e) {
    throw new CliError(`cannot read the fleet's control token ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { exitCode: EXIT.invalid });
  }
  if (token === '' || /\s/.test(token)) throw new CliError(`${file} holds no control token`, { exitCode: EXIT.invalid });
  return token;
}

/** The headers a request to the fleet's control endpoint needs: its token. */
export function controlHeaders(overlay: FleetFileContents, dir: string): Record<string, string> {
  if (overlay.controlToken === undefined) {
    throw new CliError(`the fleet in ${dir} names no control token: it was started by an older orchestrate`, { exitCode: EXIT.invalid, suggestions: [`restart it: orchestrate fleet down --state ${dir}; orchestrate fleet up TOPOLOGY --detach --state ${dir}`] });
  }
  return { authorization: `Bearer ${readToken(overlay.controlToken, { cwd: dir })}` };
}

/** fleet.json's size at most (a 10,000-host fleet's is under 1 MB). */
export const FLEET_FILE_MAX_BYTES = 64 * 1024 * 1024;

export function readFleetDir(dir: string): FleetFileContents {
  const file = path.join(dir, 'fleet.json');
  if (!existsSync(file)) {
    throw new CliError(`no fleet in ${dir} (${file} does not exist)`, { exitCode: EXIT.invalid, suggestions: ['orchestrate fleet up TOPOLOGY --detach --state ' + dir] });
  }
  const pidFile = path.join(dir, 'fleet.pid');
  if (existsSync(pidFile) && !alive(Number(readFileSync(pidFile, 'utf8')))) {
    throw new CliError(`the fleet in ${dir} is not running any more`, { exitCode: EXIT.invalid, suggestions: ['orchestrate fleet up TOPOLOGY --detach --state ' + dir] });
  }
  // Looked at before it is read: a FIFO or a device in its place is refused, not waited on.
  const text = readText(file, FLEET_FILE_MAX_BYTES);
  try {
    if (text === undefined) throw new Error('not a regular file of at most 64 MiB');
    return JSON.parse(text) as FleetFileContents;
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, { exitCode: EXIT.invalid, suggestions: ['orchestrate fleet up TOPOLOGY --detach --state ' + dir] });
  }
}

export function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The topology pointed at the fleet in `dir`; a topology the fleet was not started from is refused. */
export function pointAtFleet(topology: Topology, dir: string): Topology {
  const overlay = readFleetDir(dir);
  const applied = applyOverlay(topology, overlay);
  if ('missing' in applied) {
    throw new CliError(`the fleet in ${dir} was started from topology '${overlay.topology}' and has no ${applied.missing.slice(0, 3).join(', ')}${applied.missing.length > 3 ? ' …' : ''}`, { exitCode: EXIT.invalid });
  }
  return applied.topology;
}
