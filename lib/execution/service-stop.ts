/**
 * Stopping a service: graceful first (systemctl stop, the init script's graceful verb, svc -d,
 * the graceful signal), then, when it is still running after its grace, forced (systemctl kill
 * -s KILL, KILL to the kill_pidfile, svc -k, TERM then KILL), each forcing stage given
 * ServiceTimes.forceMs (5 s, or the grace if shorter). The message says which happened.
 */
import { probeCommand, stopPlan, type ServiceState } from '../services/index.js';
import { describeDuration } from '../util/duration.js';
import { elapsedSince, exitedZero, failure, isStopped, probe, run, seconds, waitFor, warn, type ServiceRun } from './service-exec.js';
import { describeResult, type StepOutcome } from './step-runner.js';

/** The stop action: "already stopped" when it does not run, else graceful, then forced. */
export async function stopService(x: ServiceRun): Promise<StepOutcome> {
  const before = await probe(x);
  if (!before.known) return failure(`cannot tell whether it runs: ${before.text}`, probeCommand(x.spec));
  if (!before.running) return { status: 'passed', message: `already stopped (${before.text})` };
  return stopRunning(x);
}

/** Graceful, then forced: the service was seen running. */
async function stopRunning(x: ServiceRun): Promise<StepOutcome> {
  const plan = stopPlan(x.spec);
  const grace = x.spec.graceMs;
  const started = x.ctx.clock.now();
  const timeoutMs = Math.min(x.step.timeoutMs, grace);
  const asked = await run(x, plan.graceful.command, timeoutMs);
  // A timeout needs no note: "did not stop within the grace" says it.
  const note = exitedZero(asked) || asked.outcome === 'timed-out' ? '' : ` (${describeResult(asked, timeoutMs)})`;
  let state: ServiceState | undefined;
  if (asked.outcome !== 'timed-out') {
    const waited = await waitFor(x, isStopped, grace - elapsedSince(x, started));
    if (waited.ok) return { status: 'passed', message: `stopped gracefully (${plan.graceful.label}) in ${seconds(elapsedSince(x, started))}` };
    state = waited.state;
  }
  const late = `did not stop within ${describeDuration(grace)} after ${plan.graceful.label}${note}`;
  if (plan.force.length === 0) {
    const seen = state ?? (await probe(x));
    return failure(`${late}, and ${plan.cannotForce ?? 'it cannot be forced'}: ${seen.text}`, probeCommand(x.spec));
  }
  const used: string[] = [];
  for (const stage of plan.force) {
    warn(x, `${used.length === 0 ? late : `still running ${describeDuration(x.times.forceMs)} after ${used.at(-1) ?? ''}`}; forcing: ${stage.command}`);
    used.push(stage.label);
    await run(x, stage.command);
    const waited = await waitFor(x, isStopped, x.times.forceMs);
    if (waited.ok) return { status: 'passed', message: `${late}; forced: ${used.join(', then ')}` };
    state = waited.state;
  }
  const last = plan.force.at(-1);
  return failure(
    `still running ${describeDuration(x.times.forceMs)} after ${last?.label ?? ''} (${late}; forced: ${used.join(', then ')}): ${state?.text ?? ''}`,
    last?.command ?? plan.graceful.command,
  );
}
