/** `orchestrate plan` for people: waves, hosts, what each waits for, and every step with its command. */
import type { HostPlan, PairPlan, Plan, PlanStep } from '../plan/index.js';
import { targetLabel } from '../power/index.js';
import { describeDuration } from '../util/duration.js';
import { Secrets } from '../util/secrets.js';
import { continuityLines, healthLines, moveLines, planTitle } from './plan-extra-text.js';
import { limitLines } from './plan-limit-text.js';
import { NO_COLOURS, type Style } from './style.js';

/** The plan as text; a secret its commands carry (`{{secret:NAME}}`) reads `***`, as in every event. */
export function formatPlan(plan: Plan, s: Style = NO_COLOURS): string[] {
  return planLines(plan, s).map((line) => PLACEHOLDERS.mask(line));
}

/** Masks placeholders only: a plan never holds a secret's value. */
const PLACEHOLDERS = new Secrets();

function planLines(plan: Plan, s: Style): string[] {
  const limit = Number.isFinite(plan.concurrency) ? `up to ${plan.concurrency} commands at once` : 'no limit on commands at once';
  if (plan.action === 'check' && plan.health) {
    const n = plan.health.hosts.length;
    return [s.bold(planTitle(plan)) + ` (${plan.file}): ${n} host${n === 1 ? '' : 's'}, every check once, all at once (${limit})`, ...limitLines(plan, s), ...healthLines('checks', plan.health, s)];
  }
  const hostCount = plan.hosts.length;
  const lines = [
    s.bold(planTitle(plan)) + ` (${plan.file}): ${hostCount} host${hostCount === 1 ? '' : 's'} in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}, ${limit}`,
    s.dim(goesUp(plan)
      ? 'Each host starts as soon as what it waits for is ready; waves only group the output.'
      : 'Each host goes down once everything that depends on it is down; waves only group the output.'),
    ...limitLines(plan, s),
  ];
  const side = plan.side;
  if (side) {
    for (const w of side.warnings) lines.push(s.yellow(`warning: ${w.host === undefined ? '' : `${w.host}: `}${w.message}`));
    lines.push(...healthLines(plan.action === 'failover' ? 'preflight: the whole platform must be healthy, and no side down (one attempt each; any failure refuses, nothing changed)' : 'preflight: the staying side must carry the service (one attempt each; any failure refuses, nothing changed)', side.preflight, s));
    if (plan.action === 'failover') lines.push(...moveLines("move: the pairs' services go to the staying nodes", side.pairs, s));
    lines.push('', s.cyan(plan.action === 'failover' ? `shutdown: side ${side.side} in tier order` : `boot: side ${side.side} in tier order`));
  }
  plan.waves.forEach((wave, i) => {
    lines.push('', s.cyan(`wave ${i + 1}: ${wave.join(', ')}`));
    for (const host of plan.hosts.filter((h) => h.wave === i + 1)) lines.push(...hostLines(plan, host, s));
  });
  for (const pair of plan.pairs) lines.push('', ...pairLines(pair, s));
  for (const g of plan.gates) lines.push('', s.dim(`gate ${g.role}: its dependants start once ${g.min} of ${g.hosts.length} hosts are up (${g.hosts.join(', ')})`));
  if (side) {
    if (plan.action === 'failback') lines.push(...moveLines('rejoin: the returning nodes take part in their clusters again', side.pairs, s));
    if (side.health) lines.push(...healthLines('health: the whole platform is checked once more', side.health, s));
    lines.push(...continuityLines(side.continuity, s));
  }
  return lines;
}

/** Whether the plan's hosts go up (a value import of plan/ here would load it with every reporter: see startup.spec). */
const goesUp = (plan: Plan): boolean => plan.action !== 'down' && plan.action !== 'failover';

const PROCEDURE: Readonly<Record<PairPlan['procedure'], string>> = {
  'both-up': 'both nodes up, once both have booted',
  'one-up': 'one node up',
  'both-down': 'both nodes down',
  'one-down': 'one node down',
};

function pairLines(pair: PairPlan, s: Style): string[] {
  const what = [
    pair.drbd ? `DRBD ${pair.drbd.resource}, ${pair.drbd.mode}` : undefined,
    pair.pacemaker ? `Pacemaker${pair.pacemaker.resources.length > 0 ? `: ${pair.pacemaker.resources.join(', ')}` : ''}` : undefined,
  ].filter((x) => x !== undefined).join('; ');
  const source = { recorded: 'recorded: it went down last', option: 'given with --primary', staying: 'it keeps running' } as const;
  const primary = pair.primary
    ? `${pair.primary.host} (${source[pair.primary.source]})`
    : pair.procedure === 'both-up' && pair.drbd ? `not known: decided from the nodes (the resync source; with equal data ${pair.hosts[0]})` : `the node found active (${pair.hosts[0]} if none)`;
  const lines = [s.cyan(`pair ${pair.name}: ${pair.hosts.join(' + ')} (${what})`), `  primary: ${primary}`, pair.members.length === 2 ? `  procedure ${PROCEDURE[pair.procedure]} (a node already in the target state gets the one-node procedure):` : `  procedure ${PROCEDURE[pair.procedure]} (${pair.members.join(', ')}):`];
  pair.steps.forEach((step, i) => {
    const guard = step.kind === 'run' && step.unless !== undefined ? ` (skipped if already ${step.unless === 'drbd-up' ? 'up' : 'down'})` : '';
    const command = ('command' in step ? step.command : 'read' in step ? `reads: ${step.read}` : step.kind === 'shutdown' ? '(its shutdown steps)' : '') + guard;
    lines.push(`    ${String(i + 1).padStart(2)}. ${step.name.padEnd(36)} ${`on the ${step.on}`.padEnd(18)} ${command}`.trimEnd());
  });
  return lines;
}

function hostLines(plan: Plan, host: HostPlan, s: Style): string[] {
  const roles = host.roles.length > 0 ? ` [${host.roles.join(', ')}]` : '';
  const lines = [`  ${s.bold(host.name)} ${host.address}${roles}`];
  for (const link of host.waitsFor) {
    const up = goesUp(plan);
    const what = !up ? 'down' : link.kind === 'after' ? 'started' : 'up';
    lines.push(s.dim(`    waits for ${link.host} ${what}${up ? ` (${link.reasons.join('; ')})` : ''}`));
  }
  host.steps.forEach((step, i) => {
    lines.push(`    ${String(i + 1).padStart(2)}. ${stepName(step).padEnd(30)} ${'command' in step && step.command !== undefined ? step.command : ''}`.trimEnd());
    const note = stepNote(step);
    if (note !== '') lines.push(s.dim(`        ${note}`));
  });
  return lines;
}

function stepName(step: PlanStep): string {
  return step.role === undefined ? step.name : `${step.role}/${step.name}`;
}

function stepNote(step: PlanStep): string {
  const where = step.target.kind === 'host' ? '' : `on ${targetLabel(step.target)}`;
  const parts: string[] = where === '' ? [] : [where];
  switch (step.kind) {
    case 'power-state':
      parts.push(step.command === undefined ? 'SSH answering means on' : `${step.list === undefined ? '' : `read from ${step.list.command} (one read for all its VMs), else this; `}skip the host if it is already in the target state`);
      break;
    case 'power-on':
      parts.push('skipped if already running');
      break;
    case 'wait-boot':
      parts.push(`${step.command === undefined ? 'until SSH answers' : 'SSH port probed, then until running or degraded'}, up to ${describeDuration(step.timeoutMs)}, polls backing off to every ${describeDuration(step.pollMs)}`);
      break;
    case 'check':
      parts.push(`${step.describe}; ${step.attempts} attempt${step.attempts === 1 ? '' : 's'} ${describeDuration(step.intervalMs)} apart, ${describeDuration(step.timeoutMs)} timeout${step.deadlineMs === undefined ? '' : `, within ${describeDuration(step.deadlineMs)}`}${step.successes > 1 ? `, ${step.successes} passes in a row` : ''}`);
      break;
    case 'service':
      parts.push(`${step.service.manager} ${step.service.action} ${step.service.target}${step.service.health ? `; done when: ${step.service.health.name}` : ''}`);
      break;
    case 'run':
      parts.push(`timeout ${describeDuration(step.timeoutMs)}`);
      break;
    case 'shutdown':
      parts.push(step.mode === 'guest' ? 'in the guest; a dropped connection is expected' : 'through the hypervisor');
      break;
    case 'wait-off':
      parts.push(`${step.command === undefined ? 'until SSH stops answering' : step.vm === undefined ? 'until the hypervisor says off' : `until ${step.vm} is off in the hypervisor's list (one read for all its VMs)`}, up to ${describeDuration(step.timeoutMs)}`);
      break;
    case 'force-off':
      parts.push('only if not off in time');
      break;
    case 'pair':
      parts.push(`with its pair partner: the ${step.pair} procedure below`);
      break;
  }
  return parts.join('; ');
}
