/**
 * One host's procedure for `up` or `down`, step by step, stopping at the first step that does not
 * pass. Detects hosts already in the target state and skips them.
 *
 *   up:   power state → power on (skipped if running) → [powered] → wait for boot
 *         → (already running and every check passes: already-up) → role steps and checks
 *   down: power state (off: already-down) → role steps and checks → shutdown → wait until off
 *         → force off, only if it did not go off in time
 */
import type { HostStatus } from '../events/index.js';
import type { Action, HostPlan, PlanHostInfo, PlanStep } from '../plan/index.js';
import { InternalError } from '../errors.js';
import { describeDuration } from '../util/duration.js';
import { probeCheck, runCheck } from './check-step.js';
import { runService } from './service-step.js';
import { hostNamed, type ExecContext } from './context.js';
import { forceOff, powerOn, readPowerState, shutdown, waitBoot, waitOff } from './power-steps.js';
import { commandOutcome, execOn, runStep, skipStep, type StepOutcome } from './step-runner.js';

export interface HostResult {
  readonly status: HostStatus;
  readonly reason?: string;
  /** The host was found powered on (power-state). */
  readonly wasOn?: boolean;
  /** Stopped at its `pair` step: the pair runner goes on from there. */
  readonly atPair?: boolean;
}

interface HostRun {
  readonly ctx: ExecContext;
  readonly plan: HostPlan;
  readonly host: PlanHostInfo;
  /** The steps being run: the plan's, or a pair node's own shutdown steps. */
  readonly steps: readonly PlanStep[];
  readonly powered: () => void;
  wasOn: boolean;
  /** Going down, the host's SSH refused us while the hypervisor said on: it is going down already. */
  sshGone?: string;
  shutdownAt: number;
  offInTime: boolean;
}

export async function runHost(ctx: ExecContext, plan: HostPlan, action: Action, powered: () => void, steps: readonly PlanStep[] = plan.steps): Promise<HostResult> {
  const host = hostNamed(ctx.plan, plan.name);
  if (!host) throw new InternalError(`host ${plan.name} not in topology`);
  const run: HostRun = { ctx, plan, host, steps, powered, wasOn: false, shutdownAt: 0, offInTime: true };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as PlanStep;
    if (step.kind === 'pair') return { status: action === 'up' ? 'up' : 'down', atPair: true, wasOn: run.wasOn };
    if (step.kind === 'wait-boot') powered();
    const outcome = await runOne(run, step, action);
    if (outcome === 'already') {
      const status: HostStatus = action === 'up' ? 'already-up' : 'already-down';
      for (const rest of steps.slice(i + 1)) skipStep(ctx, plan, rest, status === 'already-up' ? 'already up' : 'already off');
      powered();
      return { status, wasOn: run.wasOn };
    }
    if (outcome.status === 'cancelled') return { status: 'cancelled' };
    if ((outcome.status === 'failed' || outcome.status === 'timed-out') && outcome.handled !== true) {
      return { status: 'failed', reason: `${step.name}: ${outcome.message ?? outcome.status}` };
    }
  }
  powered();
  if (ctx.dryRun) return { status: 'planned' };
  return { status: action === 'up' ? 'up' : 'down' };
}

/** Steps that run in the guest over SSH (the host's own shutdown included). */
const IN_GUEST = new Set<PlanStep['kind']>(['run', 'service', 'check', 'shutdown']);

async function runOne(run: HostRun, step: PlanStep, action: Action): Promise<StepOutcome | 'already'> {
  const { ctx, plan, host } = run;
  if (run.sshGone !== undefined && IN_GUEST.has(step.kind) && step.target.kind === 'host') {
    skipStep(ctx, plan, step, run.sshGone);
    return { status: 'skipped' };
  }
  switch (step.kind) {
    case 'power-state': {
      let state = 'unknown';
      const outcome = await runStep(ctx, plan, step, async () => {
        const read = await readPowerState(ctx, plan, host, step);
        state = read.state;
        return read.outcome;
      });
      run.wasOn = state === 'on';
      if (action === 'down' && state === 'off') return 'already';
      return outcome;
    }
    case 'power-on':
      if (run.wasOn) {
        skipStep(ctx, plan, step, 'already running');
        return { status: 'skipped' };
      }
      return runStep(ctx, plan, step, () => powerOn(ctx, plan, step));
    case 'wait-boot': {
      const outcome = await runStep(ctx, plan, step, async () => {
        const o = await waitBoot(ctx, plan, host, step);
        // It was running before this run and never answered: hung at boot, which only a reset ends.
        if (o.status === 'timed-out' && run.wasOn && step.reset) return { ...o, message: `${o.message ?? 'not booted'}; it was already running when this run began: if it hangs at boot, reset it (${step.reset.command} on ${step.reset.on}) and run again` };
        return o;
      });
      if (outcome.status === 'passed' && run.wasOn && (await alreadyUp(run))) return 'already';
      return outcome;
    }
    case 'run':
      return runStep(ctx, plan, step, async () => {
        const r = await execOn(ctx, plan, step, step.command, step.timeoutMs);
        // Going down, a guest that refuses SSH while the hypervisor says it runs is shutting down
        // already (an earlier run sent the shutdown): its guest steps cannot run; the wait decides.
        if (action === 'down' && run.wasOn && step.target.kind === 'host' && r.outcome === 'connect-failed' && r.connectError?.kind === 'unreachable' && host.driver !== 'none') {
          run.sshGone = `SSH does not answer (${r.connectError.message}): going down already; the wait until off decides`;
          ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${plan.name}: ${run.sshGone}` });
          return { status: 'skipped', message: run.sshGone };
        }
        return commandOutcome(r, step.timeoutMs);
      });
    case 'check':
      return runStep(ctx, plan, step, () => runCheck(ctx, plan, step));
    case 'service':
      return runStep(ctx, plan, step, () => runService(ctx, plan, step));
    case 'shutdown':
      run.shutdownAt = ctx.clock.now();
      return runStep(ctx, plan, step, () => shutdown(ctx, plan, step));
    case 'wait-off':
      return waitOffStep(run, step);
    case 'pair':
      throw new InternalError(`${plan.name} reached its pair step outside a pair run`);
    case 'force-off':
      if (run.offInTime && !ctx.dryRun) {
        skipStep(ctx, plan, step, 'not needed');
        return { status: 'skipped' };
      }
      return runStep(ctx, plan, step, async () => {
        ctx.emitter.emit({ type: 'warning', host: plan.name, message: `${plan.name} did not shut down within ${describeDuration(host.timeouts.shutdownMs)}; forcing the power off (${step.command})` });
        const killed = await forceOff(ctx, plan, step);
        if (killed.status !== 'passed') return killed;
        const waitStep = run.steps.find((s) => s.kind === 'wait-off');
        if (waitStep?.kind !== 'wait-off') return killed;
        const off = await waitOff(ctx, plan, host, waitStep, Math.min(60_000, host.timeouts.stepMs));
        return off.status === 'passed' ? { status: 'passed', message: 'forced off' } : off;
      });
  }
}

async function waitOffStep(run: HostRun, step: Extract<PlanStep, { kind: 'wait-off' }>): Promise<StepOutcome> {
  const { ctx, plan, host } = run;
  const hasForce = run.steps.some((s) => s.kind === 'force-off');
  const left = Math.max(step.pollMs, step.timeoutMs - (ctx.clock.now() - run.shutdownAt));
  const outcome = await runStep(ctx, plan, step, async () => {
    const off = await waitOff(ctx, plan, host, step, left);
    if (off.status === 'timed-out' && hasForce) return { ...off, handled: true };
    if (off.status === 'timed-out') {
      const why = host.driver === 'none' ? 'power driver none cannot force it off' : 'force_off is disabled';
      return { ...off, message: `${off.message ?? 'still on'}; ${why}` };
    }
    return off;
  });
  run.offInTime = outcome.status === 'passed' || outcome.status === 'planned';
  return outcome;
}

/** A running host is already up when it has checks and every one passes on the first try. */
async function alreadyUp(run: HostRun): Promise<boolean> {
  const { ctx, plan } = run;
  if (ctx.dryRun) return false;
  const rest = run.steps.slice(run.steps.findIndex((s) => s.kind === 'wait-boot') + 1);
  const checks = rest.filter((s): s is Extract<PlanStep, { kind: 'check' }> => s.kind === 'check');
  // A pair member is up only when its pair is: the pair runner decides that.
  if (rest.some((s) => s.kind === 'pair')) return false;
  // Without checks a running host may be half started; a resumed run knows it was up.
  if (rest.length > 0 && checks.length === 0) return ctx.resume?.reached.has(plan.name) === true;
  for (const check of checks) if (!(await probeCheck(ctx, plan.name, check))) return false;
  return true;
}
