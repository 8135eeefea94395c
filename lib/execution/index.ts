export { endpointOf, targetLabel, type ExecContext, type FailurePolicy, type RunOptions } from './context.js';
export { runPlan } from './run-plan.js';
