/**
 * The plan document (`plan --json`, `plan -o FILE`, `apply FILE`): a stable, versioned contract
 * (docs/plan-json.md). It holds everything a run does, so a saved plan is run as it was shown.
 * Field order is fixed so the output diffs cleanly between runs. Pure.
 */
import type { PlanOutline } from './build.js';
import { PLAN_VERSION, type HostPlan, type Plan, type PlanStep } from './model.js';

/** The plan as JSON: the same fields, `concurrency` null for no limit, each step's fields in a fixed order. */
export type PlanDocument = Omit<Plan, 'concurrency'> & { readonly concurrency: number | null };

export function planDocument(plan: Plan): PlanDocument {
  const { hosts, pairs, side, health, platform, ...head } = headOf(plan);
  return { ...head, hosts: plan.hosts.map(hostDocument), pairs, ...(side ? { side } : {}), ...(health ? { health } : {}), platform } as PlanDocument;
}

/** The head fields in document order; hosts, pairs, side, health and platform last. */
function headOf(plan: Plan | PlanOutline): PlanDocument & { hosts: Iterable<HostPlan> } {
  return {
    version: plan.version, action: plan.action, topology: plan.topology, file: plan.file, sources: plan.sources,
    ...(plan.limit ? { limit: plan.limit } : {}),
    ...(plan.secrets ? { secrets: plan.secrets } : {}),
    concurrency: Number.isFinite(plan.concurrency) ? plan.concurrency : null,
    waves: plan.waves, gates: plan.gates,
    hosts: plan.hosts, pairs: plan.pairs,
    ...(plan.side ? { side: plan.side } : {}), ...(plan.health ? { health: plan.health } : {}),
    platform: plan.platform,
  } as PlanDocument & { hosts: Iterable<HostPlan> };
}

function hostDocument(h: HostPlan): HostPlan {
  return { name: h.name, address: h.address, roles: h.roles, wave: h.wave, waitsFor: h.waitsFor, steps: h.steps.map(orderStep) };
}

/**
 * The document's JSON text, exactly `JSON.stringify(planDocument(plan), null, 2)`, in pieces of
 * whole lines: the head, each host, the tail. Joined with newlines, they are that text. For
 * 10,000 hosts this is several times faster than one string: each host becomes text on its own,
 * and the whole never has to be one string. With a plan outline, no host's steps outlive its text.
 */
export function* planDocumentText(plan: Plan | PlanOutline): Generator<string> {
  const { hosts: _hosts, pairs: _pairs, side: _side, health: _health, platform: _platform, ...head } = headOf(plan);
  const { hosts: _h, ...tail } = planDocument({ ...plan, hosts: [] } as Plan);
  const open = JSON.stringify(head, null, 2).slice(0, -2);
  let previous: string | undefined;
  for (const h of plan.hosts) {
    yield previous === undefined ? `${open},\n  "hosts": [` : `${previous},`;
    // Inside two arrays a host is indented as in the document; the brackets are cut off.
    previous = JSON.stringify([[hostDocument(h)]], null, 2).slice(6, -6);
  }
  if (previous === undefined) yield `${open},\n  "hosts": [],`;
  else {
    yield previous;
    yield '  ],';
  }
  // The fields after the hosts, as the document has them.
  const after = Object.fromEntries(Object.entries(tail).filter(([k]) => !(k in head)));
  yield `${JSON.stringify(after, null, 2).slice(2)}`;
}

/** id, kind, name, role, target, command first; the kind's own fields after. */
function orderStep(step: PlanStep): PlanStep {
  const { id, kind, name, role, target, ...rest } = step;
  return { id, kind, name, ...(role === undefined ? {} : { role }), target, ...rest } as PlanStep;
}

/** A plan read back from its document, or why it is not one. Checks the shape, not every field. */
export function planFromDocument(value: unknown): Plan | { readonly error: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const d = value as Partial<Record<keyof PlanDocument, unknown>>;
  if (d.version !== PLAN_VERSION) return { error: `plan document version ${JSON.stringify(d.version)}; this orchestrate reads version ${PLAN_VERSION} (make the plan again with orchestrate plan … -o FILE)` };
  if (!['up', 'down', 'failover', 'failback', 'check'].includes(d.action as string)) return { error: `unknown action ${JSON.stringify(d.action)}` };
  for (const k of ['hosts', 'waves', 'pairs', 'gates', 'sources'] as const) if (!Array.isArray(d[k])) return { error: `"${k}" is not a list` };
  for (const k of ['topology', 'file'] as const) if (typeof d[k] !== 'string') return { error: `"${k}" is not a string` };
  if (typeof d.platform !== 'object' || d.platform === null) return { error: '"platform" is missing' };
  if (d.concurrency !== null && (typeof d.concurrency !== 'number' || d.concurrency < 1)) return { error: '"concurrency" is not a positive number or null' };
  if ((d.action === 'failover' || d.action === 'failback') && typeof d.side !== 'object') return { error: `a ${d.action as string} plan without "side"` };
  if (d.action === 'check' && typeof d.health !== 'object') return { error: 'a check plan without "health"' };
  if (d.limit !== undefined && !isPlanLimit(d.limit)) return { error: '"limit" is not {patterns, selected, added}' };
  if (d.secrets !== undefined && !(Array.isArray(d.secrets) && d.secrets.every(isPlanSecret))) return { error: '"secrets" is not a list of {name, and one of env, file, topology}' };
  return { ...(value as PlanDocument), concurrency: d.concurrency === null ? Infinity : (d.concurrency as number) } as Plan;
}

/** `{name, env | file | topology}`: where a secret's value is read (never the value itself). */
function isPlanSecret(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  const sources = ['env', 'file', 'topology'].filter((k) => typeof s[k] === 'string');
  return typeof s.name === 'string' && sources.length === 1 && Object.keys(s).length === 2;
}

/** `{patterns, selected, added: [{host, because, of, reasons}]}`: a limited plan's record of its subset. */
function isPlanLimit(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const l = x as Record<string, unknown>;
  const names = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  return names(l.patterns) && names(l.selected) && Array.isArray(l.added) && l.added.every((a: unknown) => {
    if (typeof a !== 'object' || a === null) return false;
    const r = a as Record<string, unknown>;
    return typeof r.host === 'string' && ['required', 'dependant', 'pair'].includes(r.because as string) && names(r.of) && names(r.reasons);
  });
}
