/**
 * What every command that runs against machines shares: an SSH transport (closed at the end),
 * the reporter the user asked for, the run options, and the exit code of the result.
 */
import type { RunStatus, RunSummary } from '../events/index.js';
import type { FailurePolicy, RunOptions } from '../execution/index.js';
import { HumanReporter, JsonReporter } from '../reporters/index.js';
import { NullTransport, SshTransport, type Transport } from '../transport/index.js';
import type { CliIO } from './io.js';
import { writePairRecord } from './state.js';
import { EXIT } from './exit.js';


export interface SessionOptions {
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly concurrency: number | undefined;
  readonly onFailure: FailurePolicy;
  readonly stateDir: string;
  readonly signal: AbortSignal;
}

/** The SSH transport of a command: ssh-agent from the environment, notes on stderr. */
export function sshTransport(io: CliIO): Transport {
  return new SshTransport({ agentSocket: io.env.SSH_AUTH_SOCK, onNote: (endpoint, message) => io.err(`note: ${endpoint.name}: ${message}`) });
}

const CODES: Readonly<Record<RunStatus, number>> = { succeeded: EXIT.ok, failed: EXIT.failed, refused: EXIT.refused, cancelled: EXIT.cancelled };

/** Runs `work` with the run options of `options` and returns the exit code of its summary. */
export async function runSession(topology: string, options: SessionOptions, io: CliIO, work: (run: RunOptions) => Promise<RunSummary>): Promise<number> {
  // A dry run walks the same plan through the same executor, with a transport that runs nothing.
  const transport = options.dryRun ? new NullTransport() : sshTransport(io);
  const reporter = options.json ? new JsonReporter(io.out) : new HumanReporter({ write: io.out, style: io.style, verbose: options.verbose });
  try {
    const summary = await work({
      transport,
      listeners: [(e) => reporter.onEvent(e)],
      signal: options.signal,
      onFailure: options.onFailure,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      dryRun: options.dryRun,
      streamOutput: options.json || options.verbose,
      pairs: { remember: (pair, host) => writePairRecord(options.stateDir, topology, pair, host) },
    });
    return CODES[summary.status];
  } finally {
    await transport.close();
  }
}
