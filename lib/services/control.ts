/**
 * How each manager's service is looked at, stopped and started, as data: the probe of its state
 * and how its answer reads, the graceful stop and the stages that force it, the commands of a
 * start and of a start tried again. The executor (lib/execution/service-*.ts) runs them. Pure.
 */
import type { ServiceSpec } from '../topology/index.js';
import { alivePidfile, initd, initScript, signalPidfile, svc, svstat, systemctl, systemctlKill } from './commands.js';
import { parseSvstat } from './status.js';

/** What a probe of the state says. */
export interface ServiceState {
  /** false: the probe could not tell (daemontools: supervise not running). */
  readonly known: boolean;
  readonly running: boolean;
  /** Running long enough to count as started (daemontools: up for at least 1 s; others: running). */
  readonly settled: boolean;
  /** What was seen, for messages: `active`, `up (pid 1234) 5 seconds`, `running (pid 1234)`. */
  readonly text: string;
}

/** The command that tells the state: exit 0 (or `up`) while the service runs. */
export function probeCommand(s: ServiceSpec): string {
  switch (s.manager) {
    case 'systemd':
      return systemctl('is-active', s.target);
    case 'initd':
      return initd(s.target, 'status');
    case 'daemontools':
      return svstat(s.target);
    case 'pidfile':
      return alivePidfile(s.target);
  }
}

/** The first non-empty line, shortened. */
const firstLine = (text: string): string => (text.split('\n').map((l) => l.trim()).find((l) => l !== '') ?? '').slice(0, 120);

/** Reads the probe's answer (exit code and output of `probeCommand`). */
export function readState(s: ServiceSpec, out: { readonly exitCode: number | null; readonly stdout: string; readonly stderr: string }): ServiceState {
  const exit = out.exitCode ?? -1;
  const said = firstLine(out.stdout) || firstLine(out.stderr);
  switch (s.manager) {
    case 'systemd': {
      const text = firstLine(out.stdout) || `systemctl is-active exit ${exit}`;
      return { known: true, running: exit === 0, settled: exit === 0, text };
    }
    case 'initd':
      return { known: true, running: exit === 0, settled: exit === 0, text: said === '' ? `status exit ${exit}` : `${said} (status exit ${exit})` };
    case 'daemontools': {
      const st = parseSvstat(out.stdout) ?? parseSvstat(out.stderr);
      if (!st || st.state === 'unknown') return { known: false, running: false, settled: false, text: st?.text ?? (said || `svstat exit ${exit}`) };
      const up = st.state === 'up';
      return { known: true, running: up, settled: up && (st.seconds ?? 0) >= 1, text: st.text };
    }
    case 'pidfile': {
      if (exit === 0) return { known: true, running: true, settled: true, text: `running (pid ${firstLine(out.stdout) || '?'})` };
      const why = exit === 1 ? '' : ` (pgrep exit ${exit}${firstLine(out.stderr) ? `: ${firstLine(out.stderr)}` : ''})`;
      return { known: true, running: false, settled: false, text: `not running${why}` };
    }
  }
}

/** One command of a stop, and how messages name it (`svc -d`, `QUIT`, `/etc/init.d/srs grace`). */
export interface StopStage {
  readonly command: string;
  readonly label: string;
}

export interface StopPlan {
  /** Asks the service to stop; the stop is graceful if the service is gone within the grace. */
  readonly graceful: StopStage;
  /** Tried in order after the grace, each given ServiceTimes.forceMs to work. */
  readonly force: readonly StopStage[];
  /** Why the stop cannot be forced (no stages). */
  readonly cannotForce?: string;
}

/** The most time each forcing stage is given before the next (TERM → KILL) or before the stop fails. */
export const FORCE_WAIT_MS = 5000;
/** The most time a start may take to show the service running (svstat up for 1 s, pgrep alive, is-active, status 0). */
export const START_WAIT_MS = 10_000;
/** The longest pause between two probes of the state while waiting for a stop or a start. */
export const POLL_MS = 500;

/** How long the waits of one service step are. */
export interface ServiceTimes {
  /** Between two probes: 0.5 s, or the host's poll interval if shorter. */
  readonly pollMs: number;
  /** Each forcing stage: 5 s, or the grace if shorter. */
  readonly forceMs: number;
  /** Until a started service shows running: 10 s, or the step's timeout if shorter. */
  readonly startMs: number;
}

/**
 * The waits, from the topology's times (so that a faster simulated fleet, which scales the
 * topology's times, scales these too).
 */
export function serviceTimes(s: ServiceSpec, stepTimeoutMs: number, hostPollMs: number): ServiceTimes {
  return { pollMs: Math.max(10, Math.min(POLL_MS, hostPollMs)), forceMs: Math.min(FORCE_WAIT_MS, s.graceMs), startMs: Math.min(START_WAIT_MS, stepTimeoutMs) };
}

export function stopPlan(s: ServiceSpec): StopPlan {
  switch (s.manager) {
    case 'systemd':
      return { graceful: { command: systemctl('stop', s.target), label: 'systemctl stop' }, force: [{ command: systemctlKill('KILL', s.target), label: 'systemctl kill -s KILL' }] };
    case 'initd': {
      const graceful = { command: initd(s.target, s.graceful), label: `${initScript(s.target)} ${s.graceful}` };
      return s.killPidfile === undefined
        ? { graceful, force: [], cannotForce: 'there is no kill_pidfile to force it with' }
        : { graceful, force: [{ command: signalPidfile('KILL', s.killPidfile), label: `KILL to the pid in ${s.killPidfile}` }] };
    }
    case 'daemontools':
      return { graceful: { command: svc('-d', s.target), label: 'svc -d' }, force: [{ command: svc('-k', s.target), label: 'svc -k' }] };
    case 'pidfile': {
      const stage = (signal: string): StopStage => ({ command: signalPidfile(signal, s.target), label: signal });
      return { graceful: stage(s.signal), force: s.signal === 'TERM' ? [stage('KILL')] : [stage('TERM'), stage('KILL')] };
    }
  }
}

/** What one start attempt runs. */
export interface StartPlan {
  /** Run the stop (graceful, then forced) first. */
  readonly stopFirst: boolean;
  /** Run before the start, its exit ignored (systemd: reset-failed, so the start limit does not refuse). */
  readonly prepare?: string;
  readonly command: string;
}

/** The verb messages use for a successful start of this action. */
export const startedVerb = (action: string): string => (action === 'restart' ? 'restarted' : action === 'once' ? 'started once' : 'started');

/**
 * The first attempt runs the action's own command (systemctl restart, init.d restart; daemontools
 * and pidfile restarts stop, then start). An attempt after a failure stops what is there first:
 * systemd by `reset-failed` and `restart`, the others by their stop.
 */
export function startPlan(s: ServiceSpec, retry: boolean): StartPlan {
  const verb = s.action === 'restart' && !retry ? 'restart' : 'start';
  switch (s.manager) {
    case 'systemd':
      return retry ? { stopFirst: false, prepare: systemctl('reset-failed', s.target), command: systemctl('restart', s.target) } : { stopFirst: false, command: systemctl(verb, s.target) };
    case 'initd':
      return { stopFirst: retry, command: initd(s.target, verb) };
    case 'daemontools':
      return { stopFirst: retry || s.action === 'restart', command: svc(s.action === 'once' ? '-o' : '-u', s.target) };
    case 'pidfile':
      return { stopFirst: retry || s.action === 'restart', command: s.command ?? '' };
  }
}

/** Does a step of this action start the service (with the restart policy and the health check)? */
export const isStart = (action: string): boolean => action === 'start' || action === 'restart' || action === 'once';

/** The largest number of start attempts the unit's start limit allows: one below StartLimitBurst (undefined: no limit). */
export function startLimitCap(burst: number | undefined): number | undefined {
  return burst === undefined || burst < 1 ? undefined : Math.max(1, burst - 1);
}
