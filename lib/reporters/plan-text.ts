/** `orchestrate plan` for people: waves, hosts, what each waits for, and every step with its command. */
import type { HostPlan, PairPlan, Plan, PlanStep } from '../plan/index.js';
import { targetLabel } from '../power/index.js';
import { describeDuration } from '../util/duration.js';
import { NO_COLOURS, type Style } from './style.js';

export function formatPlan(plan: Plan, s: Style = NO_COLOURS): string[] {
  const hostCount = plan.hosts.length;
  const lines = [
    s.bold(`plan: ${plan.action} ${plan.topology}`) + ` (${plan.file}): ${hostCount} host${hostCount === 1 ? '' : 's'} in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}, ${Number.isFinite(plan.concurrency) ? `up to ${plan.concurrency} commands at once` : 'no limit on commands at once'}`,
    s.dim(plan.action === 'up'
      ? 'Each host starts as soon as what it waits for is ready; waves only group the output.'
      : 'Each host goes down once everything that depends on it is down; waves only group the output.'),
  ];
  plan.waves.forEach((wave, i) => {
    lines.push('', s.cyan(`wave ${i + 1}: ${wave.join(', ')}`));
    for (const host of plan.hosts.filter((h) => h.wave === i + 1)) lines.push(...hostLines(plan, host, s));
  });
  for (const pair of plan.pairs) lines.push('', ...pairLines(pair, s));
  return lines;
}

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
    const command = 'command' in step ? step.command : 'read' in step ? `reads: ${step.read}` : step.kind === 'shutdown' ? '(its shutdown steps)' : '';
    lines.push(`    ${String(i + 1).padStart(2)}. ${step.name.padEnd(36)} ${`on the ${step.on}`.padEnd(18)} ${command}`.trimEnd());
  });
  return lines;
}

function hostLines(plan: Plan, host: HostPlan, s: Style): string[] {
  const roles = host.roles.length > 0 ? ` [${host.roles.join(', ')}]` : '';
  const lines = [`  ${s.bold(host.name)} ${host.address}${roles}`];
  for (const link of host.waitsFor) {
    const what = plan.action === 'down' ? 'down' : link.kind === 'after' ? 'started' : 'up';
    lines.push(s.dim(`    waits for ${link.host} ${what}${plan.action === 'up' ? ` (${link.reasons.join('; ')})` : ''}`));
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
