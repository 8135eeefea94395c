/**
 * `orchestrate resume [RUN]`: continues a failed or interrupted run from its saved plan. Hosts
 * that reached their target are verified (power state, their checks once) instead of run again;
 * steps that finished and are not safe to repeat are not run again; a step that was in flight
 * runs again only when it is safe to repeat, else the resume is refused (exit 3) until the
 * operator says what happened (--skip: it finished; --rerun: run it again). docs/runs.md.
 */
import { CliError } from '../../errors.js';
import { REACHED, type ResumeFrom } from '../../execution/index.js';
import { describeStep, journalState, planFileOf, thisMachine, type JournalState, type StepInFlight } from '../../journal/index.js';
import { unsafeSteps, type Plan } from '../../plan/index.js';
import { executePlan } from '../execute.js';
import { EXIT } from '../exit.js';
import type { CliIO } from '../io.js';
import type { SessionOptions } from '../run-session.js';
import { readPlanFile, staleSources } from './apply.js';
import { journalOf } from './show.js';

export interface ResumeCommandOptions extends SessionOptions {
  /** A run id, a unique prefix, or `last`. */
  readonly run: string;
  /** Step ids the operator says finished (not run again). */
  readonly skip: readonly string[];
  /** Step ids the operator says may run again. */
  readonly rerun: readonly string[];
}

/** What the resumed run skips, and the in-flight steps that stop it. */
export function resumeFrom(runId: string, plan: Plan, state: JournalState, options: Pick<ResumeCommandOptions, 'skip' | 'rerun'>): { from: ResumeFrom; blocking: StepInFlight[]; again: StepInFlight[] } {
  const unsafe = unsafeSteps(plan);
  const done = new Set<string>(options.skip);
  for (const h of state.hosts) for (const d of h.done) if ((d.status === 'passed' || d.status === 'skipped') && unsafe.has(d.step)) done.add(d.step);
  const flying = state.inFlight.filter((s) => !done.has(s.step));
  const blocking = flying.filter((s) => unsafe.has(s.step) && !options.rerun.includes(s.step));
  const again = flying.filter((s) => !blocking.includes(s));
  const reached = new Set(state.hosts.filter((h) => h.status !== undefined && REACHED.has(h.status)).map((h) => h.host));
  return { from: { runId, done, reached }, blocking, again };
}

function knownSteps(plan: Plan, ids: readonly string[], flag: string): void {
  const all = new Set(plan.hosts.flatMap((h) => h.steps.map((s) => s.id)));
  for (const id of ids) if (!all.has(id)) throw new CliError(`${flag} ${id}: no such step in the plan`, { exitCode: EXIT.invalid, suggestions: ['step ids are as the events and `orchestrate show RUN` give them: host/role/step'] });
}

export async function resumeCommand(options: ResumeCommandOptions, io: CliIO): Promise<number> {
  const { entry, journal } = journalOf(options);
  const runId = entry.runId;
  const state = journalState(journal, thisMachine);
  const what = `run ${runId} (${entry.header.action}${entry.header.side === undefined ? '' : ` side ${entry.header.side}`} ${entry.header.topology}, started ${entry.header.startedAt})`;
  if (state.outcome === 'succeeded') {
    io.err(`${what} succeeded: nothing to resume`);
    return EXIT.ok;
  }
  if (state.outcome === 'running') throw new CliError(`${what} is still running (pid ${entry.header.pid})`, { exitCode: EXIT.refused, suggestions: ['wait until it ends, or stop it (Ctrl-C in its terminal)'] });
  const plan = readPlanFile(planFileOf(options.stateDir, runId), io);
  const stale = staleSources(plan);
  if (stale.length > 0) {
    throw new CliError(`cannot resume ${what}: files its plan was made from have changed since\n${stale.map((s) => `  ${s}`).join('\n')}`, {
      exitCode: EXIT.refused,
      suggestions: [`start a new run instead, which finds what is already done: orchestrate ${entry.header.action} ${plan.file}${entry.header.side === undefined ? '' : ` --side ${entry.header.side}`}`],
    });
  }
  knownSteps(plan, options.skip, '--skip');
  knownSteps(plan, options.rerun, '--rerun');
  const { from, blocking, again } = resumeFrom(runId, plan, state, options);
  if (blocking.length > 0) {
    throw new CliError(`cannot resume ${what}: ${blocking.length === 1 ? 'a step that is not safe to repeat was' : `${blocking.length} steps that are not safe to repeat were`} in flight when it stopped:\n${blocking.map((s) => `  ${describeStep(s)}`).join('\n')}\nCheck on the host whether ${blocking.length === 1 ? 'it' : 'each'} finished, then say so.`, {
      exitCode: EXIT.refused,
      suggestions: blocking.flatMap((s) => [`it finished: orchestrate resume ${runId} --skip '${s.step}'`, `it may run again: orchestrate resume ${runId} --rerun '${s.step}'`]),
    });
  }
  const limited = plan.limit ? ` with --limit ${plan.limit.patterns.join(',')} (${plan.hosts.length} host${plan.hosts.length === 1 ? '' : 's'}, as its plan says)` : '';
  io.err(`resuming ${what}${limited}, which ${state.outcome === 'interrupted' ? 'was interrupted' : state.outcome}: ${from.reached.size} host${from.reached.size === 1 ? '' : 's'} reached the target there (verified, not run again), ${from.done.size} finished step${from.done.size === 1 ? '' : 's'} not safe to repeat ${from.done.size === 1 ? 'is' : 'are'} skipped, ${again.length} step${again.length === 1 ? '' : 's'} in flight run${again.length === 1 ? 's' : ''} again`);
  return executePlan(plan, { ...options, resume: from }, io);
}
