/**
 * Every {{placeholder}} in a command must have a value for every host that runs it. Values come,
 * lowest first, from the playbook, the topology's `vars`, the role's `vars`, the host's `vars`
 * and the built-ins (`host`, `address`, `vm`, `role`, and `partner` where there is one). Pure.
 */
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
  return hosts.find((h) => h.name !== host.name && h.side !== undefined && h.side !== host.side && h.roles.includes(role));
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
  const vm = host.power.driver === 'none' ? host.name : host.power.vm;
  const partner = role && topology.hosts ? partnerOf(topology.hosts, host, role.name) : undefined;
  return {
    ...role?.defaults,
    ...topology.vars,
    ...role?.vars,
    ...host.vars,
    host: host.name,
    address: host.ssh.address,
    vm,
    ...(role ? { role: role.name } : {}),
    ...(partner ? { partner: partner.name } : {}),
  };
}

export function checkVariables(ctx: ResolveContext, topology: VarSource, hosts: readonly Host[], roles: ReadonlyMap<string, Role>, continuity?: Continuity): void {
  const source = { ...topology, hosts };
  const reported = new Set<string>();
  const check = (text: string, at: { file: string; line: number; col: number }, vars: Record<string, string>, where: string): void => {
    for (const name of placeholders(text)) {
      const key = `${at.file}:${at.line}:${at.col}:${name}`;
      if (name in vars || reported.has(key)) continue;
      reported.add(key);
      const hint = name === 'partner' ? 'partner is the host of the same role on another side, and there is none' : 'define it under vars';
      ctx.error(at, `unknown variable '${name}' in ${where} (${hint})`);
    }
  };
  for (const host of hosts) {
    for (const roleName of host.roles) {
      const role = roles.get(roleName);
      if (!role) continue;
      const vars = hostVars(source, host, role);
      for (const spec of [role.up, role.down].flatMap((p) => [...p.steps, ...p.checks])) {
        for (const text of specTexts(spec)) check(text, spec.at, vars, `'${spec.name}' of role '${role.name}' on host '${host.name}'`);
      }
      // Failover and failback run only on hosts with a side; a step that needs a partner where
      // there is none is left out of the plan (needsMissingPartner), not an error.
      if (host.side === undefined) continue;
      for (const spec of [role.failover, role.failback].flatMap((p) => [...p.steps, ...p.checks])) {
        if (needsMissingPartner(spec, vars)) continue;
        for (const text of specTexts(spec)) check(text, spec.at, vars, `'${spec.name}' of role '${role.name}' on host '${host.name}'`);
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
