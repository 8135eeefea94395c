/**
 * `orchestrate failover TOPOLOGY --side S` / `orchestrate failback TOPOLOGY --side S`: take one
 * side out of service while the others keep it running, and bring it back (docs/redundancy.md).
 * A refusal (exit 3) names each failed check and changed nothing.
 */
import { CliError } from '../../errors.js';
import type { RunSummary } from '../../events/index.js';
import { runSideOperation, type FailurePolicy } from '../../execution/index.js';
import { sidesOf, splitSides, type SideOperation } from '../../plan/index.js';
import { HumanReporter, JsonReporter } from '../../reporters/index.js';
import { SshTransport, type Transport } from '../../transport/index.js';
import type { CliIO } from '../io.js';
import { INVALID, loadOrFail } from '../load.js';
import { readSideDown, writePairRecord, writeSideDown } from '../state.js';
import { EXIT } from './run.js';

export interface SideCommandOptions {
  readonly operation: SideOperation;
  readonly file: string;
  readonly side: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly concurrency: number | undefined;
  readonly onFailure: FailurePolicy;
  readonly stateDir: string;
  readonly signal: AbortSignal;
  readonly fleet?: string | undefined;
  readonly transport?: Transport;
}

export async function sideCommand(options: SideCommandOptions, io: CliIO): Promise<number> {
  const { topology, graph } = loadOrFail(options.file, io, { fleet: options.fleet });
  const split = splitSides(topology, options.side);
  if ('error' in split) {
    throw new CliError(split.error, { exitCode: INVALID, suggestions: sidesOf(topology).map((s) => `orchestrate ${options.operation} ${options.file} --side ${s}`) });
  }
  const transport = options.transport ?? new SshTransport({
    agentSocket: io.env.SSH_AUTH_SOCK,
    onNote: (endpoint, message) => io.err(`note: ${endpoint.name}: ${message}`),
  });
  const reporter = options.json ? new JsonReporter(io.out) : new HumanReporter({ write: io.out, style: io.style, verbose: options.verbose });
  const recorded = readSideDown(options.stateDir, topology.name);
  let summary: RunSummary;
  try {
    summary = await runSideOperation(topology, {
      operation: options.operation, side: options.side, graph,
      ...(recorded ? { recorded } : {}),
      record: (down) => writeSideDown(options.stateDir, topology.name, down),
      transport,
      listeners: [(e) => reporter.onEvent(e)],
      signal: options.signal,
      onFailure: options.onFailure,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      dryRun: options.dryRun,
      streamOutput: options.json || options.verbose,
      pairs: { remember: (pair, host) => writePairRecord(options.stateDir, topology.name, pair, host) },
    });
  } finally {
    await transport.close();
  }
  switch (summary.status) {
    case 'succeeded':
      return EXIT.ok;
    case 'refused':
      return EXIT.refused;
    case 'cancelled':
      return EXIT.cancelled;
    case 'failed':
      return EXIT.failed;
  }
}
