/**
 * The actions that run one command (reload, reopen, kill, enable, disable, an init script's own
 * verbs) and the restart policy's count of failed starts. Pure.
 */
import type { ServiceSpec } from '../topology/index.js';
import { own } from '../util/own.js';
import { shellJoin } from '../util/shell.js';
import { downFile, initd, initScript, PIDFILE_SIGNALS, signalPidfile, svc, systemctl } from './commands.js';

/** A one-command action: the command, and what a success says. */
export interface SingleAction {
  readonly command: string;
  readonly done: string;
}

/** The one command of an action that is neither a start, a stop nor a status. */
export function singleAction(s: ServiceSpec): SingleAction {
  switch (s.manager) {
    case 'systemd':
      return { command: systemctl(s.action, s.target), done: `${s.action === 'reload' ? 'reloaded' : 'ran'} (systemctl ${s.action})` };
    case 'initd':
      return { command: initd(s.target, s.action), done: s.action === 'reload' ? `reloaded (${initScript(s.target)} reload)` : `ran ${initScript(s.target)} ${s.action}` };
    case 'daemontools':
      switch (s.action) {
        case 'enable':
          return { command: shellJoin(['rm', '-f', downFile(s.target)]), done: `enabled: removed ${downFile(s.target)} (supervise starts it when it starts)` };
        case 'disable':
          return { command: shellJoin(['touch', downFile(s.target)]), done: `disabled: created ${downFile(s.target)} (supervise does not start it when it starts; running or not is unchanged)` };
        case 'kill':
          return { command: svc('-k', s.target), done: 'sent KILL (svc -k); supervise starts it again unless it is wanted down' };
        default:
          return { command: svc('-h', s.target), done: 'reloaded: sent HUP (svc -h)' };
      }
    case 'pidfile': {
      const signal = own(PIDFILE_SIGNALS, s.action) ?? 'HUP';
      return { command: signalPidfile(signal, s.target), done: `${s.action === 'reopen' ? 'reopened its files' : 'reloaded'}: sent ${signal} to the pid in ${s.target}` };
    }
  }
}

/** Where the restart policy stands: failed starts counted in the current window. */
export interface RestartCount {
  /** Failures counted: the step gives up when this reaches the attempts allowed. */
  readonly streak: number;
  readonly lastFailureAt?: number;
  /** A failure came more than the window after the one before, and the count started again. */
  readonly restarted: boolean;
}

export const NO_FAILURES: RestartCount = { streak: 0, restarted: false };

/** However far apart the failures, one step makes at most this many times the attempts allowed. */
export const MAX_ROUNDS = 3;

/** Counts a failure at `now`: the count starts again when the previous failure is more than `windowMs` ago. */
export function countFailure(c: RestartCount, now: number, windowMs: number): RestartCount {
  const fresh = c.lastFailureAt !== undefined && now - c.lastFailureAt > windowMs;
  return { streak: fresh ? 1 : c.streak + 1, lastFailureAt: now, restarted: c.restarted || fresh };
}
