/**
 * `orchestrate failover TOPOLOGY --side S` / `orchestrate failback TOPOLOGY --side S`: take one
 * side out of service while the others keep it running, and bring it back (docs/redundancy.md).
 * A refusal (exit 3) names each failed check and changed nothing.
 */
import type { SideOperation } from '../../plan/index.js';
import { executePlan } from '../execute.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { makePlan } from '../make-plan.js';
import type { SessionOptions } from '../run-session.js';

export interface SideCommandOptions extends SessionOptions {
  readonly operation: SideOperation;
  readonly file: string;
  readonly side: string;
  readonly fleet?: string | undefined;
  /** `-F FILE`: the ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config (`none`: none). */
  readonly sshConfig?: string | undefined;
}

export async function sideCommand(options: SideCommandOptions, io: CliIO): Promise<number> {
  const loaded = loadOrFail(options.file, io, { fleet: options.fleet, ssh: { file: options.sshConfig } });
  const plan = makePlan(loaded, { action: options.operation, side: options.side, stateDir: options.stateDir, file: options.file });
  return executePlan(plan, options, io);
}
