/**
 * Service control steps (lib/services): start, stop, restart, reload … with the semantics of
 * systemd, init.d scripts, daemontools and signals to a pidfile. Starts (service-start.ts) and
 * stops (service-stop.ts) are procedures; status reads the state; everything else is one command.
 * See docs/services.md.
 */
import type { HostPlan } from '../plan/index.js';
import { isStart, probeCommand, serviceTimes, singleAction } from '../services/index.js';
import { hostNamed, type ExecContext } from './context.js';
import { CANCELLED, exitedZero, failure, Halt, probe, run, said, type ServiceRun, type ServiceStep } from './service-exec.js';
import { startService } from './service-start.js';
import { stopService } from './service-stop.js';
import type { StepOutcome } from './step-runner.js';

export type { ServiceStep } from './service-exec.js';

export async function runService(ctx: ExecContext, plan: HostPlan, step: ServiceStep): Promise<StepOutcome> {
  const pollMs = hostNamed(ctx.plan, plan.name)?.timeouts.pollMs ?? Infinity;
  const x: ServiceRun = { ctx, plan, step, spec: step.service, times: serviceTimes(step.service, step.timeoutMs, pollMs) };
  if (ctx.signal.aborted) return CANCELLED;
  try {
    const action = x.spec.action;
    if (isStart(action)) return await startService(x);
    if (action === 'stop') return await stopService(x);
    if (action === 'status') return await status(x);
    return await single(x);
  } catch (e) {
    if (e instanceof Halt) return e.outcome;
    throw e;
  }
}

/** Passes when the service runs; the message is what its manager says. */
async function status(x: ServiceRun): Promise<StepOutcome> {
  const state = await probe(x);
  return state.running ? { status: 'passed', message: `running: ${state.text}` } : failure(`not running: ${state.text}`, probeCommand(x.spec));
}

/** reload, reopen, kill, enable, disable, and an init script's own verbs: one command that must exit 0. */
async function single(x: ServiceRun): Promise<StepOutcome> {
  const a = singleAction(x.spec);
  const r = await run(x, a.command);
  return exitedZero(r) ? { status: 'passed', message: a.done, result: r } : failure(said(a.command, r, x.step.timeoutMs), a.command, r);
}
