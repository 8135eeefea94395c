/**
 * `orchestrate plan TOPOLOGY [--action up|down|failover|failback|check] [--side S] [--json] [-o FILE]`:
 * what a command would do, in order, as text or as the plan document; `-o` saves the document
 * for `orchestrate apply`.
 */
import path from 'node:path';
import { CliError } from '../../errors.js';
import { planDocumentText, type PlanAction } from '../../plan/index.js';
import { formatPlan } from '../../reporters/index.js';
import { EXIT } from '../exit.js';
import type { CliIO } from '../io.js';
import { formatConnections } from '../connections-text.js';
import { loadOrFail, sha256 } from '../load.js';
import { makePlan } from '../make-plan.js';
import { PUBLIC, writeFileSafe } from '../../util/safe-write.js';

export interface PlanCommandOptions {
  readonly action: PlanAction;
  readonly side?: string | undefined;
  readonly hosts?: readonly string[];
  readonly roles?: readonly string[];
  /** --limit PATTERN, repeatable. */
  readonly limit?: readonly string[] | undefined;
  readonly json: boolean;
  /** Write the plan document to this file. */
  readonly output?: string | undefined;
  readonly fleet?: string | undefined;
  /** `-F FILE`: the ssh_config file to read instead of ~/.ssh/config and /etc/ssh/ssh_config (`none`: none). */
  readonly sshConfig?: string | undefined;
  readonly stateDir: string;
  readonly primary?: readonly string[] | undefined;
}

export function planCommand(file: string, options: PlanCommandOptions, io: CliIO): number {
  const loaded = loadOrFail(file, io, { fleet: options.fleet, ssh: { file: options.sshConfig } });
  const req = { action: options.action, side: options.side, hosts: options.hosts ?? [], roles: options.roles ?? [], limit: options.limit, primary: options.primary, stateDir: options.stateDir, file };
  if (options.output !== undefined) {
    const plan = makePlan(loaded, req);
    const text = `${[...planDocumentText(plan)].join('\n')}\n`;
    const target = path.resolve(io.cwd, options.output);
    try {
      // 0644: a plan holds no secret values ({{secret:NAME}} placeholders), and is meant to be reviewed.
      writeFileSafe(target, text, PUBLIC);
    } catch (e) {
      throw new CliError(`cannot write the plan to ${options.output}: ${(e as Error).message}`, { exitCode: EXIT.invalid });
    }
    io.err(`plan written to ${options.output} (${plan.action}${plan.side ? ` side ${plan.side.side}` : ''} ${plan.topology}, ${plan.hosts.length || plan.health?.hosts.length || 0} hosts, sha256 ${sha256(text).slice(0, 12)}); run it with: orchestrate apply ${options.output}`);
    if (!options.json) for (const line of formatPlan(plan, io.style)) io.out(line);
    else io.out(text.trimEnd());
    return EXIT.ok;
  }
  // The JSON document of up and down is written host by host, each host planned only when its turn comes.
  if (options.json) for (const chunk of planDocumentText(makePlan(loaded, req, true))) io.out(chunk);
  else {
    const plan = makePlan(loaded, req);
    for (const line of formatPlan(plan, io.style)) io.out(line);
    for (const line of formatConnections(plan, io.style)) io.out(line);
  }
  return EXIT.ok;
}
