/**
 * Service control steps (lib/services): start, stop, restart, reload … with the semantics of
 * systemd, init.d scripts, daemontools and signals to a pidfile.
 */
import { InternalError } from '../errors.js';
import type { HostPlan, PlanStep } from '../plan/index.js';
import type { ExecContext } from './context.js';
import type { StepOutcome } from './step-runner.js';

export type ServiceStep = Extract<PlanStep, { kind: 'service' }>;

export function runService(_ctx: ExecContext, plan: HostPlan, step: ServiceStep): Promise<StepOutcome> {
  return Promise.reject(new InternalError(`service steps are being built (${plan.name}: ${step.name})`));
}
