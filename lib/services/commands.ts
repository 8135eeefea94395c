/**
 * The commands of each service manager, as operators type them: systemctl, /etc/init.d scripts,
 * daemontools' svc and svstat, and signals to the pid in a pidfile (pkill/pgrep -F, procps).
 * Pure.
 */
import type { ServiceSpec } from '../topology/index.js';
import { shellJoin } from '../util/shell.js';

/** An init script: a name in /etc/init.d, or a path. */
export const initScript = (target: string): string => (target.includes('/') ? target : `/etc/init.d/${target}`);

export const systemctl = (verb: string, unit: string): string => shellJoin(['systemctl', verb, unit]);
export const initd = (target: string, verb: string): string => shellJoin([initScript(target), verb]);
export const svc = (flag: string, dir: string): string => shellJoin(['svc', flag, dir]);
export const svstat = (dir: string): string => shellJoin(['svstat', dir]);
/** Sends a signal to the process whose pid is in the file; exit 1 when none runs. */
export const signalPidfile = (signal: string, pidfile: string): string => shellJoin(['pkill', `-${signal}`, '-F', pidfile]);
/** Exit 0 while the process in the pidfile runs. */
export const alivePidfile = (pidfile: string): string => shellJoin(['pgrep', '-F', pidfile]);
export const startLimitBurst = (unit: string): string => shellJoin(['systemctl', 'show', '-p', 'StartLimitBurst', unit]);

const SVC_FLAGS: Readonly<Record<string, string>> = { start: '-u', stop: '-d', once: '-o', reload: '-h', restart: '-t', kill: '-k' };
const PIDFILE_SIGNALS: Readonly<Record<string, string>> = { reload: 'HUP', reopen: 'USR1' };

/** The first command an action runs (what a plan shows); the rest follows from what it finds. */
export function firstCommand(s: ServiceSpec): string {
  switch (s.manager) {
    case 'systemd':
      return s.action === 'status' ? systemctl('is-active', s.target) : systemctl(s.action, s.target);
    case 'initd':
      return initd(s.target, s.action === 'stop' ? s.graceful : s.action);
    case 'daemontools':
      if (s.action === 'status') return svstat(s.target);
      if (s.action === 'enable') return shellJoin(['rm', '-f', `${s.target}/down`]);
      if (s.action === 'disable') return shellJoin(['touch', `${s.target}/down`]);
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
  const starts = s.action === 'start' || s.action === 'restart' || s.action === 'once';
  if (s.action === 'stop') parts.push(`graceful for ${Math.round(s.graceMs / 100) / 10}s, then forced`);
  if (starts && s.restart.attempts > 1) parts.push(`up to ${s.restart.attempts} attempts`);
  return parts.join('  # ');
}
