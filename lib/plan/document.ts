/**
 * The `plan --json` document: a stable, versioned contract (docs/plan-json.md). Field order is
 * fixed so the output diffs cleanly between runs. Pure.
 */
import type { PairPlan, Plan, PlanStep } from './model.js';

export interface PlanDocument {
  readonly version: 1;
  readonly action: Plan['action'];
  readonly waves: readonly (readonly string[])[];
  readonly topology: string;
  readonly file: string;
  /** Commands run at once; null: no limit. */
  readonly concurrency: number | null;
  readonly hosts: readonly {
    readonly name: string;
    readonly address: string;
    readonly roles: readonly string[];
    readonly wave: number;
    readonly waitsFor: readonly { readonly host: string; readonly kind: string; readonly reasons: readonly string[] }[];
    readonly steps: readonly PlanStep[];
  }[];
  /** Redundant pairs and their procedures (steps say `on: primary|secondary`). */
  readonly pairs: readonly Omit<PairPlan, 'shutdown'>[];
}

export function planDocument(plan: Plan): PlanDocument {
  return {
    version: 1,
    action: plan.action,
    waves: plan.waves,
    topology: plan.topology,
    file: plan.file,
    concurrency: Number.isFinite(plan.concurrency) ? plan.concurrency : null,
    hosts: plan.hosts.map((h) => ({
      name: h.name,
      address: h.address,
      roles: h.roles,
      wave: h.wave,
      waitsFor: h.waitsFor.map((l) => ({ host: l.host, kind: l.kind, reasons: l.reasons })),
      steps: h.steps.map(orderStep),
    })),
    pairs: plan.pairs.map(({ shutdown: _shutdown, ...p }) => p),
  };
}

/** id, kind, name, role, target, command first; the kind's own fields after. */
function orderStep(step: PlanStep): PlanStep {
  const { id, kind, name, role, target, ...rest } = step;
  return { id, kind, name, ...(role === undefined ? {} : { role }), target, ...rest } as PlanStep;
}
