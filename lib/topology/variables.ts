/**
 * Every {{placeholder}} in a command must have a value for every host that runs it. Values come,
 * lowest first, from the playbook, the topology's `vars`, the role's `vars`, the host's `vars`
 * and the built-ins (`host`, `address`, `vm`, `role`, and `partner` where there is one). Pure.
 */
import { dict, own } from '../util/own.js';
import type { ResolveContext } from './context.js';
import type { CheckSpec, Continuity, Host, Role, StepSpec, Topology } from './model.js';
import { specTexts } from './spec-texts.js';
import { placeholders } from './template.js';

/** What variables are computed from: the topology's vars, and its hosts for `partner`. */
export type VarSource = Pick<Topology, 'vars'> & { readonly hosts?: readonly Host[] };

/**
 * The host of the same role on another side: the one that takes over when this host's side
 * leaves in a failover (e.g. the other database master). The first by name; none without sides.
 */
export function partnerOf(hosts: readonly Host[], host: Host, role: string): Host | undefined {
  if (host.side === undefined) return undefined;
  // The first carrier on another side is the first host of some side other than this one's.
  for (const first of sideFirsts(hosts, role)) if (first.side !== host.side) return first;
  return undefined;
}

/** Per list of hosts and role: the first host of each side that carries the role, in list order (asked for every host and role of 10,000). */
const sideFirstsOf = new WeakMap<readonly Host[], Map<string, readonly Host[]>>();

function sideFirsts(hosts: readonly Host[], role: string): readonly Host[] {
  let byRole = sideFirstsOf.get(hosts);
  if (!byRole) {
    byRole = new Map();
    for (const h of hosts) {
      if (h.side === undefined) continue;
      for (const r of h.roles) {
        const firsts = byRole.get(r) as Host[] | undefined;
        if (!firsts) byRole.set(r, [h]);
        else if (!firsts.some((f) => f.side === h.side)) firsts.push(h);
      }
    }
    sideFirstsOf.set(hosts, byRole);
  }
  return byRole.get(role) ?? [];
}

/** Does a command use the `partner` variable? */
export function usesPartner(text: string): boolean {
  return placeholders(text).includes('partner');
}

/** A failover or failback step or check that needs a partner is left out where its host has none. */
export function needsMissingPartner(spec: StepSpec | CheckSpec, vars: Readonly<Record<string, string>>): boolean {
  return vars.partner === undefined && specTexts(spec).some(usesPartner);
}

/** The variables a command of `role` (or of the host itself, without a role) sees on `host`. */
export function hostVars(topology: VarSource, host: Host, role?: Role): Record<string, string> {
  const partner = role && topology.hosts ? partnerOf(topology.hosts, host, role.name) : undefined;
  // Lowest first; a later value replaces an earlier one where it was. (Object.assign rather than
  // spreads: several times faster, and a plan asks this for every host and role.)
  const vars: Record<string, string> = Object.assign(dict<string>(), role?.defaults, topology.vars, role?.vars, host.vars);
  vars.host = host.name;
  vars.address = host.ssh.address;
  vars.vm = host.power.driver === 'none' ? host.name : host.power.vm;
  if (role) vars.role = role.name;
  if (partner) vars.partner = partner.name;
  return vars;
}

/** One variable of `hostVars(topology, host, role)`, without building them all (a topology may have thousands). */
export function hostVar(topology: VarSource, host: Host, role: Role | undefined, name: string): string | undefined {
  if (name === 'host') return host.name;
  if (name === 'address') return host.ssh.address;
  if (name === 'vm') return host.power.driver === 'none' ? host.name : host.power.vm;
  if (name === 'role' && role) return role.name;
  const partner = name === 'partner' && role && topology.hosts ? partnerOf(topology.hosts, host, role.name) : undefined;
  if (partner) return partner.name;
  return own(host.vars, name) ?? own(role?.vars, name) ?? own(topology.vars, name) ?? own(role?.defaults, name);
}

/** Names every command of a role has a value for, whatever the host: `host`, `address`, `vm`, `role`. */
const BUILT_IN = new Set(['host', 'address', 'vm', 'role']);

/** `name in hostVars(topology, host, role)`, without building the variables (checked for every host of 10,000). */
function hasVar(name: string, topology: VarSource, host: Host, role: Role, partner: Host | undefined): boolean {
  return BUILT_IN.has(name) || (name === 'partner' && partner !== undefined) || Object.hasOwn(host.vars, name) || Object.hasOwn(role.vars, name) || Object.hasOwn(topology.vars, name) || Object.hasOwn(role.defaults, name);
}

type At = { file: string; line: number; col: number };

export function checkVariables(ctx: ResolveContext, topology: VarSource, hosts: readonly Host[], roles: ReadonlyMap<string, Role>, continuity?: Continuity): void {
  const source = { ...topology, hosts };
  const reported = new Set<string>();
  const report = (list: readonly string[], at: At, has: (name: string) => boolean, where: () => string): void => {
    for (const name of list) {
      if (has(name)) continue;
      const key = `${at.file}:${at.line}:${at.col}:${name}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const hint = name === 'partner' ? 'partner is the host of the same role on another side, and there is none' : 'define it under vars';
      ctx.error(at, `unknown variable '${name}' in ${where()} (${hint})`);
    }
  };
  const commands = new RoleCommands();
  const check = (text: string, at: At, vars: Record<string, string>, where: string): void => report(commands.names(text), at, (name) => Object.hasOwn(vars, name), () => where);
  for (const host of hosts) {
    for (const roleName of host.roles) {
      const role = roles.get(roleName);
      if (!role) continue;
      const partner = partnerOf(hosts, host, role.name);
      const has = (name: string): boolean => hasVar(name, topology, host, role, partner);
      const where = (spec: StepSpec | CheckSpec) => (): string => `'${spec.name}' of role '${role.name}' on host '${host.name}'`;
      const { run, side } = commands.ofRole(role);
      for (const spec of run) for (const list of commands.ofSpec(spec)) report(list, spec.at, has, where(spec));
      // Failover and failback run only on hosts with a side; a step that needs a partner where
      // there is none is left out of the plan (needsMissingPartner), not an error.
      if (host.side === undefined) continue;
      for (const spec of side) {
        if (!has('partner') && commands.ofSpec(spec).some((list) => list.includes('partner'))) continue;
        for (const list of commands.ofSpec(spec)) report(list, spec.at, has, where(spec));
      }
    }
    if (host.power.driver === 'command') {
      const vars = hostVars(source, host);
      for (const key of ['on', 'off', 'kill', 'status'] as const) {
        const text = host.power[key];
        if (text !== undefined) check(text, ctx.at(['hosts', host.name, 'power', key]), vars, `power.${key} of host '${host.name}'`);
      }
    }
  }
  for (const [i, probe] of (continuity?.probes ?? []).entries()) {
    const at = ctx.at(['continuity', 'probes', i, 'run']);
    const where = `probe '${probe.name}'`;
    if (probe.local) check(probe.run, at, { ...topology.vars }, where);
    for (const host of hosts) {
      const role = probe.role === undefined ? undefined : roles.get(probe.role);
      if (probe.host === host.name) check(probe.run, at, hostVars(source, host), `${where} on host '${host.name}'`);
      if (role && host.roles.includes(role.name)) check(probe.run, at, hostVars(source, host, role), `${where} on host '${host.name}'`);
    }
  }
}

/** The commands of each role and the placeholders of each, read once: every host of a role has the same. */
class RoleCommands {
  readonly #names = new Map<string, readonly string[]>();
  readonly #specs = new Map<StepSpec | CheckSpec, readonly (readonly string[])[]>();
  readonly #roles = new Map<Role, { run: readonly (StepSpec | CheckSpec)[]; side: readonly (StepSpec | CheckSpec)[] }>();

  /** The placeholders of one text. */
  names(text: string): readonly string[] {
    let n = this.#names.get(text);
    if (!n) this.#names.set(text, (n = placeholders(text)));
    return n;
  }

  /** The placeholders of each text of a step or check. */
  ofSpec(spec: StepSpec | CheckSpec): readonly (readonly string[])[] {
    let n = this.#specs.get(spec);
    if (!n) this.#specs.set(spec, (n = specTexts(spec).map((t) => this.names(t))));
    return n;
  }

  /** A role's up and down steps and checks (`run`), and its failover and failback ones (`side`). */
  ofRole(role: Role): { run: readonly (StepSpec | CheckSpec)[]; side: readonly (StepSpec | CheckSpec)[] } {
    let specs = this.#roles.get(role);
    if (!specs) {
      const all = (phases: readonly Role['up'][]): (StepSpec | CheckSpec)[] => phases.flatMap((p) => [...p.steps, ...p.checks]);
      this.#roles.set(role, (specs = { run: all([role.up, role.down]), side: all([role.failover, role.failback]) }));
    }
    return specs;
  }
}
