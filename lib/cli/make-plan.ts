/**
 * Every command that runs is first a plan: this makes it from a loaded topology (`plan`, `up`,
 * `down`, `failover`, `failback`, `check` all come through here, so what `plan` shows is what runs).
 */
import { CliError } from '../errors.js';
import { buildPlan, checkPlanOf, limitHosts, planOutline, sideOperationPlan, sidesOf, type LimitResult, type Plan, type PlanAction, type PlanOutline } from '../plan/index.js';
import { didYouMean } from '../util/suggest.js';
import { EXIT } from './exit.js';
import type { Loaded } from './load.js';
import { knownPrimaries } from './primaries.js';

export interface PlanRequest {
  readonly action: PlanAction;
  /** failover, failback: the side. */
  readonly side?: string | undefined;
  /** check: only these hosts, and the hosts of these roles (default: all). */
  readonly hosts?: readonly string[];
  readonly roles?: readonly string[];
  /** up, down, check: --limit PATTERN (repeatable; each a comma-separated list). */
  readonly limit?: readonly string[] | undefined;
  /** up: --primary NODE, repeatable. */
  readonly primary?: readonly string[] | undefined;
  readonly stateDir: string;
  /** The file as the user wrote it, for messages. */
  readonly file: string;
}

function checkScope(loaded: Loaded, req: PlanRequest): string[] | undefined {
  const { topology } = loaded;
  const hosts = req.hosts ?? [];
  const roles = req.roles ?? [];
  const names = new Set(topology.hosts.map((h) => h.name));
  for (const h of hosts) if (!names.has(h)) throw new CliError(`no host '${h}' in ${req.file}${didYouMean(h, names)}`, { exitCode: EXIT.invalid });
  for (const r of roles) if (!topology.roles.has(r)) throw new CliError(`no role '${r}' in ${req.file}${didYouMean(r, topology.roles.keys())}`, { exitCode: EXIT.invalid });
  if (hosts.length + roles.length === 0) return undefined;
  return topology.hosts.filter((h) => hosts.includes(h.name) || h.roles.some((r) => roles.includes(r))).map((h) => h.name);
}

/** `--limit`, worked out by the plan core; a pattern that cannot be planned exits 2. */
function limitOf(loaded: Loaded, req: PlanRequest): Extract<LimitResult, { limit: unknown }> | undefined {
  if (req.limit === undefined || req.limit.length === 0) return undefined;
  const result = limitHosts(loaded.topology, loaded.graph, req.action, req.limit);
  if ('error' in result) throw new CliError(result.error, { exitCode: EXIT.invalid });
  return result;
}

/** The plan of `req`; `outline`: an up or down plan whose hosts are planned as they are read (plan --json of 10,000 hosts). */
export function makePlan(loaded: Loaded, req: PlanRequest): Plan;
export function makePlan(loaded: Loaded, req: PlanRequest, outline: true): Plan | PlanOutline;
export function makePlan(loaded: Loaded, req: PlanRequest, outline = false): Plan | PlanOutline {
  const { topology, graph, sources } = loaded;
  const limited = limitOf(loaded, req);
  switch (req.action) {
    case 'up':
    case 'down': {
      const options = { sources, ...(limited ? { limit: limited } : {}), ...(req.action === 'up' ? { primaries: knownPrimaries(topology, req) } : {}) };
      return outline ? planOutline(topology, graph, req.action, options) : buildPlan(topology, graph, req.action, options);
    }
    case 'check': {
      // As Ansible's play and --limit: --host and --role say what to check, --limit narrows it.
      const scope = checkScope(loaded, req);
      if (!limited) return checkPlanOf(topology, scope, { sources });
      const hosts = scope === undefined ? [...limited.limit.selected] : scope.filter((h) => limited.hosts.has(h));
      if (hosts.length === 0) throw new CliError(`--limit '${req.limit?.join(',') ?? ''}' leaves no host of --host/--role to check`, { exitCode: EXIT.invalid });
      return checkPlanOf(topology, hosts, { sources, limit: { ...limited.limit, selected: hosts } });
    }
    case 'failover':
    case 'failback': {
      if (req.side === undefined) throw new CliError(`${req.action} needs --side`, { exitCode: EXIT.invalid, suggestions: sidesOf(topology).map((s) => `orchestrate ${req.action} ${req.file} --side ${s}`) });
      const plan = sideOperationPlan(topology, graph, req.action, req.side, { sources });
      if ('error' in plan) throw new CliError(plan.error, { exitCode: EXIT.invalid, suggestions: sidesOf(topology).map((s) => `orchestrate ${req.action} ${req.file} --side ${s}`) });
      return plan;
    }
  }
}
