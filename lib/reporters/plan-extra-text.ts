/** `orchestrate plan` for a check, a failover and a failback: the health checks, the pairs' moves, the continuity probes. */
import type { ContinuityPlan, HealthPlan, MoveStep, Plan, SidePairPlan } from '../plan/index.js';
import { describeDuration } from '../util/duration.js';
import type { Style } from './style.js';

export function healthLines(title: string, health: HealthPlan, s: Style): string[] {
  const lines = ['', s.cyan(title)];
  for (const h of health.hosts) {
    lines.push(`  ${s.bold(h.name)}: running? ${h.running.command}${h.running.systemd ? ' (running or degraded)' : ''}`);
    for (const c of h.checks) lines.push(`    ${`${c.role ?? ''}/${c.name}`.padEnd(34)} ${c.describe}`);
  }
  for (const p of health.pairs) {
    const parts = [p.pair.drbd ? `DRBD ${p.pair.drbd.resource}` : undefined, p.pair.pacemaker ? 'Pacemaker' : undefined].filter((x) => x !== undefined);
    lines.push(`  pair ${s.bold(p.pair.name)}: ${parts.join(' and ')} ${p.scope === 'both' ? 'whole on both nodes' : `carried by ${p.scope} alone`}`);
  }
  return lines;
}

function moveLine(step: MoveStep, i: number): string {
  const what = 'command' in step ? step.command : 'read' in step ? `reads: ${step.read}` : '';
  const when = step.when === 'leaving-primary' ? ' (only if the leaving node is the DRBD Primary)' : '';
  return `    ${String(i + 1).padStart(2)}. ${step.name.padEnd(40)} ${`on ${step.host}`.padEnd(18)} ${what}${when}`.trimEnd();
}

export function moveLines(title: string, pairs: readonly SidePairPlan[], s: Style): string[] {
  if (pairs.length === 0) return [];
  const lines = ['', s.cyan(title)];
  for (const sp of pairs) {
    lines.push(`  pair ${s.bold(sp.pair.name)}: ${sp.moving} leaves or returns, ${sp.staying} stays`);
    sp.steps.forEach((step, i) => lines.push(moveLine(step, i)));
  }
  return lines;
}

export function continuityLines(c: ContinuityPlan, s: Style): string[] {
  if (c.probes.length === 0) return [];
  const lines = ['', s.cyan(`continuity probes, every ${describeDuration(c.intervalMs)} throughout (they measure; they never stop the run)`)];
  for (const p of c.probes) {
    lines.push(`  ${s.bold(p.name)} (timeout ${describeDuration(p.timeoutMs)}), on the first that answers of:`);
    for (const on of p.on) lines.push(`    ${(on.host ?? 'the controller').padEnd(20)} ${on.command}`);
  }
  return lines;
}

/** The head line of a plan. */
export function planTitle(plan: Plan): string {
  if (plan.action === 'check') return `plan: check ${plan.topology}`;
  if (plan.side) return `plan: ${plan.action} side ${plan.side.side} of ${plan.topology}`;
  return `plan: ${plan.action} ${plan.topology}`;
}
