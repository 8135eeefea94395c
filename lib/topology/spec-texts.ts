/**
 * The texts of a step or check that may hold {{placeholders}}, and rendering them for a host.
 * Numbers, kinds and durations are not templated. Pure.
 */
import type { CheckProbe, CheckSpec, ServiceSpec, StepSpec } from './model.js';
import { renderTemplate } from './template.js';

function probeTexts(p: CheckProbe): string[] {
  switch (p.kind) {
    case 'command': return [p.run];
    case 'http': return [p.url, ...Object.values(p.headers)];
    case 'tcp': return [p.host ?? '', p.port];
    case 'systemd': return [p.unit];
    case 'mysql-replication': case 'mysql-writable': return [p.client];
    case 'mount': return [p.path, p.remedy ?? ''];
    case 'drbd': return [p.resource];
    case 'pcs': return [...p.resources];
    case 'hazelcast': return [p.url];
  }
}

function serviceTexts(s: ServiceSpec): string[] {
  return [s.target, s.command ?? '', s.killPidfile ?? '', ...(s.health ? probeTexts(s.health.probe) : [])];
}

/** Every templated text of a step or check (empty strings left out). */
export function specTexts(spec: StepSpec | CheckSpec): string[] {
  const texts = 'probe' in spec ? probeTexts(spec.probe) : spec.service ? serviceTexts(spec.service) : [spec.run];
  return texts.filter((t) => t !== '');
}

export function renderProbe(p: CheckProbe, vars: Readonly<Record<string, string>>): CheckProbe {
  const r = (t: string): string => renderTemplate(t, vars);
  switch (p.kind) {
    case 'command': return { ...p, run: r(p.run) };
    case 'http': return { ...p, url: r(p.url), headers: Object.fromEntries(Object.entries(p.headers).map(([k, v]) => [k, r(v)])) };
    case 'tcp': return { ...p, ...(p.host === undefined ? {} : { host: r(p.host) }), port: r(p.port) };
    case 'systemd': return { ...p, unit: r(p.unit) };
    case 'mysql-replication': case 'mysql-writable': return { ...p, client: r(p.client) };
    case 'mount': return { ...p, path: r(p.path), ...(p.remedy === undefined ? {} : { remedy: r(p.remedy) }) };
    case 'drbd': return { ...p, resource: r(p.resource) };
    case 'pcs': return { ...p, resources: p.resources.map(r) };
    case 'hazelcast': return { ...p, url: r(p.url) };
  }
}

export function renderCheck(c: CheckSpec, vars: Readonly<Record<string, string>>): CheckSpec {
  return { ...c, probe: renderProbe(c.probe, vars) };
}

export function renderService(s: ServiceSpec, vars: Readonly<Record<string, string>>): ServiceSpec {
  const r = (t: string): string => renderTemplate(t, vars);
  return {
    ...s, target: r(s.target),
    ...(s.command === undefined ? {} : { command: r(s.command) }),
    ...(s.killPidfile === undefined ? {} : { killPidfile: r(s.killPidfile) }),
    ...(s.health ? { health: renderCheck(s.health, vars) } : {}),
  };
}
