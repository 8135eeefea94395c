export { buildPlan, waitsFor, type PlanOptions } from './build.js';
export { orderedRoles } from './host-steps.js';
export { planDocument, type PlanDocument } from './document.js';
export type { Action, HostPlan, KnownPrimary, PairPlan, Plan, PlanStep, StepKind } from './model.js';
export { planWaves } from './waves.js';
