/**
 * The steps of one host for `up` or `down`, with every command rendered for that host. Pure.
 *
 *   up:   power-state → power-on → wait-boot → each role (in dependency order): run…, check…
 *   down: power-state → each role (reverse order): run…, check… → shutdown → wait-off → force-off
 */
import { powerCommands, type Target } from '../power/index.js';
import { describeProbe, probeCommand } from '../checks/index.js';
import { serviceSummary } from '../services/index.js';
import { hostVars, needsMissingPartner, renderCheck, renderService, renderTemplate, type CheckSpec, type Host, type Role, type RolePhase, type StepSpec, type Topology } from '../topology/index.js';
import { compareNames } from '../util/names.js';
import type { Action, CheckPlan, PlanStep, SideOperation } from './model.js';

/** A rendered check as a plan step: its probe, its command and how it is tried (`timeoutMs` unless the check sets its own). */
export function checkPlan(c: CheckSpec, defaultTimeoutMs: number): CheckPlan & { timeoutMs: number } {
  const timeoutMs = c.timeoutMs ?? defaultTimeoutMs;
  const command = probeCommand(c.probe, c.local, timeoutMs);
  return {
    probe: c.probe, ...(command === undefined ? {} : { command }), describe: describeProbe(c.probe, c.local),
    attempts: c.attempts, intervalMs: c.intervalMs, timeoutMs,
    ...(c.deadlineMs === undefined ? {} : { deadlineMs: c.deadlineMs }), successes: c.successes,
  };
}

/**
 * A host's steps. With `pair`, the host belongs to that redundant pair: the roles the pair
 * replaces get no steps of their own, the procedure is joined at the end (`pair` step), and
 * going down the pair's procedure decides when the host shuts down (see shutdownSteps). With
 * `operation`, each role's failover steps come before its down steps, its failback steps after
 * its up steps.
 */
export function hostSteps(topology: Topology, host: Host, action: Action, pair?: { name: string; replaces: readonly string[] }, operation?: SideOperation): PlanStep[] {
  const skip = new Set(pair?.replaces ?? []);
  const steps = action === 'up' ? upSteps(topology, host, skip, operation) : downSteps(topology, host, skip, pair === undefined, operation);
  if (pair) steps.push({ id: `${host.name}/${pair.name}`, name: `${pair.name} pair procedure`, kind: 'pair', pair: pair.name, target: self(host), timeoutMs: 0 });
  return steps;
}

const self = (host: Host): Target => ({ kind: 'host', host: host.name });

function upSteps(topology: Topology, host: Host, skip: ReadonlySet<string>, operation?: SideOperation): PlanStep[] {
  const steps: PlanStep[] = [];
  const power = powerCommands(host, hostVars(topology, host));
  const t = host.timeouts;
  if (power) {
    if (power.state !== undefined) steps.push({ id: `${host.name}/power-state`, name: 'power state', kind: 'power-state', target: power.target, command: power.state, ...(power.list ? { list: power.list } : {}), timeoutMs: t.stepMs });
    steps.push({ id: `${host.name}/power-on`, name: 'power on', kind: 'power-on', target: power.target, command: power.on, timeoutMs: t.stepMs });
  } else {
    steps.push({ id: `${host.name}/power-state`, name: 'reachable', kind: 'power-state', target: self(host), timeoutMs: t.connectMs });
  }
  steps.push({
    id: `${host.name}/wait-boot`, name: 'wait for boot', kind: 'wait-boot', target: self(host),
    ...(host.bootCheck === 'systemd' ? { command: 'systemctl is-system-running' } : {}),
    timeoutMs: t.bootMs, pollMs: t.pollMs,
    // Named in the failure of a VM that runs but never boots: the way back an operator takes.
    ...(power?.reset !== undefined && power.target.kind === 'hypervisor' ? { reset: { command: power.reset, on: power.target.name } } : {}),
  });
  for (const role of orderedRoles(topology, host)) {
    if (skip.has(role.name)) continue;
    steps.push(...phaseSteps(topology, host, role, role.up));
    if (operation === 'failback') steps.push(...phaseSteps(topology, host, role, role.failback, 'failback'));
  }
  return steps;
}

function downSteps(topology: Topology, host: Host, skip: ReadonlySet<string>, withShutdown: boolean, operation?: SideOperation): PlanStep[] {
  const steps: PlanStep[] = [];
  const power = powerCommands(host, hostVars(topology, host));
  const t = host.timeouts;
  steps.push(power?.state !== undefined
    ? { id: `${host.name}/power-state`, name: 'power state', kind: 'power-state', target: power.target, command: power.state, ...(power.list ? { list: power.list } : {}), timeoutMs: t.stepMs }
    : { id: `${host.name}/power-state`, name: 'reachable', kind: 'power-state', target: self(host), timeoutMs: t.connectMs });
  for (const role of orderedRoles(topology, host).reverse()) {
    if (skip.has(role.name)) continue;
    if (operation === 'failover') steps.push(...phaseSteps(topology, host, role, role.failover, 'failover'));
    steps.push(...phaseSteps(topology, host, role, role.down));
  }
  if (withShutdown) steps.push(...shutdownSteps(topology, host));
  return steps;
}

/** Graceful shutdown, wait until off, and (if allowed) forced power-off. */
export function shutdownSteps(topology: Topology, host: Host): PlanStep[] {
  const steps: PlanStep[] = [];
  const power = powerCommands(host, hostVars(topology, host));
  const t = host.timeouts;
  const viaHypervisor = host.power.driver !== 'none' && host.power.shutdown === 'hypervisor' && power?.off !== undefined;
  steps.push(viaHypervisor && power?.off !== undefined
    ? { id: `${host.name}/shutdown`, name: 'shutdown', kind: 'shutdown', mode: 'hypervisor', target: power.target, command: power.off, timeoutMs: t.shutdownMs }
    : { id: `${host.name}/shutdown`, name: 'shutdown', kind: 'shutdown', mode: 'guest', target: self(host), command: host.ssh.user === 'root' ? 'systemctl poweroff' : 'sudo -n systemctl poweroff', timeoutMs: t.stepMs });
  steps.push({
    id: `${host.name}/wait-off`, name: 'wait until off', kind: 'wait-off', target: power?.state !== undefined ? power.target : self(host),
    ...(power?.list !== undefined ? { command: power.list.command, vm: power.list.vm, ...(power.state === undefined ? {} : { fallback: power.state }) } : power?.state !== undefined ? { command: power.state } : {}),
    timeoutMs: t.shutdownMs, pollMs: t.pollMs,
  });
  const forceOff = host.power.driver !== 'none' && host.power.forceOff;
  if (forceOff && power?.kill !== undefined) {
    steps.push({ id: `${host.name}/force-off`, name: 'force off', kind: 'force-off', target: power.target, command: power.kill, timeoutMs: t.stepMs });
  }
  return steps;
}

/** A role's steps and checks for one phase; failover and failback steps get the phase in their id. */
function phaseSteps(topology: Topology, host: Host, role: Role, phase: RolePhase, label?: SideOperation): PlanStep[] {
  const vars = hostVars(topology, host, role);
  const prefix = `${host.name}/${role.name}/${label === undefined ? '' : `${label}/`}`;
  // A failover or failback step that needs a partner is left out where the host has none.
  const runs = (spec: StepSpec | CheckSpec): boolean => label === undefined || !needsMissingPartner(spec, vars);
  const render = (text: string): string => renderTemplate(text, vars);
  const where = (local: boolean): Target => (local ? { kind: 'local' } : self(host));
  const steps: PlanStep[] = phase.steps.filter(runs).map((s): PlanStep => {
    const base = { id: `${prefix}${s.name}`, name: s.name, role: role.name, target: where(s.local), timeoutMs: s.timeoutMs ?? host.timeouts.stepMs };
    if (!s.service) return { ...base, kind: 'run', command: render(s.run), safeToRepeat: s.safeToRepeat };
    const rendered = renderService(s.service, vars);
    // The health check's timeout is settled here, where the host's default is known.
    const service = rendered.health ? { ...rendered, health: { ...rendered.health, timeoutMs: rendered.health.timeoutMs ?? host.timeouts.checkMs } } : rendered;
    const h = service.health;
    // The health check as the run tries it, rendered here like any check.
    const check = h && h.attempts > 0 ? checkPlan(h, h.timeoutMs ?? host.timeouts.checkMs) : undefined;
    return { ...base, kind: 'service', service, command: serviceSummary(service), ...(check ? { check } : {}) };
  });
  for (const c of phase.checks) {
    if (c.attempts === 0 || !runs(c)) continue;
    steps.push({ id: `${prefix}${c.name}`, name: c.name, kind: 'check', role: role.name, target: where(c.local), ...checkPlan(renderCheck(c, vars), host.timeouts.checkMs) });
  }
  return steps;
}

/** The host's roles in dependency order (a role after the roles on the same host it depends on). */
export function orderedRoles(topology: Topology, host: Host): Role[] {
  const roles = host.roles.map((r) => topology.roles.get(r)).filter((r): r is Role => r !== undefined);
  const names = new Set(roles.map((r) => r.name));
  const done = new Set<string>();
  const out: Role[] = [];
  const visit = (role: Role): void => {
    if (done.has(role.name)) return;
    done.add(role.name);
    const deps = [...role.requires, ...role.after].map((d) => d.name).filter((n) => names.has(n)).sort(compareNames);
    for (const d of deps) {
      const dep = topology.roles.get(d);
      if (dep) visit(dep);
    }
    out.push(role);
  };
  roles.forEach(visit);
  return out;
}
