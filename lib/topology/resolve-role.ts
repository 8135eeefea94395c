/**
 * Turns a role entry of the topology plus its playbook into a Role: steps and checks merged by
 * name, dependencies checked against the roles that exist. Pure.
 */
import { parseDuration } from '../util/duration.js';
import { resolveCheck, resolveService } from './resolve-check.js';
import { didYouMean } from '../util/suggest.js';
import { stringVars, type ResolveContext } from './context.js';
import type { CheckSpec, Dependency, Role, RolePhase, SourceLocation, StepSpec } from './model.js';
import type { LoadedPlaybook, PlaybookLibrary } from './playbooks.js';
import type { RawCheck, RawRole, RawStep } from './schema.js';
import { locate, type DataPath, type YamlSource } from './source.js';

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
    ...(raw.gate ? { gate: { min: raw.gate.min, at: ctx.at([...base, 'gate', 'min']) } } : {}),
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
    } else if (Object.hasOwn(ctx.raw.roles, ref) && !out.some((d) => d.name === ref)) {
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

/**
 * Whether a step's or check's name is the first of its kind in one file's phase; a second one is
 * reported with where both are (a later step of the same name would replace the first unseen).
 */
function uniqueNames(where: (p: DataPath) => SourceLocation, report: (path: DataPath, message: string) => void, phase: string): (kind: 'step' | 'check', name: string, path: DataPath) => boolean {
  const seen = new Map<string, SourceLocation>();
  return (kind: 'step' | 'check', name: string, path: DataPath): boolean => {
    const first = seen.get(`${kind}\u0000${name}`);
    if (first) {
      report([...path, 'name'], `duplicate ${kind} name '${name}' in ${phase}: the first is at ${first.file}:${first.line}:${first.col} (${kind} names are unique within a role's up, down, failover or failback)`);
      return false;
    }
    seen.set(`${kind}\u0000${name}`, where([...path, 'name']));
    return true;
  };
}

/** Playbook steps first; a topology step with the same name replaces one, a new name is appended. */
function mergePhase(ctx: ResolveContext, playbook: PhaseInput, topology: PhaseInput): RolePhase {
  const steps = new Map<string, StepSpec>();
  const checks = new Map<string, CheckSpec>();
  for (const input of [playbook, topology]) {
    const where = (p: DataPath): SourceLocation => (input.source ? locate(input.source, p) : ctx.at(p));
    const report = (path: DataPath, message: string): void => ctx.error(where(path), message);
    const unique = uniqueNames(where, report, String(input.path.at(-1)));
    input.phase?.steps?.forEach((s, i) => {
      const path = [...input.path, 'steps', i];
      if (!unique('step', s.name, path)) return;
      const timeoutMs = s.timeout === undefined ? undefined : parseDuration(s.timeout);
      if ((s.run === undefined) === (s.service === undefined)) {
        report(path, s.run === undefined ? `step '${s.name}' needs \`run\` (a command) or \`service\`` : `step '${s.name}' has both \`run\` and \`service\`; give one`);
        return;
      }
      const service = s.service ? resolveService(s.service, where, [...path, 'service'], report) : undefined;
      if (s.service && !service) return;
      steps.set(s.name, {
        name: s.name,
        run: s.run ?? '',
        ...(service ? { service } : {}),
        local: s.local ?? false,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        safeToRepeat: s.safe_to_repeat ?? service !== undefined,
        at: where([...path, s.run === undefined ? 'service' : 'run']),
      });
    });
    input.phase?.checks?.forEach((c, i) => {
      if (!unique('check', c.name, [...input.path, 'checks', i])) return;
      const check = resolveCheck(c, c.name, where, [...input.path, 'checks', i], report);
      if (check) checks.set(c.name, check);
    });
  }
  return { steps: [...steps.values()], checks: [...checks.values()] };
}
