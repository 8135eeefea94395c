/** Service managers: their commands, how their answers read, how they stop and start. Pure. */
export { countFailure, MAX_ROUNDS, NO_FAILURES, singleAction, type RestartCount, type SingleAction } from './actions.js';
export { initScript, startLimitBurst } from './commands.js';
export { serviceSummary } from './summary.js';
export {
  isStart, probeCommand, readState, serviceTimes, startedVerb, startLimitCap, startPlan, stopPlan,
  type ServiceState, type ServiceTimes, type StartPlan, type StopPlan, type StopStage,
} from './control.js';
export { parseStartLimitBurst, parseSvstat, type Svstat } from './status.js';
