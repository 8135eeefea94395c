/**
 * Which steps of a plan are safe to run again after they ran, or were cut off half-way (resume):
 * reads, waits and checks; power and shutdown steps (each follows a power-state read, and is
 * skipped when the host already is where it should be); service steps (they act only when the
 * service is not yet in the state asked); the pair procedures' steps (DRBD and Pacemaker commands
 * that are no-ops when done, `drbdadm up`/`down` skipped when already so); and `run` steps whose
 * playbook says `safe_to_repeat: true`. Everything else is not. Pure.
 */
import type { Plan, PlanStep } from './model.js';

export function safeToRepeat(step: PlanStep): boolean {
  return step.kind !== 'run' || step.safeToRepeat;
}

/** The plan's steps that are not safe to repeat, by id (the id events give them). */
export function unsafeSteps(plan: Plan): Map<string, PlanStep> {
  const out = new Map<string, PlanStep>();
  const add = (steps: readonly PlanStep[]): void => {
    for (const s of steps) if (!safeToRepeat(s)) out.set(s.id, s);
  };
  for (const h of plan.hosts) add(h.steps);
  for (const p of plan.pairs) for (const steps of Object.values(p.shutdown)) add(steps);
  return out;
}
