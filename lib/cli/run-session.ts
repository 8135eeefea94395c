/**
 * What every command that runs against machines shares: an SSH transport (closed at the end),
 * the reporter the user asked for, the run options, and the exit code of the result.
 */
import path from 'node:path';
import type { RunStatus, RunSummary } from '../events/index.js';
import type { FailurePolicy, ResumeFrom, RunOptions } from '../execution/index.js';
import { runsDir } from '../journal/index.js';
import { HumanReporter, JsonReporter } from '../reporters/index.js';
import { NullTransport, SshTransport, type Transport } from '../transport/index.js';
import type { CliIO } from './io.js';
import { writePairRecord } from './state.js';
import { EXIT } from './exit.js';
import { beginRunRecord } from './run-record.js';
import { makeDirSafe, PRIVATE, PRIVATE_DIR, writeFileSafe } from '../util/safe-write.js';
import type { Secrets } from '../util/secrets.js';


export interface SessionOptions {
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly concurrency: number | undefined;
  readonly onFailure: FailurePolicy;
  readonly stateDir: string;
  readonly signal: AbortSignal;
  /** `--fleet DIR`: the simulated fleet the run targets; its lock is taken too (docs/runs.md). */
  readonly fleet?: string | undefined;
  /** hashDocument of what the run executes, for the journal's header. */
  readonly planHash?: string | undefined;
  /** `--force-unlock`: take the run locks from whoever holds them. */
  readonly forceUnlock?: boolean | undefined;
  /** The command line after `orchestrate`, for the journal and the lock. @default process.argv.slice(2) */
  readonly argv?: readonly string[] | undefined;
  /** The plan document being run: saved beside the journal (runs/RUN.plan.json), for `orchestrate resume`. */
  readonly planText?: string | undefined;
  /** Continuing an earlier run (orchestrate resume). */
  readonly resume?: ResumeFrom | undefined;
  /** The values of the plan's secrets (cli/secrets.ts): filled in as commands are sent, masked in every event. */
  readonly secrets?: Secrets | undefined;
  /** Called with the run's id once it is locked and journaled, before anything runs (not for dry runs). */
  readonly onRunStart?: ((runId: string) => Promise<void>) | undefined;
}

/** Where the plan of a run is kept, beside its journal. */
export const planFileOf = (stateDir: string, runId: string): string => path.join(runsDir(stateDir), `${runId}.plan.json`);

/** The SSH transport of a command: ssh-agent from the environment, notes and warnings on stderr. */
export function sshTransport(io: CliIO): Transport {
  return new SshTransport({
    agentSocket: io.env.SSH_AUTH_SOCK,
    onNote: (endpoint, message, level) => io.err(level === 'warning' ? io.errStyle.red(io.errStyle.bold(`WARNING: ${endpoint.name}: ${message}`)) : `note: ${endpoint.name}: ${message}`),
  });
}

const CODES: Readonly<Record<RunStatus, number>> = { succeeded: EXIT.ok, failed: EXIT.failed, refused: EXIT.refused, cancelled: EXIT.cancelled, degraded: EXIT.degraded };

/**
 * Runs `work` with the run options of `options` and returns the exit code of its summary. A run
 * that is not a dry run holds the topology's lock (and the fleet's) and is journaled (run-record.ts).
 */
export async function runSession(topology: string, options: SessionOptions, io: CliIO, work: (run: RunOptions) => Promise<RunSummary>): Promise<number> {
  const record = options.dryRun ? undefined : beginRunRecord({
    stateDir: options.stateDir, topology, fleetDir: options.fleet === undefined ? undefined : path.resolve(io.cwd, options.fleet),
    planHash: options.planHash, forceUnlock: options.forceUnlock, argv: options.argv,
  }, io);
  if (record && options.planText !== undefined) {
    try {
      makeDirSafe(runsDir(options.stateDir), PRIVATE_DIR);
      writeFileSafe(planFileOf(options.stateDir, record.runId), options.planText, PRIVATE);
    } catch (e) {
      io.err(`warning: cannot save the plan of run ${record.runId} (orchestrate resume will not be able to continue it): ${(e as Error).message}`);
    }
  }
  if (record && options.onRunStart) await options.onRunStart(record.runId);
  // A dry run walks the same plan through the same executor, with a transport that runs nothing.
  const transport = options.dryRun ? new NullTransport() : sshTransport(io);
  const reporter = options.json ? new JsonReporter(io.out) : new HumanReporter({ write: io.out, style: io.style, verbose: options.verbose });
  let summary: RunSummary | undefined;
  try {
    summary = await work({
      transport,
      listeners: [...(record ? [record.listener] : []), (e) => reporter.onEvent(e)],
      signal: options.signal,
      onFailure: options.onFailure,
      ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
      dryRun: options.dryRun,
      // --json alone: the output of the commands that do something; polls and check attempts only with --verbose.
      streamOutput: options.json || options.verbose,
      streamPolls: options.verbose,
      pairs: { remember: (pair, host) => writePairRecord(options.stateDir, topology, pair, host) },
      ...(options.resume ? { resume: options.resume } : {}),
      ...(options.secrets ? { secrets: options.secrets } : {}),
    });
    return CODES[summary.status];
  } finally {
    record?.finish(summary && options.secrets ? options.secrets.maskDeep(summary) : summary);
    await transport.close();
  }
}
