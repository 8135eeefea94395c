/**
 * The last run of a topology, and whether it ended badly enough to warn the next one: killed
 * (no run-finished), cancelled, or still running (its lock was forced). Reads the journals;
 * describing the interruption is pure.
 */
import { listRuns, readJournal, thisMachine } from './files.js';
import { journalState } from './state.js';
import type { Journal, JournalHeader, JournalState, Machine } from './types.js';

/** The newest journal of a topology, read and analysed. */
export interface LastRun {
  readonly file: string;
  readonly journal: Journal;
  readonly state: JournalState;
}

/** The step that was running when the run stopped. */
export interface StoppedStep {
  readonly host: string;
  readonly step: string;
  readonly name: string;
  readonly command?: string;
}

/** A last run that did not end by itself. */
export interface Interruption {
  readonly header: JournalHeader;
  readonly file: string;
  readonly outcome: 'interrupted' | 'cancelled' | 'running';
  /** In flight when it stopped: steps without step-finished, and for a cancel the steps it cancelled. */
  readonly steps: readonly StoppedStep[];
  readonly state: JournalState;
}

/** The newest journal of `topology` in `stateDir` (other than `exclude`), or undefined. */
export function lastRun(stateDir: string, topology: string, options: { exclude?: string; machine?: Machine } = {}): LastRun | undefined {
  for (const entry of listRuns(stateDir)) {
    if (entry.header.topology !== topology || entry.runId === options.exclude) continue;
    const journal = readJournal(entry.file);
    if ('error' in journal) continue;
    return { file: entry.file, journal, state: journalState(journal, options.machine ?? thisMachine) };
  }
  return undefined;
}

/**
 * The steps a stopped run left: in flight, or cancelled. A redundant pair's own step
 * (`host/pair`, kind `pair`) is left out when a step of its procedure is listed.
 */
export function stoppedSteps(state: JournalState): StoppedStep[] {
  const cancelled = state.hosts.flatMap((h) => h.done.filter((d) => d.status === 'cancelled'));
  const all: StoppedStep[] = [...state.inFlight, ...cancelled].map((s) => ({ host: s.host, step: s.step, name: s.name, ...(s.command === undefined ? {} : { command: s.command }) }));
  const kinds = new Map([...state.inFlight, ...cancelled].map((s) => [s.step, s.kind]));
  const inner = (pair: string): boolean => all.some((s) => s.step.split('/').length > 2 && s.step.split('/')[1] === pair);
  return all.filter((s) => kinds.get(s.step) !== 'pair' || !inner(s.step.split('/')[1] ?? ''));
}

/** The interruption `last` shows, or undefined when it ended by itself (succeeded, failed, refused). */
export function interruptionOf(last: LastRun): Interruption | undefined {
  const outcome = last.state.outcome;
  if (outcome !== 'interrupted' && outcome !== 'cancelled' && outcome !== 'running') return undefined;
  return { header: last.journal.header, file: last.file, outcome, steps: stoppedSteps(last.state), state: last.state };
}

/** What the last run of `topology` left unfinished, if it did not end by itself. */
export function interruptedLastRun(stateDir: string, topology: string, options: { exclude?: string; machine?: Machine } = {}): Interruption | undefined {
  const last = lastRun(stateDir, topology, options);
  return last ? interruptionOf(last) : undefined;
}

/** `acd-dbm/db-master/start mysql (start mysql: systemctl start mysqld)`. */
export function describeStep(s: StoppedStep): string {
  return `${s.step} (${s.name}${s.command === undefined || s.command === s.name ? '' : `: ${s.command}`})`;
}

/** The warning line, without `warning: `: which run, what became of it, and what was in flight. */
export function describeInterruption(i: Interruption): string {
  const h = i.header;
  const what = `the last run of ${h.topology} (${h.action}${h.side === undefined ? '' : ` side ${h.side}`}, ${h.runId}, started ${h.startedAt} by ${h.user}@${h.host})`;
  const steps = i.steps.length === 0 ? 'no step was in flight' : `${i.outcome === 'cancelled' ? 'cancelled' : 'in flight'}: ${i.steps.map(describeStep).join('; ')}`;
  switch (i.outcome) {
    case 'interrupted':
      return `${what} was interrupted: ${steps}`;
    case 'cancelled':
      return `${what} was cancelled: ${steps}`;
    case 'running':
      return `${what} is still running (pid ${h.pid}): ${steps}`;
  }
}
