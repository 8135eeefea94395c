/**
 * Topologies the fuzzer writes from scratch: prototype names in every kind of name, values that
 * would inject into built-in commands, anchors and aliases (bombs, loops, missing anchors),
 * deep nesting, huge files, and random documents made of the schema's own keys.
 */
import { LIMITS } from '../../lib/topology/index.js';
import { INJECTIONS, PROTOTYPE_NAMES } from './mutate.js';
import type { Prng } from './prng.js';

const q = (s: string): string => JSON.stringify(s);

/** A small valid topology around `name`, used for several names (hosts, roles, vars, pairs, bastions …). */
export function prototypeTopology(r: Prng): string {
  const n = (): string => r.pick(PROTOTYPE_NAMES);
  const [host, role, v, pair, other] = [n(), n(), n(), n(), n()];
  const parts = [
    'name: proto', 'playbooks: ../playbooks',
    `vars: { ${q(v)}: x, other: ${q(`{{${n()}}}`)} }`,
    'bastions:', `  ${q(n())}: { address: 10.0.0.9 }`,
    'hypervisors:', `  ${q(n())}: { address: 10.0.0.8 }`,
    'roles:',
    `  ${q(role)}: { up: { steps: [{ name: s, run: ${q(`echo {{${n()}}} {{${v}}}`)} }], checks: [{ name: ${q(n())}, systemd: ${q(`{{${r.chance(0.5) ? v : n()}}}`)} }] } }`,
    `  web2: { requires: [${q(r.chance(0.5) ? role : n())}], after: [${q(n())}] }`,
    'hosts:',
    `  ${q(host)}: { address: 10.0.0.1, roles: [${q(role)}], vars: { ${q(v)}: unit1 }, requires: [${q(other)}], jump: ${q(n())}, power: { driver: ${r.pick(['command', 'virsh', 'none'])}, on: ${q(`on {{${n()}}}`)}, hypervisor: ${q(n())} } }`,
    `  h2: { address: 10.0.0.2, roles: [web2, ${q(n())}], after: [${q(host)}], side: ${q(n())} }`,
  ];
  if (r.chance(0.6)) parts.push('pairs:', `  ${q(pair)}: { hosts: [${q(host)}, h2], replaces: [${q(n())}], drbd: { resource: r0 }, pacemaker: { resources: [ClusterIP] } }`);
  if (r.chance(0.4)) parts.push('continuity:', `  probes: [{ name: p, role: ${q(n())}, run: ${q(`check {{${n()}}}`)} }]`);
  return `${parts.join('\n')}\n`;
}

/** Where an injected value is put: each must be refused (exit 2), literally or through a variable. */
const INJECTION_SITES: readonly ((value: string) => { roles?: string; host?: string; top?: string })[] = [
  (x) => ({ roles: `app: { up: { checks: [{ name: c, tcp: { host: ${x}, port: 22 } }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, tcp: { port: ${x} } }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, systemd: ${x} }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, mount: { path: ${x} } }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, drbd: { resource: ${x}, version: '9' } }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, pcs: { resources: [${x}] } }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, http: { url: ${x} } }] } }` }),
  (x) => ({ roles: `app: { up: { checks: [{ name: c, hazelcast: { url: ${x} } }] } }` }),
  (x) => ({ roles: `app: { up: { steps: [{ name: s, service: { systemd: ${x}, action: start } }] } }` }),
  (x) => ({ roles: `app: { up: { steps: [{ name: s, service: { initd: ${x}, action: start } }] } }` }),
  (x) => ({ roles: `app: { up: { steps: [{ name: s, service: { daemontools: ${x}, action: start } }] } }` }),
  (x) => ({ roles: `app: { up: { steps: [{ name: s, service: { pidfile: ${x}, action: stop } }] } }` }),
  (x) => ({ roles: `app: { up: { steps: [{ name: s, service: { initd: srs, action: stop, kill_pidfile: ${x} } }] } }` }),
  (x) => ({ roles: `app: { up: { steps: [{ name: s, service: { initd: srs, action: stop, graceful: ${x} } }] } }` }),
  (x) => ({ top: `pairs: { p: { hosts: [a1, a2], drbd: { resource: ${x} } } }` }),
  (x) => ({ top: `pairs: { p: { hosts: [a1, a2], pacemaker: { resources: [${x}] } } }` }),
  (x) => ({ host: `power: { driver: virsh, hypervisor: kvm1, vm: ${x} }` }),
  (x) => ({ host: `power: { driver: virsh, hypervisor: kvm1, uri: ${x} }` }),
  (x) => ({ host: `power: { driver: command, on: 'on {{vm}}', vm: ${x} }` }),
];

/** A topology with one value that would inject into a built-in command (literal, or from a host variable). */
export function injectionTopology(r: Prng): string {
  const payload = r.pick(INJECTIONS);
  const viaVar = r.chance(0.5);
  const site = r.pick(INJECTION_SITES)(viaVar ? q('{{target}}') : q(payload));
  const hostExtra = site.host === undefined ? '' : `, ${site.host}`;
  return [
    'name: inject', 'playbooks: ../playbooks', 'hypervisors: { kvm1: { address: 10.0.0.9 } }',
    'roles:', `  ${site.roles ?? 'app: {}'}`,
    'hosts:',
    `  a1: { address: 10.0.0.1, roles: [app], vars: { target: ${q(payload)} }${hostExtra} }`,
    `  a2: { address: 10.0.0.2, roles: [app], vars: { target: ${q(payload)} } }`,
    site.top ?? '',
    '',
  ].join('\n');
}

const VALID_TAIL = 'roles: { app: {} }\nhosts:\n  a1: { address: 10.0.0.1, roles: [app] }\n';

/** Anchors and aliases: bombs, loops, missing anchors, too many, and some a topology may use. */
export function aliasTopology(r: Prng): string {
  switch (r.int(0, 7)) {
    case 0: {
      const levels = r.int(3, 14);
      const fan = r.int(2, 10);
      const lines = ['x-bomb:', `  l0: &l0 [${Array(fan).fill('lol').join(', ')}]`];
      for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(fan).fill(`*l${i - 1}`).join(', ')}]`);
      return `${lines.join('\n')}\n${VALID_TAIL}`;
    }
    case 1: return `${VALID_TAIL}  a2: *nowhere\n`;
    case 2: return `roles: &r { app: { requires: *r } }\nhosts: {}\n`;
    case 3: return `vars: { v: &a x, list: [${Array(r.pick([999, 1000, 1001, 5000])).fill('*a').join(', ')}] }\n${VALID_TAIL}`;
    case 4: return `vars: { ${Array.from({ length: r.pick([999, 1001, 3000]) }, (_, i) => `v${i}: &a${i} x`).join(', ')} }\n${VALID_TAIL}`;
    case 5: return `hypervisors: { kvm1: &hv { address: 10.0.0.2 }, kvm2: *hv }\ndefaults: &d { user: root }\n${VALID_TAIL}`;
    case 6: return `vars: { *k : v, &k key: w }\n${VALID_TAIL}`;
    default: {
      const big = `&big { ${Array.from({ length: r.int(10, 2000) }, (_, i) => `k${i}: v`).join(', ')} }`;
      return `vars: { a: ${big} }\nx-copies: [${Array(r.int(10, 200)).fill('*big').join(', ')}]\n${VALID_TAIL}`;
    }
  }
}

/** Collections nested `depth` deep, in one of several styles, somewhere in a topology. */
export function deepTopology(r: Prng): string {
  const depth = r.pick([10, 63, 64, 65, 66, 70, 200, 1000, 3000, 100_000]);
  const style = r.int(0, 3);
  let deep: string;
  if (style === 0) deep = `${'['.repeat(depth)}x${']'.repeat(depth)}`;
  else if (style === 1) deep = `${'{a: '.repeat(depth)}x${'}'.repeat(depth)}`;
  else if (style === 2) deep = `${'- '.repeat(Math.min(depth, 20_000))}x`;
  else deep = `\n${Array.from({ length: Math.min(depth, 2500) }, (_, i) => `${' '.repeat(i + 2)}a:`).join('\n')} x`;
  const where = r.int(0, 2);
  if (where === 0) return `vars:\n  deep: ${deep}\n${VALID_TAIL}`;
  if (where === 1) return `description: ${deep}\n${VALID_TAIL}`;
  return `roles: { app: {} }\nhosts: ${deep}\n`;
}

/** Lines `line(0)`, `line(1)` … after `head`, until the text is at least `bytes` long. */
function fill(head: string, bytes: number, line: (i: number) => string): string {
  const parts = [head];
  let length = head.length;
  for (let i = 0; length < bytes; i++) {
    const l = `${line(i)}\n`;
    parts.push(l);
    length += l.length;
  }
  return parts.join('');
}

/** A file near, at or just over the size limits (LIMITS.fileBytes; LIMITS.fullParserBytes when it is not plain YAML). */
export function hugeTopology(r: Prng): string {
  const size = (limit: number): number => Math.round(limit * r.pick([0.5, 0.9, 0.99, 1.01]));
  const host = (extra: (i: number) => string) => (i: number): string => `  h${i}: { address: 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}, roles: [app]${extra(i)} }`;
  switch (r.int(0, 5)) {
    case 0: return fill(`${VALID_TAIL}vars:\n`, size(LIMITS.fileBytes), (i) => `  v${i}: value number ${i}`);
    case 1: return fill('roles: { app: {} }\nhosts:\n', size(LIMITS.fileBytes), host(() => ''));
    case 2: return fill('roles: { app: {} }\nhosts:\n', size(LIMITS.fileBytes), host(r.chance(0.5) ? () => ', requires: [nohost]' : (i) => `, requires: [hx${i}]`));
    case 3: return fill('roles: { app: {} }\nhosts:\n', size(LIMITS.fileBytes), host(() => ', port: 70000, adress: x'));
    case 4: return `description: ${'x'.repeat(size(LIMITS.fileBytes) - 14)}\n${VALID_TAIL}`;
    default: return fill(`# \t not plain\n${VALID_TAIL}vars:\n`, size(LIMITS.fullParserBytes), (i) => `  v${i}: value ${i}`);
  }
}

const KEYS = ['name', 'hosts', 'roles', 'vars', 'pairs', 'power', 'driver', 'vm', 'address', 'port', 'up', 'down', 'steps', 'checks', 'run', 'service', 'systemd', 'tcp', 'http', 'url', 'drbd', 'pcs', 'resources', 'resource', 'requires', 'after', 'side', 'timeouts', 'boot', 'playbook', 'continuity', 'probes', 'action', 'health', 'mount', 'path', 'constructor', '__proto__', 'gate', 'min'];

function randomValue(r: Prng, depth: number): unknown {
  const kind = depth > 5 ? r.int(0, 2) : r.int(0, 5);
  if (kind === 0) return r.pick(['x', 'acd-jb1', '10.0.0.1', 'systemd', '{{host}}', '{{constructor}}', 'virsh', '30s', '', 'start']);
  if (kind === 1) return r.pick([0, 1, -1, 22, 65536, 1e21, 0.5, true, false, null]);
  if (kind === 2) return r.pick(INJECTIONS);
  if (kind === 3) return Array.from({ length: r.int(0, 4) }, () => randomValue(r, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = r.int(0, 5); i > 0; i--) Object.defineProperty(out, r.pick(KEYS), { value: randomValue(r, depth + 1), enumerable: true, configurable: true, writable: true });
  return out;
}

/** A random document made of the schema's keys (as JSON, which is YAML). */
export function structuredTopology(r: Prng): string {
  const doc = randomValue(r, 0);
  const top = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : { hosts: doc };
  return `${JSON.stringify({ roles: { app: {} }, ...top }, null, r.chance(0.5) ? 2 : undefined)}\n`;
}
