/**
 * Running one step: step-started → the work → step-finished, with the failure recorded for the
 * summary. Also how command results read in messages.
 */
import type { StepStatus } from '../events/index.js';
import type { HostPlan, StepKind } from '../plan/index.js';

/** What running a step needs of its host: the name (events, failures). */
export type StepHost = Pick<HostPlan, 'name'>;
import type { Target } from '../power/index.js';
import type { PairStepKind } from '../procedures/index.js';
import { tail, type CommandResult } from '../transport/index.js';
import { describeDuration } from '../util/duration.js';
import { endpointOf, targetLabel, type ExecContext } from './context.js';

/** What runStep needs of a step: plan steps and pair steps both have it. */
export interface StepInfo {
  readonly id: string;
  readonly name: string;
  readonly kind: StepKind | PairStepKind;
  readonly target: Target;
  readonly role?: string | undefined;
  readonly command?: string | undefined;
}

export interface StepOutcome {
  readonly status: StepStatus;
  readonly message?: string;
  /** The command that decided the outcome, when it was not the step's own. */
  readonly command?: string;
  readonly result?: CommandResult;
  /** A timeout the procedure handles itself (wait-off → force-off): not a failure of the run. */
  readonly handled?: boolean;
}

/** How a command is run: `background` waits behind real work under a concurrency limit; a `poll` (or a check attempt) streams its output only when polls are streamed. */
export interface ExecMode {
  readonly background?: boolean;
  readonly poll?: boolean;
}

/** Runs `command` on the step's target, streaming output as events when asked to. */
export function execOn(ctx: ExecContext, host: StepHost, step: StepInfo, command: string, timeoutMs: number, mode: ExecMode = {}): Promise<CommandResult> {
  const stream = ctx.streamOutput && (mode.poll !== true || ctx.streamPolls);
  return ctx.transport.exec(endpointOf(ctx.plan, step.target), command, {
    signal: ctx.signal,
    timeoutMs,
    ...(mode.background === true ? { background: true } : {}),
    ...(stream ? { onOutput: (stream, text) => ctx.emitter.emit({ type: 'step-output', host: host.name, step: step.id, stream, text }) } : {}),
  });
}

/** Why a command did not succeed, in a few words. */
export function describeResult(r: CommandResult, timeoutMs: number): string {
  switch (r.outcome) {
    case 'exited':
      return r.exitCode === 0 ? 'exit 0' : `exit ${r.exitCode ?? '?'}`;
    case 'signalled':
      return `killed by ${r.signal ?? 'a signal'}`;
    case 'timed-out':
      return `timed out after ${describeDuration(timeoutMs)}${r.killed === false ? ' (could not confirm the remote command was killed)' : ' (command killed)'}`;
    case 'cancelled':
      return 'cancelled';
    case 'connection-lost':
      return `connection lost before the command finished${r.stderr ? `: ${r.stderr}` : ''}`;
    case 'connect-failed':
      return r.connectError?.message ?? 'cannot connect';
  }
}

/** The outcome of a plain command step. */
export function commandOutcome(r: CommandResult, timeoutMs: number): StepOutcome {
  const status: StepStatus = r.outcome === 'exited' && r.exitCode === 0 ? 'passed'
    : r.outcome === 'timed-out' ? 'timed-out' : r.outcome === 'cancelled' ? 'cancelled' : 'failed';
  return status === 'passed' ? { status, result: r } : { status, message: describeResult(r, timeoutMs), result: r };
}

function outputTail(r: CommandResult | undefined): string | undefined {
  if (!r) return undefined;
  const text = r.stderr.trim() !== '' ? r.stderr : r.stdout;
  return text.trim() === '' ? undefined : tail(text);
}

/** Emits step-started and step-finished around `work`, and records a failure. */
export async function runStep(ctx: ExecContext, host: StepHost, step: StepInfo, work: () => Promise<StepOutcome>): Promise<StepOutcome> {
  if (ctx.resume?.done.has(step.id) === true) {
    const message = `done in run ${ctx.resume.runId}; not run again`;
    skipStep(ctx, host, step, message);
    return { status: 'skipped', message };
  }
  const command = step.command;
  const started = ctx.clock.now();
  ctx.emitter.emit({
    type: 'step-started', host: host.name, step: step.id, name: step.name, kind: step.kind,
    ...(step.role === undefined ? {} : { role: step.role }), target: targetLabel(step.target), ...(command === undefined ? {} : { command }),
  });
  const outcome = ctx.dryRun ? { status: 'planned' as const } : await work();
  const r = outcome.result;
  const tailText = outcome.status === 'passed' ? undefined : outputTail(r);
  ctx.emitter.emit({
    type: 'step-finished', host: host.name, step: step.id, name: step.name, kind: step.kind, status: outcome.status,
    durationMs: Math.round(ctx.clock.now() - started),
    ...(command === undefined ? {} : { command }),
    ...(r?.exitCode != null ? { exitCode: r.exitCode } : {}),
    ...(r?.signal != null ? { signal: r.signal } : {}),
    ...(outcome.message === undefined ? {} : { message: outcome.message }),
    ...(tailText === undefined ? {} : { outputTail: tailText }),
  });
  if ((outcome.status === 'failed' || outcome.status === 'timed-out') && outcome.handled !== true) {
    const failedCommand = outcome.command ?? command;
    ctx.fail({
      host: host.name, step: step.id, name: step.name, target: targetLabel(step.target),
      ...(failedCommand === undefined ? {} : { command: failedCommand }),
      ...(r?.exitCode != null ? { exitCode: r.exitCode } : {}),
      ...(r?.signal != null ? { signal: r.signal } : {}),
      reason: outcome.message ?? outcome.status,
      ...(tailText === undefined ? {} : { outputTail: tailText }),
    });
  }
  return outcome;
}

/** Emits a step-finished for a step that did not need to run. */
export function skipStep(ctx: ExecContext, host: StepHost, step: StepInfo, message: string): void {
  ctx.emitter.emit({ type: 'step-finished', host: host.name, step: step.id, name: step.name, kind: step.kind, status: 'skipped', durationMs: 0, message });
}
