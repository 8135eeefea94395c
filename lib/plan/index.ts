export { buildPlan, planOutline, waitsFor, type PlanOptions, type PlanOutline } from './build.js';
export { checkPlan, hostSteps, orderedRoles } from './host-steps.js';
export { planDocument, planDocumentText, type PlanDocument } from './document.js';
export type { Action, CheckPlan, HostPlan, KnownPrimary, PairPlan, Plan, PlanStep, SideOperation, StepKind } from './model.js';
export { planWaves } from './waves.js';
export { sidesOf, splitSides, type SidePair, type SideSplit } from './sides.js';
