/**
 * `orchestrate up TOPOLOGY` / `orchestrate down [TOPOLOGY]`: make the plan, run it over SSH,
 * report as it goes, summarise at the end. A bare `down` uses the topology of the last `up`.
 */
import path from 'node:path';
import { CliError } from '../../errors.js';
import type { Action } from '../../plan/index.js';
import { limitLines } from '../../reporters/index.js';
import { executePlan } from '../execute.js';
import { readFleetDir } from '../fleet-dir.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { makePlan } from '../make-plan.js';
import type { SessionOptions } from '../run-session.js';
import { readLastUp, recordLastUp } from '../state.js';
import { EXIT } from '../exit.js';

export interface RunCommandOptions extends SessionOptions {
  readonly action: Action;
  readonly file: string | undefined;
  /** `--primary NODE`: the primary of the pair NODE belongs to (when none is recorded, or to override the record). */
  readonly primary?: readonly string[] | undefined;
  /** `--limit PATTERN`, repeatable: only these hosts, with what they need (docs/cli.md#limit). */
  readonly limit?: readonly string[] | undefined;
  /** A fleet directory: run against that simulated fleet. */
  readonly fleet?: string | undefined;
  /** `-F FILE`: the ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config (`none`: none). */
  readonly sshConfig?: string | undefined;
}

export async function runCommand(options: RunCommandOptions, io: CliIO): Promise<number> {
  const file = resolveTopologyFile(options, io);
  const loaded = loadOrFail(file, io, { fleet: options.fleet, ssh: { file: options.sshConfig } });
  const plan = makePlan(loaded, { action: options.action, primary: options.primary, limit: options.limit, stateDir: options.stateDir, file });
  // A limited run says first what it covers: what --limit selected, what was added and why.
  for (const line of limitLines(plan, io.errStyle)) io.err(line);
  if (options.action === 'up' && !options.dryRun) {
    recordLastUp(options.stateDir, { file: path.resolve(io.cwd, file), topology: plan.topology, startedAt: new Date().toISOString() });
  }
  return executePlan(plan, options, io);
}

/**
 * `down --fleet DIR` without a topology: the one the fleet in DIR was started from. A fleet that
 * does not record its file (one from `fleet compose`, or an older orchestrate) names its topology:
 * the last up is used only when it was of that topology.
 */
function fleetTopologyFile(fleet: string, stateDir: string, io: CliIO): string | undefined {
  const dir = path.resolve(io.cwd, fleet);
  const overlay = readFleetDir(dir);
  const recorded = overlay.topologyFile;
  if (recorded === undefined) {
    const last = readLastUp(stateDir);
    if (last && last.topology === overlay.topology) return undefined;
    throw new CliError(`no topology given, and the fleet in ${fleet} (topology '${overlay.topology}') does not record its file${last ? `; the last up was of '${last.topology}'` : ''}`, {
      exitCode: EXIT.invalid, suggestions: [`orchestrate down TOPOLOGY --fleet ${fleet}`],
    });
  }
  const shown = displayPath(recorded, io.cwd);
  io.err(`using ${shown}: the topology of the fleet in ${fleet}`);
  return shown;
}

function resolveTopologyFile(options: RunCommandOptions, io: CliIO): string {
  if (options.file !== undefined) return options.file;
  if (options.action === 'up') throw new CliError('up needs a topology file', { exitCode: EXIT.invalid, suggestions: ['orchestrate up topologies/small.yaml'] });
  const fleetFile = options.fleet === undefined ? undefined : fleetTopologyFile(options.fleet, options.stateDir, io);
  if (fleetFile !== undefined) return fleetFile;
  const last = readLastUp(options.stateDir);
  if (!last) {
    throw new CliError('no topology given and no earlier `up` recorded', {
      exitCode: EXIT.invalid,
      suggestions: ['orchestrate down topologies/small.yaml', `(the last up is recorded in ${options.stateDir})`],
    });
  }
  const shown = displayPath(last.file, io.cwd);
  io.err(`using ${shown}: the topology of the last up (${last.topology}, started ${last.startedAt})`);
  return shown;
}
