/**
 * The `connections` part of `orchestrate plan`'s text: how each host and hypervisor is reached,
 * and where each setting came from (the topology's file:line:col, an ssh_config file:line, or
 * the default).
 */
import type { Plan } from '../plan/index.js';
import type { SshEndpoint } from '../topology/index.js';
import type { Style } from '../reporters/index.js';

const FIELDS: readonly (readonly [string, string])[] = [
  ['address', 'address'], ['user', 'user'], ['port', 'port'], ['identity', 'identity'], ['identitiesOnly', 'IdentitiesOnly'], ['agent', 'agent'],
  ['jump', 'jump'], ['knownHosts', 'known_hosts'], ['globalKnownHosts', 'global known_hosts'], ['hashKnownHosts', 'HashKnownHosts'],
  ['hostKeyPolicy', 'host-key policy'], ['connectTimeout', 'connect timeout'], ['keepalive', 'keepalive'],
];

function route(ep: SshEndpoint): string {
  const hops: string[] = [];
  for (let j = ep.jump; j; j = j.jump) hops.unshift(`${j.user}@${j.address}:${j.port}`);
  return `${ep.user}@${ep.address}:${ep.port}${hops.length > 0 ? ` via ${hops.join(' > ')}` : ''}`;
}

/** Two lines per endpoint: the route, then the sources of its settings. */
export function formatConnections(plan: Plan, style: Style): string[] {
  const eps: [string, SshEndpoint][] = [
    ...Object.values(plan.platform.hosts).map((h): [string, SshEndpoint] => [h.name, h.ssh]),
    ...Object.entries(plan.platform.hypervisors).map(([n, ep]): [string, SshEndpoint] => [`${n} (hypervisor)`, ep]),
  ];
  if (eps.length === 0) return [];
  const width = Math.max(...eps.map(([n]) => n.length));
  const out = ['', style.bold('connections (where each setting came from):')];
  for (const [name, ep] of eps) {
    const src = ep.sources ?? {};
    const from = FIELDS.filter(([f]) => src[f] !== undefined).map(([f, label]) => `${label} ${src[f] ?? ''}`);
    const defaults = FIELDS.filter(([f]) => src[f] === undefined).map(([, label]) => label);
    out.push(`  ${name.padEnd(width)}  ${route(ep)}`);
    out.push(style.dim(`  ${' '.repeat(width)}  ${[...from, ...(defaults.length > 0 ? [`default: ${defaults.join(', ')}`] : [])].join('; ')}`));
  }
  return out;
}
