/**
 * Runs a plan: the one way `up`, `down`, `failover`, `failback` and `apply` reach the executor.
 * It hands the executor the plan and the run options, nothing else; what the state directory
 * knows (the side a failover took down, each pair's last primary) goes in as options.
 */
import { runPlan, runSideOperation } from '../execution/index.js';
import path from 'node:path';
import { planDocumentText, type Plan } from '../plan/index.js';
import { livePlanOf, planLinks } from '../reporters/index.js';
import { confirmPlan } from './confirm.js';
import type { CliIO } from './io.js';
import { markFleetRun } from './fleet-run-mark.js';
import { sha256 } from './load.js';
import { runSession, type SessionOptions } from './run-session.js';
import { runSecrets } from './secrets.js';
import { readSideDown, writeSideDown } from './state.js';
import { Secrets } from '../util/secrets.js';

/** The simulated fleet a plan was made for: the directory of the fleet.json among its sources. */
function fleetOf(plan: Plan): string | undefined {
  const overlay = plan.sources.find((s) => path.basename(s.file) === 'fleet.json');
  return overlay === undefined ? undefined : path.dirname(overlay.file);
}

export async function executePlan(plan: Plan, given: SessionOptions, io: CliIO): Promise<number> {
  // Asked before anything is read, locked or journaled: a no leaves no trace.
  if (given.confirm === true && !given.dryRun) await confirmPlan(plan, io, given.signal);
  // The plan is saved beside the journal (resume continues it) and named in its header by hash.
  const planText = given.dryRun ? undefined : `${[...planDocumentText(plan)].join('\n')}\n`;
  const fleet = given.fleet ?? fleetOf(plan);
  // Read before anything is locked or journaled: a secret that cannot be read stops the run here.
  const secrets = planText === undefined ? (plan.secrets ? new Secrets() : undefined) : runSecrets(plan, planText, io, { dryRun: false });
  const options: SessionOptions = {
    ...given, livePlan: livePlanOf(plan), ...(fleet === undefined ? {} : { fleet }), ...(secrets ? { secrets } : {}), links: planLinks(plan),
    ...(planText === undefined ? {} : { planText, planHash: sha256(planText) }),
    ...(fleet === undefined ? {} : { onRunStart: (run: string) => markFleetRun(path.resolve(io.cwd, fleet), { action: plan.action, run, side: plan.side?.side }, io) }),
  };
  if (plan.action === 'up' && !options.dryRun) {
    const sideDown = readSideDown(options.stateDir, plan.topology);
    if (sideDown) io.err(`note: side ${sideDown.side} was taken down by a failover (${sideDown.since}); up boots its hosts but leaves their cluster nodes in standby. To bring it back properly: orchestrate failback ${plan.file} --side ${sideDown.side}`);
  }
  if (plan.action === 'failover' || plan.action === 'failback') {
    const recorded = readSideDown(options.stateDir, plan.topology);
    return runSession(plan.topology, options, io, (run) => runSideOperation(plan, {
      ...run,
      ...(recorded ? { recorded } : {}),
      record: (down) => writeSideDown(options.stateDir, plan.topology, down),
    }));
  }
  return runSession(plan.topology, options, io, (run) => runPlan(plan, run));
}
