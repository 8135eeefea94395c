/**
 * A check: a command that must exit 0 (and print something matching `expect`), tried up to
 * `attempts` times with `intervalMs` between tries. The last observation is kept for the summary.
 */
import type { HostPlan, PlanStep } from '../plan/index.js';
import type { CommandResult } from '../transport/index.js';
import { endpointOf, type ExecContext } from './context.js';
import { describeResult, execOn, type StepOutcome } from './step-runner.js';

type CheckStep = Extract<PlanStep, { kind: 'check' }>;

/** Did this attempt pass, and what was seen. */
export function judgeCheck(step: CheckStep, r: CommandResult): { ok: boolean; observed: string } {
  if (r.outcome !== 'exited') return { ok: false, observed: describeResult(r, step.timeoutMs) };
  const out = r.stdout.trim();
  const shown = out.split('\n').slice(0, 3).join(' | ').slice(0, 200) || (r.stderr.trim().split('\n')[0] ?? '');
  if (r.exitCode !== 0) return { ok: false, observed: `exit ${r.exitCode ?? '?'}${shown ? `: ${shown}` : ''}` };
  if (step.expect === undefined) return { ok: true, observed: shown || 'exit 0' };
  const match = new RegExp(step.expect, 'm').exec(r.stdout);
  if (!match) return { ok: false, observed: `output does not match /${step.expect}/: ${shown || '(empty)'}` };
  // What matched is the interesting part of a long output (e.g. SHOW SLAVE STATUS).
  const matched = match[0].trim().split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const brief = matched.length <= 1 ? matched[0] ?? '' : `${matched[0] ?? ''} … ${matched.at(-1) ?? ''}`;
  return { ok: true, observed: (brief || shown || 'exit 0').slice(0, 200) };
}

export async function runCheck(ctx: ExecContext, plan: HostPlan, step: CheckStep): Promise<StepOutcome> {
  let last: CommandResult | undefined;
  let observed = '';
  for (let attempt = 1; attempt <= step.attempts; attempt++) {
    last = await execOn(ctx, plan, step, step.command, step.timeoutMs);
    if (last.outcome === 'cancelled') return { status: 'cancelled', result: last };
    const verdict = judgeCheck(step, last);
    observed = verdict.observed;
    if (verdict.ok) return { status: 'passed', message: attempt > 1 ? `${observed} (attempt ${attempt})` : observed, result: last };
    ctx.emitter.emit({ type: 'check-attempt', host: plan.name, step: step.id, attempt, attempts: step.attempts, ok: false, observed });
    if (attempt < step.attempts) {
      try {
        await ctx.sleep(step.intervalMs, ctx.signal);
      } catch {
        return { status: 'cancelled', result: last };
      }
    }
  }
  const times = step.attempts === 1 ? '1 attempt' : `${step.attempts} attempts`;
  return { status: 'failed', message: `still failing after ${times}: ${observed}`, ...(last ? { result: last } : {}) };
}

/** One quiet attempt, to tell whether a running host is already up. */
export async function probeCheck(ctx: ExecContext, step: CheckStep): Promise<boolean> {
  const r = await ctx.transport.exec(endpointOf(ctx.topology, step.target), step.command, { signal: ctx.signal, timeoutMs: step.timeoutMs });
  return judgeCheck(step, r).ok;
}
