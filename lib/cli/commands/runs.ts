/**
 * `orchestrate runs [--topology NAME] [--limit N] [--json]`: the recent runs from their journals,
 * newest first, with how each ended and, when it did not succeed, where it stopped. Reads only.
 */
import type { Failure } from '../../events/index.js';
import { describeStep, journalState, listRuns, readJournal, stoppedSteps, thisMachine, type JournalHeader, type JournalState, type RunOutcome, type StoppedStep } from '../../journal/index.js';
import { formatDuration } from '../../util/duration.js';
import type { CliIO } from '../io.js';

export interface RunsOptions {
  readonly stateDir: string;
  /** Only the runs of the topology with this `name`. */
  readonly topology?: string | undefined;
  /** @default 20 */
  readonly limit: number;
  readonly json: boolean;
}

/** One run, as `runs --json` prints it (docs/runs.md). */
export interface RunRow {
  readonly runId: string;
  readonly action: string;
  readonly side?: string;
  readonly topology: string;
  /** The topology file. */
  readonly file: string;
  /** The journal file. */
  readonly journal: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: RunOutcome;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
  readonly argv: readonly string[];
  readonly failures: readonly Failure[];
  /** Steps without step-finished (of a run that did not finish), or that a cancel stopped. */
  readonly inFlight: readonly StoppedStep[];
}

function row(header: JournalHeader, state: JournalState, journal: string): RunRow {
  const stopped = state.outcome === 'interrupted' || state.outcome === 'cancelled' || state.outcome === 'running' ? stoppedSteps(state) : [];
  return {
    runId: header.runId, action: header.action, ...(header.side === undefined ? {} : { side: header.side }),
    topology: header.topology, file: header.file, journal, startedAt: header.startedAt, durationMs: state.durationMs,
    outcome: state.outcome, user: header.user, host: header.host, pid: header.pid, argv: header.argv,
    failures: state.failures, inFlight: stopped,
  };
}

/** What stopped the run: its first failure, or the steps in flight. */
function detail(r: RunRow): string {
  const first = r.failures[0];
  if ((r.outcome === 'failed' || r.outcome === 'refused') && first) {
    const more = r.failures.length > 1 ? ` (+${r.failures.length - 1} more)` : '';
    return `${first.step === '' ? first.host : first.step}: ${first.reason}${more}`;
  }
  if (r.outcome === 'interrupted' || r.outcome === 'cancelled' || r.outcome === 'running') {
    const label = r.outcome === 'cancelled' ? 'cancelled' : 'in flight';
    return r.inFlight.length === 0 ? (r.outcome === 'running' ? `pid ${r.pid}` : 'no step in flight') : `${label}: ${r.inFlight.map(describeStep).join('; ')}`;
  }
  return '';
}

/** `2026-12-07 08:15:02Z`: the start in UTC, to the second. */
function started(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

function table(rows: readonly RunRow[]): string[] {
  const cells = rows.map((r) => [
    r.runId, r.side === undefined ? r.action : `${r.action} ${r.side}`, r.topology, started(r.startedAt),
    r.outcome === 'running' ? '-' : formatDuration(r.durationMs), r.outcome, `${r.user}@${r.host}`, detail(r),
  ]);
  const head = ['RUN', 'ACTION', 'TOPOLOGY', 'STARTED', 'DURATION', 'OUTCOME', 'BY', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  return [head, ...cells].map((c) => c.map((text, i) => (i === c.length - 1 ? text : text.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

/** The rows of the newest runs. */
export function recentRuns(options: Pick<RunsOptions, 'stateDir' | 'topology' | 'limit'>): RunRow[] {
  const rows: RunRow[] = [];
  for (const entry of listRuns(options.stateDir)) {
    if (rows.length >= options.limit) break;
    if (options.topology !== undefined && entry.header.topology !== options.topology) continue;
    const journal = readJournal(entry.file);
    if ('error' in journal) continue;
    rows.push(row(journal.header, journalState(journal, thisMachine), entry.file));
  }
  return rows;
}

export function runsCommand(options: RunsOptions, io: CliIO): number {
  const rows = recentRuns(options);
  if (options.json) {
    io.out(JSON.stringify({ version: 1, runs: rows }, null, 2));
    return 0;
  }
  if (rows.length === 0) {
    io.err(`no runs${options.topology === undefined ? '' : ` of ${options.topology}`} recorded in ${options.stateDir}`);
    return 0;
  }
  for (const line of table(rows)) io.out(line);
  return 0;
}
