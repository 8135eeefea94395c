/**
 * The values of checks and service steps that orchestrate places into the commands it builds
 * (the unit of `systemctl is-active`, the host and port of a tcp check, a mount point, a DRBD
 * resource …), checked against value-rules.ts: a literal where it is written (resolve-check.ts),
 * one with {{placeholders}} for every host that runs it, with that host's variables (a tcp
 * check's `host: "{{db}}"` with `db: "x; touch /tmp/f"` ran `touch` on the host). Commands users
 * write (`run`, a mysql `client`, a mount `remedy`, a pidfile `command`) are theirs: not checked.
 * Pure.
 */
import { pathText } from './shape.js';
import type { ResolveContext } from './context.js';
import type { CheckProbe, CheckSpec, Host, Role, ServiceSpec, StepSpec } from './model.js';
import type { DataPath } from './source.js';
import { renderTemplateWith } from './template.js';
import { valueProblem, type ValueKind } from './value-rules.js';
import { hostVar, type VarSource } from './variables.js';

/** A value that goes into a command: where it is below its check or service, and what it must be. */
export interface CommandValue {
  readonly path: DataPath;
  readonly kind: ValueKind;
  readonly value: string;
}

const value = (path: DataPath, kind: ValueKind, text: string): CommandValue => ({ path, kind, value: text });

/** The values of a check's probe that go into its command (or the controller's request). */
export function probeValues(p: CheckProbe): CommandValue[] {
  switch (p.kind) {
    case 'command': case 'mysql-replication': case 'mysql-writable':
      return [];
    case 'http':
      return [value(['http', 'url'], 'url', p.url), ...Object.entries(p.headers).flatMap(([k, v]) => [value(['http', 'headers', k], 'header-name', k), value(['http', 'headers', k], 'header-value', v)])];
    case 'tcp':
      return [...(p.host === undefined ? [] : [value(['tcp', 'host'], 'host', p.host)]), value(['tcp', 'port'], 'port', p.port)];
    case 'systemd':
      return [value(['systemd'], 'systemd-unit', p.unit)];
    case 'mount':
      return [value(['mount', 'path'], 'path', p.path)];
    case 'drbd':
      return [value(['drbd', 'resource'], 'drbd-resource', p.resource)];
    case 'pcs':
      return p.resources.map((r, i) => value(['pcs', 'resources', i], 'pcs-id', r));
    case 'hazelcast':
      return [value(['hazelcast', 'url'], 'url', p.url)];
  }
}

const TARGET_KINDS: Readonly<Record<ServiceSpec['manager'], ValueKind>> = { systemd: 'systemd-unit', initd: 'init-script', daemontools: 'path', pidfile: 'path' };

/** The values of a service step that go into its commands: the target, the forced stop's pidfile, the graceful verb, its health check's. */
export function serviceValues(s: ServiceSpec): CommandValue[] {
  return [
    value([s.manager], TARGET_KINDS[s.manager], s.target),
    ...(s.killPidfile === undefined ? [] : [value(['kill_pidfile'], 'path', s.killPidfile)]),
    ...(s.manager === 'initd' ? [value(['graceful'], 'verb', s.graceful)] : []),
    ...(s.health ? probeValues(s.health.probe).map((v) => ({ ...v, path: ['health', ...v.path] })) : []),
  ];
}

/** Reports each literal value (no placeholder) that breaks its rule, at `path` + the value's own path. */
export function checkLiterals(values: readonly CommandValue[], path: DataPath, report: (path: DataPath, message: string) => void): void {
  for (const v of values) {
    if (v.value.includes('{{')) continue;
    const problem = valueProblem(v.kind, v.value, pathText(v.path));
    if (problem !== undefined) report([...path, ...v.path], problem);
  }
}

function specValues(spec: StepSpec | CheckSpec): CommandValue[] {
  if ('probe' in spec) return probeValues(spec.probe);
  return spec.service ? serviceValues(spec.service) : [];
}

/** Every templated value of every role, rendered for each host that carries the role; reported once per value written. */
export function checkTemplatedValues(ctx: ResolveContext, topology: VarSource, hosts: readonly Host[], roles: ReadonlyMap<string, Role>): void {
  const carriers = new Map<string, Host[]>();
  for (const host of hosts) for (const r of host.roles) (carriers.get(r) ?? carriers.set(r, []).get(r))?.push(host);
  const source = { ...topology, hosts };
  const reported = new Set<string>();
  for (const role of roles.values()) {
    const phases = [role.up, role.down, role.failover, role.failback];
    const templated = phases.flatMap((p) => [...p.steps, ...p.checks]).flatMap((spec) => specValues(spec).filter((v) => v.value.includes('{{')).map((v) => ({ spec, v })));
    if (templated.length === 0) continue;
    for (const host of carriers.get(role.name) ?? []) {
      for (const { spec, v } of templated) {
        const key = `${spec.at.file}:${spec.at.line}:${spec.at.col}:${pathText(v.path)}`;
        if (reported.has(key)) continue;
        let unknown = false;
        const rendered = renderTemplateWith(v.value, (name) => {
          const found = hostVar(source, host, role, name);
          unknown ||= found === undefined;
          return found;
        });
        // A placeholder without a value is reported as an unknown variable (variables.ts).
        if (unknown) continue;
        const problem = valueProblem(v.kind, rendered, `${pathText(v.path)} of '${spec.name}' of role '${role.name}' on host '${host.name}' (${JSON.stringify(v.value)})`);
        if (problem === undefined) continue;
        reported.add(key);
        ctx.error(spec.at, problem);
      }
    }
  }
}
