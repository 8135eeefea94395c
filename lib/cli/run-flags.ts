/** The flags `up`, `down`, `failover`, `failback`, `apply` and `resume` share, and what they become. */
import type { FailurePolicy } from '../execution/index.js';
import type { RunCommandOptions } from './commands/run.js';
import { reportTargets } from './report-options.js';

export interface RunFlags {
  fleet?: string;
  sshConfig?: string;
  primary?: string[];
  limit?: string[];
  dryRun?: boolean;
  json?: boolean;
  verbose?: boolean;
  plain?: boolean;
  yes?: boolean;
  concurrency?: number;
  onFailure: FailurePolicy;
  junit?: string;
  report?: string;
}

/** `--limit PATTERN` of plan, up, down and check (docs/cli.md#limit); repeatable, each a comma-separated list. */
export const LIMIT_OPTION = [
  '-l, --limit <pattern>',
  'only these hosts: host or role names, globs (acd-jb*), role:NAME, host:NAME, !ITEM to leave out, comma-separated; up adds what they require, down what depends on them (repeatable)',
  (v: string, prev: string[] = []): string[] => [...prev, v],
] as const;
export const PLAIN = 'plain event lines even on a terminal (default there: a live view of the hosts, redrawn in place)';
export const YES = 'do not ask before going ahead (on a terminal it shows the plan and asks; without one it never asks)';

export function runArgs(action: 'up' | 'down', file: string | undefined, flags: RunFlags, stateDir: string, signal: AbortSignal): RunCommandOptions {
  return {
    action, file, stateDir, signal, fleet: flags.fleet, sshConfig: flags.sshConfig, primary: flags.primary, limit: flags.limit,
    dryRun: flags.dryRun === true, json: flags.json === true, verbose: flags.verbose === true, plain: flags.plain === true,
    confirm: action === 'down' && flags.yes !== true, concurrency: flags.concurrency, onFailure: flags.onFailure, reports: reportTargets(flags),
  };
}
