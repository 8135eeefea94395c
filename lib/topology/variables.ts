/**
 * Every {{placeholder}} in a command must have a value for every host that runs it. Values come,
 * lowest first, from the playbook, the topology's `vars`, the role's `vars`, the host's `vars`
 * and the built-ins (`host`, `address`, `vm`, `role`). Pure.
 */
import type { ResolveContext } from './context.js';
import type { Host, Role, Topology } from './model.js';
import { placeholders } from './template.js';

/** The variables a command of `role` (or of the host itself, without a role) sees on `host`. */
export function hostVars(topology: Pick<Topology, 'vars'>, host: Host, role?: Role): Record<string, string> {
  const vm = host.power.driver === 'none' ? host.name : host.power.vm;
  return {
    ...role?.defaults,
    ...topology.vars,
    ...role?.vars,
    ...host.vars,
    host: host.name,
    address: host.ssh.address,
    vm,
    ...(role ? { role: role.name } : {}),
  };
}

export function checkVariables(ctx: ResolveContext, topology: Pick<Topology, 'vars'>, hosts: readonly Host[], roles: ReadonlyMap<string, Role>): void {
  const reported = new Set<string>();
  const check = (text: string, at: { file: string; line: number; col: number }, vars: Record<string, string>, where: string): void => {
    for (const name of placeholders(text)) {
      const key = `${at.file}:${at.line}:${at.col}:${name}`;
      if (name in vars || reported.has(key)) continue;
      reported.add(key);
      ctx.error(at, `unknown variable '${name}' in ${where} (define it under vars)`);
    }
  };
  for (const host of hosts) {
    for (const roleName of host.roles) {
      const role = roles.get(roleName);
      if (!role) continue;
      const vars = hostVars(topology, host, role);
      const phases = [role.up, role.down, role.failover, role.failback];
      for (const spec of phases.flatMap((p) => [...p.steps, ...p.checks])) {
        check(spec.run, spec.at, vars, `'${spec.name}' of role '${role.name}' on host '${host.name}'`);
      }
    }
    if (host.power.driver === 'command') {
      const vars = hostVars(topology, host);
      for (const key of ['on', 'off', 'kill', 'status'] as const) {
        const text = host.power[key];
        if (text !== undefined) check(text, ctx.at(['hosts', host.name, 'power', key]), vars, `power.${key} of host '${host.name}'`);
      }
    }
  }
}
