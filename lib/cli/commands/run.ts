/**
 * `orchestrate up TOPOLOGY` / `orchestrate down [TOPOLOGY]`: run the plan over SSH, report as it
 * goes, summarise at the end. A bare `down` uses the topology of the last `up`.
 */
import path from 'node:path';
import { CliError } from '../../errors.js';
import { runPlan } from '../../execution/index.js';
import { hashDocument } from '../../journal/index.js';
import { buildPlan, type Action } from '../../plan/index.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { knownPrimaries } from '../primaries.js';
import { runSession, type SessionOptions } from '../run-session.js';
import { readLastUp, readSideDown, recordLastUp } from '../state.js';
import { EXIT } from '../exit.js';

export interface RunCommandOptions extends SessionOptions {
  readonly action: Action;
  readonly file: string | undefined;
  /** `--primary NODE`: the primary of the pair NODE belongs to (when none is recorded, or to override the record). */
  readonly primary?: readonly string[] | undefined;
  /** A fleet directory: run against that simulated fleet. */
  readonly fleet?: string | undefined;
}

export async function runCommand(options: RunCommandOptions, io: CliIO): Promise<number> {
  const file = resolveTopologyFile(options, io);
  const { topology, graph } = loadOrFail(file, io, { fleet: options.fleet });
  const plan = buildPlan(topology, graph, options.action, { primaries: knownPrimaries(topology, options) });
  const sideDown = readSideDown(options.stateDir, topology.name);
  if (sideDown && options.action === 'up') {
    io.err(`note: side ${sideDown.side} was taken down by a failover (${sideDown.since}); up boots its hosts but leaves their cluster nodes in standby. To bring it back properly: orchestrate failback ${file} --side ${sideDown.side}`);
  }
  if (options.action === 'up' && !options.dryRun) {
    recordLastUp(options.stateDir, { file: path.resolve(io.cwd, file), topology: topology.name, startedAt: new Date().toISOString() });
  }
  return runSession(topology.name, options.dryRun ? options : { ...options, planHash: hashDocument(plan) }, io, (run) => runPlan(topology, plan, run));
}

function resolveTopologyFile(options: RunCommandOptions, io: CliIO): string {
  if (options.file !== undefined) return options.file;
  if (options.action === 'up') throw new CliError('up needs a topology file', { exitCode: EXIT.invalid, suggestions: ['orchestrate up topologies/small.yaml'] });
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
