/**
 * `orchestrate up TOPOLOGY` / `orchestrate down [TOPOLOGY]`: run the plan over SSH, report as it
 * goes, summarise at the end. A bare `down` uses the topology of the last `up`.
 */
import path from 'node:path';
import { CliError } from '../../errors.js';
import { runPlan } from '../../execution/index.js';
import { buildPlan, type Action, type KnownPrimary } from '../../plan/index.js';
import type { Topology } from '../../topology/index.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { runSession, type SessionOptions } from '../run-session.js';
import { readLastUp, readPairRecords, readSideDown, recordLastUp } from '../state.js';
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
  return runSession(topology.name, options, io, (run) => runPlan(topology, plan, run));
}

/** --primary NODE wins; otherwise the node each pair recorded as shut down last. */
export function knownPrimaries(topology: Topology, options: Pick<RunCommandOptions, 'primary' | 'stateDir'>): Record<string, KnownPrimary> {
  const out: Record<string, KnownPrimary> = {};
  for (const [pair, r] of Object.entries(readPairRecords(options.stateDir, topology.name))) out[pair] = { host: r.host, source: 'recorded' };
  for (const node of options.primary ?? []) {
    const pair = topology.pairs.find((p) => p.hosts.includes(node));
    if (!pair) throw new CliError(`--primary ${node}: no pair of ${topology.name} has a host ${node}`, { exitCode: EXIT.invalid, suggestions: topology.pairs.map((p) => `--primary ${p.hosts[0]} (pair ${p.name})`) });
    out[pair.name] = { host: node, source: 'option' };
  }
  return out;
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
