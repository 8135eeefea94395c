/**
 * The commands of each service manager, as operators type them: systemctl, /etc/init.d scripts,
 * daemontools' svc and svstat, and signals to the pid in a pidfile (pkill/pgrep -F, procps).
 * Pure.
 */
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

/** The signal each one-signal pidfile action sends. */
export const PIDFILE_SIGNALS: Readonly<Record<string, string>> = { reload: 'HUP', reopen: 'USR1' };
