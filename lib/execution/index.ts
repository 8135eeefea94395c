export { endpointOf, targetLabel, type ExecContext, type FailurePolicy, type RunOptions } from './context.js';
export { runPlan } from './run-plan.js';
export { runSideOperation, type SideRecord, type SideRunOptions } from './side-run.js';
