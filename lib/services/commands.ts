/**
 * The commands of each service manager, as operators type them: systemctl, /etc/init.d scripts,
 * daemontools' svc and svstat, and signals to the pid in a pidfile (pkill/pgrep -F, procps).
 * Pure.
 */
import type { ServiceSpec } from '../topology/index.js';
import { describeDuration } from '../util/duration.js';
import { shellJoin } from '../util/shell.js';

/** An init script: a name in /etc/init.d, or a path. */
export const initScript = (target: string): string => (target.includes('/') ? target : `/etc/init.d/${target}`);

export const systemctl = (verb: string, unit: string): string => shellJoin(['systemctl', verb, unit]);
/** Signals every process of the unit (the forced stop of a unit). */
export const systemctlKill = (signal: string, unit: string): string => shellJoin(['systemctl', 'kill', '-s', signal, unit]);
export const initd = (target: string, verb: string): string => shellJoin([initScript(target), verb]);
export const svc = (flag: string, dir: string): string => shellJoin(['svc', flag, dir]);
export const svstat = (dir: string): string => shellJoin(['svstat', dir]);
/** Sends a signal to the process whose pid is in the file; exit 1 when none runs. */
export const signalPidfile = (signal: string, pidfile: string): string => shellJoin(['pkill', `-${signal}`, '-F', pidfile]);
/** Exit 0 while the process in the pidfile runs. */
export const alivePidfile = (pidfile: string): string => shellJoin(['pgrep', '-F', pidfile]);
export const startLimitBurst = (unit: string): string => shellJoin(['systemctl', 'show', '-p', 'StartLimitBurst', unit]);
/** daemontools: the `down` file keeps supervise from starting the service when it starts (at boot). */
export const downFile = (dir: string): string => `${dir.replace(/\/+$/, '')}/down`;

const SVC_FLAGS: Readonly<Record<string, string>> = { start: '-u', stop: '-d', once: '-o', reload: '-h', restart: '-t', kill: '-k' };
const PIDFILE_SIGNALS: Readonly<Record<string, string>> = { reload: 'HUP', reopen: 'USR1' };

/** Do this manager's restarts stop and start (daemontools, pidfile) rather than run a restart verb? */
export const restartsByStopStart = (s: ServiceSpec): boolean => s.manager === 'daemontools' || s.manager === 'pidfile';

/** The command that does the action (what a plan shows); a probe of the state comes first, see lib/execution/service-step.ts. */
export function firstCommand(s: ServiceSpec): string {
  switch (s.manager) {
    case 'systemd':
      return s.action === 'status' ? systemctl('is-active', s.target) : systemctl(s.action, s.target);
    case 'initd':
      return initd(s.target, s.action === 'stop' ? s.graceful : s.action);
    case 'daemontools':
      if (s.action === 'status') return svstat(s.target);
      if (s.action === 'enable') return shellJoin(['rm', '-f', downFile(s.target)]);
      if (s.action === 'disable') return shellJoin(['touch', downFile(s.target)]);
      if (s.action === 'restart') return svc('-d', s.target);
      return svc(SVC_FLAGS[s.action] ?? '-u', s.target);
    case 'pidfile':
      if (s.action === 'status') return alivePidfile(s.target);
      if (s.action === 'start') return s.command ?? '';
      if (s.action === 'stop' || s.action === 'restart') return signalPidfile(s.signal, s.target);
      return signalPidfile(PIDFILE_SIGNALS[s.action] ?? 'HUP', s.target);
  }
}

export { PIDFILE_SIGNALS, SVC_FLAGS };

/** One line for plans and dry runs: what the step does, with its health check and policies. */
export function serviceSummary(s: ServiceSpec): string {
  const parts = [firstCommand(s)];
  if (s.action === 'restart' && restartsByStopStart(s)) parts[0] = `${firstCommand(s)}, then ${s.manager === 'pidfile' ? (s.command ?? '') : svc('-u', s.target)}`;
  const starts = s.action === 'start' || s.action === 'restart' || s.action === 'once';
  if (s.action === 'stop' || (s.action === 'restart' && restartsByStopStart(s))) parts.push(`graceful for ${describeDuration(s.graceMs)}, then forced`);
  if (starts && s.health && s.health.attempts > 0) parts.push(s.health.name === 'health' ? 'health check' : `health: ${s.health.name}`);
  if (starts && s.restart.attempts > 1) parts.push(`up to ${s.restart.attempts} attempts`);
  return parts.join('  # ');
}
