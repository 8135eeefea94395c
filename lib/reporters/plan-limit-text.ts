/** A limited plan's subset for people: what `--limit` selected, what was added and why, what is left alone. */
import type { LimitAddition, Plan } from '../plan/index.js';
import type { Style } from './style.js';

/** At most this many names in one line; the rest are counted. */
const SHOWN = 12;

function names(list: readonly string[]): string {
  return list.length > SHOWN ? `${list.slice(0, SHOWN).join(', ')}, … (${list.length} in all)` : list.join(', ');
}

function addedLine(a: LimitAddition): string {
  const why = a.because === 'required'
    ? `required by ${names(a.of)} (${a.reasons.join('; ')})`
    : a.because === 'dependant'
      ? `depends on ${names(a.of)} (${a.reasons.join('; ')}): it goes down first`
      : `the other node of ${a.reasons.join('; ')} with ${names(a.of)}: a pair starts and stops whole`;
  return `  + ${a.host}: ${why}`;
}

/** Nothing for a plan of the whole platform; the lines every added host has one of otherwise. */
export function limitLines(plan: Plan, s: Style): string[] {
  const limit = plan.limit;
  if (!limit) return [];
  const inPlan = plan.action === 'check' ? (plan.health?.hosts ?? []).map((h) => h.name) : plan.hosts.map((h) => h.name);
  const outside = Object.keys(plan.platform.hosts).filter((h) => !inPlan.includes(h));
  const one = limit.selected.length === 1;
  const what = plan.action === 'up' ? `what ${one ? 'it requires' : 'they require'}` : plan.action === 'down' ? `what depends on ${one ? 'it' : 'them'}` : undefined;
  const lines = [s.cyan(`limit ${limit.patterns.join(',')}: ${names(limit.selected)}${what === undefined ? '' : limit.added.length === 0 ? ` (${what}: nothing more)` : `, and ${what}:`}`)];
  for (const a of limit.added) lines.push(addedLine(a));
  if (outside.length > 0) {
    const verb = plan.action === 'up' ? 'started' : plan.action === 'down' ? 'stopped' : 'checked';
    lines.push(s.dim(`  not ${verb}: ${names(outside)}${plan.action === 'check' ? '' : ' (left as they are)'}`));
  }
  return lines;
}
