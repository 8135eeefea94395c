/** Service managers: their commands and how their status output reads. Pure. */
export { alivePidfile, firstCommand, initd, initScript, PIDFILE_SIGNALS, serviceSummary, signalPidfile, startLimitBurst, svc, SVC_FLAGS, svstat, systemctl } from './commands.js';
export { parseStartLimitBurst, parseSvstat, type Svstat } from './status.js';
