/**
 * How a service step reads in a plan: the first command the executor runs for its action, taken
 * from the same plans the executor follows (probe, stop, start, one-command actions), and its
 * policies. Pure.
 */
import type { ServiceSpec } from '../topology/index.js';
import { describeDuration } from '../util/duration.js';
import { singleAction } from './actions.js';
import { isStart, probeCommand, startPlan, stopPlan } from './control.js';

/** The command that does the action (a probe of the state comes first, see lib/execution/service-step.ts). */
function firstCommand(s: ServiceSpec): string {
  if (s.action === 'status') return probeCommand(s);
  if (s.action === 'stop' || startPlan(s, false).stopFirst) return stopPlan(s).graceful.command;
  if (isStart(s.action)) return startPlan(s, false).command;
  return singleAction(s).command;
}

/** One line for plans and dry runs: what the step does, with its health check and policies. */
export function serviceSummary(s: ServiceSpec): string {
  const stopStart = startPlan(s, false).stopFirst;
  const parts = [stopStart ? `${firstCommand(s)}, then ${startPlan(s, false).command}` : firstCommand(s)];
  const starts = isStart(s.action);
  if (s.action === 'stop' || stopStart) parts.push(`graceful for ${describeDuration(s.graceMs)}, then forced`);
  if (starts && s.health && s.health.attempts > 0) parts.push(s.health.name === 'health' ? 'health check' : `health: ${s.health.name}`);
  if (starts && s.restart.attempts > 1) parts.push(`up to ${s.restart.attempts} attempts`);
  return parts.join('  # ');
}
