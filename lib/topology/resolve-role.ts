/**
 * Turns a role entry of the topology plus its playbook into a Role: steps and checks merged by
 * name, dependencies checked against the roles that exist. Pure.
 */
import { parseDuration } from '../util/duration.js';
import { didYouMean } from '../util/suggest.js';
import { stringVars, type ResolveContext } from './context.js';
import type { CheckSpec, Dependency, Role, RolePhase, SourceLocation, StepSpec } from './model.js';
import type { LoadedPlaybook, PlaybookLibrary } from './playbooks.js';
import type { RawCheck, RawRole, RawStep } from './schema.js';
import { locate, type DataPath, type YamlSource } from './source.js';

/** Check defaults: 10 attempts × (1 s timeout + 1 s pause), the convention operators know from Flashphoner WCS. */
export const CHECK_DEFAULTS = { attempts: 10, intervalMs: 1000, timeoutMs: 1000 } as const;

type Phase = { steps?: RawStep[] | undefined; checks?: RawCheck[] | undefined } | undefined;

export function resolveRole(name: string, raw: RawRole, ctx: ResolveContext, library: PlaybookLibrary): Role {
  const base: DataPath = ['roles', name];
  const loaded = findPlaybook(name, raw, ctx, library);
  const pb = loaded?.playbook;
  const description = raw.description ?? pb?.description;
  const role: Role = {
    name,
    ...(description === undefined ? {} : { description }),
    requires: roleRefs(name, raw.requires, [...base, 'requires'], ctx),
    after: roleRefs(name, raw.after, [...base, 'after'], ctx),
    defaults: stringVars(pb?.vars),
    vars: stringVars(raw.vars),
    up: mergePhase(ctx, { source: loaded?.source, phase: pb?.up, path: ['up'] }, { phase: raw.up, path: [...base, 'up'] }),
    down: mergePhase(ctx, { source: loaded?.source, phase: pb?.down, path: ['down'] }, { phase: raw.down, path: [...base, 'down'] }),
    failover: mergePhase(ctx, { source: loaded?.source, phase: pb?.failover, path: ['failover'] }, { phase: raw.failover, path: [...base, 'failover'] }),
    failback: mergePhase(ctx, { source: loaded?.source, phase: pb?.failback, path: ['failback'] }, { phase: raw.failback, path: [...base, 'failback'] }),
    ...(loaded ? { playbook: loaded.file } : {}),
    at: ctx.at(base, { key: true }),
  };
  return role;
}

function findPlaybook(name: string, raw: RawRole, ctx: ResolveContext, library: PlaybookLibrary): LoadedPlaybook | undefined {
  if (raw.playbook === undefined) return library.find(name);
  const found = library.find(raw.playbook);
  if (!found) {
    ctx.error(ctx.at(['roles', name, 'playbook']), `playbook '${raw.playbook}' not found (looked for ${raw.playbook}.yaml in ${library.searched.join(', ')})`);
  }
  return found;
}

function roleRefs(owner: string, refs: readonly string[] | undefined, path: DataPath, ctx: ResolveContext): Dependency[] {
  const out: Dependency[] = [];
  (refs ?? []).forEach((ref, i) => {
    const at = ctx.at([...path, i]);
    const field = String(path[path.length - 1]);
    if (ref === owner) {
      ctx.error(at, `role '${owner}' cannot depend on itself`);
    } else if (!ctx.written.roles.has(ref)) {
      ctx.error(at, `unknown role '${ref}' in ${field} of role '${owner}'${didYouMean(ref, ctx.written.roles)}`);
    } else if (ref in ctx.raw.roles && !out.some((d) => d.name === ref)) {
      out.push({ name: ref, at });
    }
  });
  return out;
}

interface PhaseInput {
  readonly source?: YamlSource | undefined;
  readonly phase: Phase;
  readonly path: DataPath;
}

/** Playbook steps first; a topology step with the same name replaces one, a new name is appended. */
function mergePhase(ctx: ResolveContext, playbook: PhaseInput, topology: PhaseInput): RolePhase {
  const steps = new Map<string, StepSpec>();
  const checks = new Map<string, CheckSpec>();
  for (const input of [playbook, topology]) {
    const where = (p: DataPath): SourceLocation => (input.source ? locate(input.source, p) : ctx.at(p));
    input.phase?.steps?.forEach((s, i) => {
      const timeoutMs = s.timeout === undefined ? undefined : parseDuration(s.timeout);
      steps.set(s.name, {
        name: s.name,
        run: s.run,
        local: s.local ?? false,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        at: where([...input.path, 'steps', i, 'run']),
      });
    });
    input.phase?.checks?.forEach((c, i) => {
      const at = where([...input.path, 'checks', i, 'run']);
      if (c.expect !== undefined && !validRegex(c.expect)) {
        ctx.error(where([...input.path, 'checks', i, 'expect']), `expect is not a valid regular expression: ${JSON.stringify(c.expect)}`);
      }
      checks.set(c.name, {
        name: c.name,
        run: c.run,
        local: c.local ?? false,
        ...(c.expect === undefined ? {} : { expect: c.expect }),
        attempts: c.attempts ?? CHECK_DEFAULTS.attempts,
        intervalMs: (c.interval === undefined ? undefined : parseDuration(c.interval)) ?? CHECK_DEFAULTS.intervalMs,
        timeoutMs: (c.timeout === undefined ? undefined : parseDuration(c.timeout)) ?? CHECK_DEFAULTS.timeoutMs,
        at,
      });
    });
  }
  return { steps: [...steps.values()], checks: [...checks.values()] };
}

function validRegex(text: string): boolean {
  try {
    new RegExp(text);
    return true;
  } catch {
    return false;
  }
}
