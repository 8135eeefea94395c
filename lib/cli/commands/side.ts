/**
 * `orchestrate failover TOPOLOGY --side S` / `orchestrate failback TOPOLOGY --side S`: take one
 * side out of service while the others keep it running, and bring it back (docs/redundancy.md).
 * A refusal (exit 3) names each failed check and changed nothing.
 */
import { CliError } from '../../errors.js';
import { runSideOperation } from '../../execution/index.js';
import { sidesOf, splitSides, type SideOperation } from '../../plan/index.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { runSession, type SessionOptions } from '../run-session.js';
import { readSideDown, writeSideDown } from '../state.js';
import { EXIT } from '../exit.js';

export interface SideCommandOptions extends SessionOptions {
  readonly operation: SideOperation;
  readonly file: string;
  readonly side: string;
  readonly fleet?: string | undefined;
}

export async function sideCommand(options: SideCommandOptions, io: CliIO): Promise<number> {
  const { topology, graph } = loadOrFail(options.file, io, { fleet: options.fleet });
  const split = splitSides(topology, options.side);
  if ('error' in split) {
    throw new CliError(split.error, { exitCode: EXIT.invalid, suggestions: sidesOf(topology).map((s) => `orchestrate ${options.operation} ${options.file} --side ${s}`) });
  }
  const recorded = readSideDown(options.stateDir, topology.name);
  return runSession(topology.name, options, io, (run) => runSideOperation(topology, {
    ...run,
    operation: options.operation, side: options.side, graph,
    ...(recorded ? { recorded } : {}),
    record: (down) => writeSideDown(options.stateDir, topology.name, down),
  }));
}
