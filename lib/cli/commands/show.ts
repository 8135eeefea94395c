/**
 * `orchestrate show RUN [--json] [-v]`: a run replayed from its journal through the reporters,
 * as it was printed (`--json`: the NDJSON events exactly as `--json` printed them). RUN is a run
 * id, a unique prefix of one, or `last`. Reads only.
 */
import { CliError } from '../../errors.js';
import { describeStep, findRun, journalState, listRuns, planFileOf, readJournal, runsDir, stoppedSteps, thisMachine, type Journal, type RunEntry } from '../../journal/index.js';
import { readFileSync } from 'node:fs';
import { planFromDocument } from '../../plan/index.js';
import { HumanReporter, JsonReporter, planLinks, type LinksOf } from '../../reporters/index.js';
import { checkReportTargets, writeReports, type ReportTargets } from '../report-files.js';
import { EXIT } from '../exit.js';
import type { CliIO } from '../io.js';

export interface ShowOptions {
  readonly stateDir: string;
  /** A run id, a unique prefix of one, or `last`. */
  readonly run: string;
  readonly json: boolean;
  readonly verbose: boolean;
  /** `--report FILE`, `--junit FILE`: write those instead of replaying. */
  readonly reports?: ReportTargets | undefined;
}

/** `orchestrate show ID    # up acd-small, started …`: a run to suggest. */
const listed = (e: RunEntry): string => `orchestrate show ${e.runId}    # ${e.header.action}${e.header.side === undefined ? '' : ` side ${e.header.side}`} ${e.header.topology}, started ${e.header.startedAt}`;

/** The journal RUN names, or a CliError (exit 2) with the runs it could have meant. */
export function journalOf(options: Pick<ShowOptions, 'stateDir' | 'run'>): { entry: RunEntry; journal: Journal } {
  const entries = listRuns(options.stateDir);
  const match = findRun(entries, options.run);
  if ('ambiguous' in match) {
    throw new CliError(`'${options.run}' matches ${match.ambiguous.length} runs`, {
      exitCode: EXIT.invalid,
      suggestions: match.ambiguous.slice(0, 5).map(listed),
    });
  }
  if ('missing' in match) {
    const where = runsDir(options.stateDir);
    throw new CliError(entries.length === 0 ? `no runs recorded in ${where}` : `no run '${options.run}' in ${where}`, {
      exitCode: EXIT.invalid,
      suggestions: entries.length === 0
        ? ['runs are recorded by up, down, failover and failback (not by dry runs); --state-dir says where']
        : ['orchestrate runs', ...match.near.map(listed)],
    });
  }
  const journal = readJournal(match.found.file);
  if ('error' in journal) throw new CliError(`${match.found.file}: ${journal.error}`, { exitCode: EXIT.invalid });
  return { entry: match.found, journal };
}

/** What the text replay says after the events when the journal has no end. */
function ending(journal: Journal): string[] {
  const lines = journal.torn ? ['(the last line of the journal was cut short: it is left out)'] : [];
  const state = journalState(journal, thisMachine);
  if (state.outcome !== 'interrupted' && state.outcome !== 'running') return lines;
  const steps = stoppedSteps(state);
  const flight = steps.length === 0 ? 'no step was in flight' : `in flight: ${steps.map(describeStep).join('; ')}`;
  const how = state.outcome === 'running' ? `the run is still running (pid ${journal.header.pid})` : 'the run was interrupted (its process ended without finishing the journal)';
  return [...lines, `${journal.header.action}: ${how}: ${flight}`];
}

/** The reports of a recorded run, with its saved plan's waits when the plan is there. */
function writeRunReports(entry: RunEntry, journal: Journal, options: ShowOptions, io: CliIO): number {
  checkReportTargets(options.reports, io);
  // Beside the journal, as run-session.ts saves it (not imported from there: show loads no transport).
  const planFile = planFileOf(options.stateDir, entry.runId);
  let links: LinksOf | undefined;
  try {
    const plan = planFromDocument(JSON.parse(readFileSync(planFile, 'utf8')));
    if (!('error' in plan)) links = planLinks(plan);
    else io.err(`warning: ${planFile}: ${plan.error}: the report shows no waits`);
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    io.err(missing ? `note: run ${entry.runId} has no saved plan (${planFile}): the report shows no waits` : `warning: the plan of run ${entry.runId} cannot be read (${(e as Error).message}): the report shows no waits`);
  }
  const state = journalState(journal, thisMachine);
  const outcome = state.outcome === 'running' ? 'interrupted' : state.outcome;
  return writeReports(options.reports, journal.events, { links, outcome }, io) ? EXIT.ok : EXIT.failed;
}

export function showCommand(options: ShowOptions, io: CliIO): number {
  const { entry, journal } = journalOf(options);
  for (const p of journal.problems) io.err(`warning: ${p}`);
  if (options.reports?.junit !== undefined || options.reports?.report !== undefined) return writeRunReports(entry, journal, options, io);
  if (options.json) {
    const json = new JsonReporter(io.out);
    for (const e of journal.events) json.onEvent(e);
    return EXIT.ok;
  }
  const h = journal.header;
  io.out(io.style.dim(`run ${h.runId}, started ${h.startedAt} by ${h.user}@${h.host} (pid ${h.pid}) in ${h.cwd}: orchestrate ${h.argv.join(' ')}`));
  const human = new HumanReporter({ write: io.out, style: io.style, verbose: options.verbose });
  try {
    for (const e of journal.events) human.onEvent(e);
  } finally {
    human.dispose();
  }
  for (const line of ending(journal)) io.out(io.style.yellow(line));
  return EXIT.ok;
}
