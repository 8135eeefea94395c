/** A fleet directory as the CLI sees it: the overlay a running fleet wrote, and whether it still runs. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { applyOverlay, type FleetOverlay, type Topology } from '../topology/index.js';
import { EXIT } from './exit.js';

export interface FleetFileContents extends FleetOverlay {
  /** The control endpoint of the running fleet. */
  readonly control?: string;
}

export function readFleetDir(dir: string): FleetFileContents {
  const file = path.join(dir, 'fleet.json');
  if (!existsSync(file)) {
    throw new CliError(`no fleet in ${dir} (${file} does not exist)`, { exitCode: EXIT.invalid, suggestions: ['orchestrate fleet up TOPOLOGY --detach --state ' + dir] });
  }
  const pidFile = path.join(dir, 'fleet.pid');
  if (existsSync(pidFile) && !alive(Number(readFileSync(pidFile, 'utf8')))) {
    throw new CliError(`the fleet in ${dir} is not running any more`, { exitCode: EXIT.invalid, suggestions: ['orchestrate fleet up TOPOLOGY --detach --state ' + dir] });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as FleetFileContents;
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
