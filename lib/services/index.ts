/** Service managers: their commands, how their answers read, how they stop and start. Pure. */
export { countFailure, MAX_ROUNDS, NO_FAILURES, singleAction, type RestartCount, type SingleAction } from './actions.js';
export { alivePidfile, downFile, firstCommand, initd, initScript, PIDFILE_SIGNALS, restartsByStopStart, serviceSummary, signalPidfile, startLimitBurst, svc, SVC_FLAGS, svstat, systemctl, systemctlKill } from './commands.js';
export {
  FORCE_WAIT_MS, isStart, POLL_MS, probeCommand, readState, START_WAIT_MS, serviceTimes, startedVerb, startLimitCap, startPlan, stopPlan,
  type ServiceState, type ServiceTimes, type StartPlan, type StopPlan, type StopStage,
} from './control.js';
export { parseStartLimitBurst, parseSvstat, type Svstat } from './status.js';
