export { endpointOf, targetLabel, type ExecContext, type FailurePolicy, type ResumeFrom, type RunOptions } from './context.js';
export { runPlan } from './run-plan.js';
export { REACHED } from './scheduler.js';
export { runSideOperation, type SideRecord, type SideRunOptions } from './side-run.js';
export { checkPlatform, type CheckOptions, type CheckReport } from './check-run.js';
export type { HealthResult } from './health.js';
