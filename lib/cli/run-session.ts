/**
 * What every command that runs against machines shares: an SSH transport (closed at the end),
 * the reporter the user asked for, the run options, and the exit code of the result.
 */
import path from 'node:path';
import type { RunStatus, RunSummary } from '../events/index.js';
import type { FailurePolicy, ResumeFrom, RunOptions } from '../execution/index.js';
import { planFileOf, runsDir } from '../journal/index.js';
import { HumanReporter, JsonReporter, liveViewFits, type LinksOf, type LivePlan, type LiveReporter } from '../reporters/index.js';
import { checkReportTargets, ReportRecorder, type ReportTargets } from './report-files.js';
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
  /** `--plain`: the plain event lines even on a terminal (no live view). */
  readonly plain?: boolean | undefined;
  /** The hosts' waits, for the live view's "waiting for …" (from the plan being run). */
  readonly livePlan?: LivePlan | undefined;
  /** down, failover, failback: ask before running, on a terminal (cli/confirm.ts); `--yes` turns it off. */
  readonly confirm?: boolean | undefined;
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
  /** `--junit FILE`, `--report FILE`: written when the run ends, however it ends (report-files.ts). */
  readonly reports?: ReportTargets | undefined;
  /** What each host waits for (the plan's), for the reports' waits and critical path. */
  readonly links?: LinksOf | undefined;
  /** Called with the run's id once it is locked and journaled, before anything runs (not for dry runs). */
  readonly onRunStart?: ((runId: string) => Promise<void>) | undefined;
}


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
  checkReportTargets(options.reports, io);
  const reports = new ReportRecorder(options.reports, io);
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
  let summary: RunSummary | undefined;
  let reporter: JsonReporter | HumanReporter | LiveReporter | undefined;
  let transport: Transport | undefined;
  try {
    // Only the live view waits (for its module to load): a plain run starts at once, as it always did.
    const r = (reporter = wantsLiveView(options, io) ? await liveReporter(options, io) : plainReporter(options, io));
    // In the live view, the transport's notes go above the frame (a line written under it would be drawn over).
    const notes = 'note' in r ? { ...io, err: (l: string) => r.note(l) } : io;
    // A dry run walks the same plan through the same executor, with a transport that runs nothing.
    transport = options.dryRun ? new NullTransport() : sshTransport(notes);
    summary = await work({
      transport,
      listeners: [...(record ? [record.listener] : []), ...(reports.active ? [reports.listener] : []), (e) => r.onEvent(e)],
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
    reports.write({ links: options.links, outcome: summary?.status });
    if (reporter && 'dispose' in reporter) reporter.dispose();
    await transport?.close();
  }
}

/** The live view: on a terminal that can redraw, not with --json or --plain, not for a dry run (whose point is its list of commands). */
function wantsLiveView(options: SessionOptions, io: CliIO): boolean {
  return io.tty !== undefined && !options.json && options.plain !== true && !options.dryRun && liveViewFits(true, io.env);
}

async function liveReporter(options: SessionOptions, io: CliIO): Promise<LiveReporter> {
  // Loaded here, not at start-up: only a run on a terminal draws the view (reporters/index.ts).
  const { LiveReporter } = await import('../reporters/live.js');
  return new LiveReporter({ stream: io.tty?.output ?? { write: io.out }, style: io.style, verbose: options.verbose, ...(options.livePlan ? { plan: options.livePlan } : {}) });
}

/** NDJSON with --json, else the plain lines. */
function plainReporter(options: SessionOptions, io: CliIO): JsonReporter | HumanReporter {
  return options.json ? new JsonReporter(io.out) : new HumanReporter({ write: io.out, style: io.style, verbose: options.verbose });
}
