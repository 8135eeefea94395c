/**
 * Running a check: attempts × (timeout + interval) within an optional deadline, until
 * `successes` attempts in a row pass. A mount check's remedy runs once after the first failure.
 * The last observation is kept for the summary.
 */
import { judgeOutput, runsNatively, type JudgeEnv, type Verdict } from '../checks/index.js';
import type { CheckPlan } from '../plan/index.js';
import type { CommandResult } from '../transport/index.js';
import { describeDuration } from '../util/duration.js';
import { endpointOf, hostNamed, type ExecContext } from './context.js';
import { nativeProbe } from './net-check.js';
import { describeResult, execOn, type StepHost, type StepInfo, type StepOutcome } from './step-runner.js';

/** A check as the runner needs it: a plan check step, or a service's health check. */
export type CheckStep = StepInfo & CheckPlan & { readonly timeoutMs: number };

/** What the judges need from the run: how many Hazelcast members should be there. */
function judgeEnv(ctx: ExecContext, step: CheckStep): JudgeEnv {
  if (step.probe.kind !== 'hazelcast' || step.probe.members !== 'auto') return {};
  const roles = step.probe.memberRoles;
  const members = ctx.topology.hosts.filter((h) => h.roles.some((r) => roles.includes(r)) && !ctx.absent.has(h.name));
  return { expectedMembers: members.length };
}

/**
 * One attempt on `host`: the verdict and the command result (absent for the controller's own
 * requests). With `plan`, the command's output is streamed as step-output events.
 */
export async function attemptCheck(ctx: ExecContext, host: string, step: CheckStep, plan?: StepHost): Promise<{ verdict: Verdict; result?: CommandResult; cancelled?: boolean }> {
  if (runsNatively(step.probe, step.target.kind === 'local')) {
    const defaultHost = hostNamed(ctx.topology, host)?.ssh.address ?? '127.0.0.1';
    return { verdict: await nativeProbe(step.probe, { timeoutMs: step.timeoutMs, signal: ctx.signal, defaultHost, env: judgeEnv(ctx, step) }), cancelled: ctx.signal.aborted };
  }
  const command = step.command ?? '';
  const r = plan
    ? await execOn(ctx, plan, step, command, step.timeoutMs)
    : await ctx.transport.exec(endpointOf(ctx.topology, step.target), command, { signal: ctx.signal, timeoutMs: step.timeoutMs });
  if (r.outcome === 'cancelled') return { verdict: { ok: false, observed: 'cancelled' }, result: r, cancelled: true };
  if (r.outcome !== 'exited') return { verdict: { ok: false, observed: describeResult(r, step.timeoutMs) }, result: r };
  return { verdict: judgeOutput(step.probe, { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 0 }, judgeEnv(ctx, step)), result: r };
}

export async function runCheck(ctx: ExecContext, plan: StepHost, step: CheckStep): Promise<StepOutcome> {
  const started = ctx.clock.now();
  const pastDeadline = (): boolean => step.deadlineMs !== undefined && ctx.clock.now() - started >= step.deadlineMs;
  let last: CommandResult | undefined;
  let observed = '';
  let streak = 0;
  let remedied = false;
  let attempt = 0;
  while (attempt < step.attempts) {
    attempt++;
    const a = await attemptCheck(ctx, plan.name, step, plan);
    if (a.cancelled === true) return { status: 'cancelled', ...(a.result ? { result: a.result } : {}) };
    last = a.result ?? last;
    observed = a.verdict.observed;
    streak = a.verdict.ok ? streak + 1 : 0;
    if (streak >= step.successes) {
      const how = [attempt > 1 ? `attempt ${attempt}` : '', step.successes > 1 ? `${step.successes} in a row` : '', remedied ? 'after the remedy' : ''].filter((x) => x !== '');
      return { status: 'passed', message: how.length > 0 ? `${observed} (${how.join(', ')})` : observed, ...(a.result ? { result: a.result } : {}) };
    }
    if (!a.verdict.ok) ctx.emitter.emit({ type: 'check-attempt', host: plan.name, step: step.id, attempt, attempts: step.attempts, ok: false, observed });
    if (!a.verdict.ok && !remedied && step.probe.kind === 'mount' && step.probe.remedy !== undefined) {
      remedied = true;
      const fix = await execOn(ctx, plan, step, step.probe.remedy, step.timeoutMs);
      if (fix.outcome === 'cancelled') return { status: 'cancelled', result: fix };
      ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${step.name}: ${observed}; tried the remedy once: ${step.probe.remedy} (${describeResult(fix, step.timeoutMs)})` });
      continue;
    }
    if (pastDeadline()) break;
    if (attempt < step.attempts) {
      try {
        await ctx.sleep(step.intervalMs, ctx.signal);
      } catch {
        return { status: 'cancelled', ...(last ? { result: last } : {}) };
      }
      if (pastDeadline()) break;
    }
  }
  const tried = attempt === 1 ? '1 attempt' : `${attempt} attempts`;
  const limit = pastDeadline() && attempt < step.attempts ? ` (deadline ${describeDuration(step.deadlineMs ?? 0)})` : '';
  const streakNote = step.successes > 1 ? `, needed ${step.successes} passes in a row` : '';
  return { status: 'failed', message: `still failing after ${tried}${limit}${streakNote}: ${observed}`, ...(last ? { result: last } : {}) };
}

/** One quiet attempt, to tell whether a running host is already up. */
export async function probeCheck(ctx: ExecContext, host: string, step: CheckStep): Promise<boolean> {
  return (await attemptCheck(ctx, host, step)).verdict.ok;
}
