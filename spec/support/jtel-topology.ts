/**
 * jtel-like topologies of any size, as YAML text (so they go through the real loader): a storage
 * pair (DRBD dual-primary + Pacemaker VIP), a load balancer, a DB master, DB slaves and a
 * reporting DB, then telephony and web hosts in a 1:2 ratio with their Hazelcast membership
 * checks on, spread over libvirt hypervisors. Used by the scale specs and the benchmarks.
 */
import { PLAYBOOKS } from './topologies.js';

export interface JtelOptions {
  /** Hosts in all (at least 7). */
  readonly hosts: number;
  /** VMs per hypervisor. @default 50 */
  readonly perHypervisor?: number;
  /** @default `acd-gen-${hosts}` */
  readonly name?: string;
  /** Absolute path of the playbooks. @default the repository's */
  readonly playbooks?: string;
  /** `concurrency:` in the topology, if any. */
  readonly concurrency?: number;
  /** `timeouts:` in `defaults`, e.g. `{ poll: '2s' }`. */
  readonly timeouts?: Readonly<Record<string, string>>;
}

/** The hosts of a generated topology: name and roles, in tier order. */
export function jtelHosts(total: number): { name: string; roles: string[] }[] {
  if (total < 7) throw new RangeError('a jtel-like topology needs at least 7 hosts');
  const slaves = total >= 50 ? 2 : 1;
  const core: { name: string; roles: string[] }[] = [
    { name: 'acd-store1', roles: ['storage'] },
    { name: 'acd-store2', roles: ['storage'] },
    { name: 'acd-lb1', roles: ['lb'] },
    { name: 'acd-dbm1', roles: ['db-master'] },
    ...Array.from({ length: slaves }, (_, i) => ({ name: `acd-dbs${i + 1}`, roles: ['db-slave'] })),
    { name: 'acd-dbr1', roles: ['db-reporting'] },
  ];
  const rest = total - core.length;
  const tel = Math.max(1, Math.round(rest / 3));
  const web = rest - tel;
  return [
    ...core,
    ...Array.from({ length: tel }, (_, i) => ({ name: `acd-tel${i + 1}`, roles: ['telephony'] })),
    ...Array.from({ length: web }, (_, i) => ({ name: `acd-jb${i + 1}`, roles: ['web'] })),
  ];
}

function address(i: number): string {
  const n = i + 10;
  return `10.${40 + Math.floor(n / 65536)}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

export function jtelTopology(options: JtelOptions): string {
  const hosts = jtelHosts(options.hosts);
  const per = options.perHypervisor ?? 50;
  const hypervisors = Math.ceil(hosts.length / per);
  const lb = hosts.findIndex((h) => h.name === 'acd-lb1');
  const timeouts = options.timeouts ? `, timeouts: { ${Object.entries(options.timeouts).map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '';
  return [
    'version: 1',
    `name: ${options.name ?? `acd-gen-${options.hosts}`}`,
    `playbooks: ${JSON.stringify(options.playbooks ?? PLAYBOOKS)}`,
    ...(options.concurrency === undefined ? [] : [`concurrency: ${options.concurrency}`]),
    `defaults: { user: root, power: { driver: virsh, hypervisor: kvm1 }${timeouts} }`,
    'hypervisors:',
    ...Array.from({ length: hypervisors }, (_, i) => `  kvm${i + 1}: { address: 10.39.0.${i + 2} }`),
    'vars:',
    `  lb_address: ${address(lb)}`,
    'roles:',
    '  storage: {}',
    '  lb: { requires: [storage] }',
    '  db-master: { requires: [storage], after: [lb] }',
    '  db-slave: { requires: [db-master] }',
    '  db-reporting: { requires: [db-master] }',
    '  telephony: { requires: [db-slave, db-reporting] }',
    '  web: { requires: [storage, lb, db-slave, db-reporting] }',
    'pairs:',
    '  storage:',
    '    hosts: [acd-store1, acd-store2]',
    '    replaces: [storage]',
    '    drbd: { resource: jtelshared, mode: dual-primary }',
    `    pacemaker: { resources: [ClusterIP, samba], vip: 10.39.255.20 }`,
    'hosts:',
    ...hosts.map((h, i) => `  ${h.name}: { address: ${address(i)}, roles: [${h.roles.join(', ')}], power: { hypervisor: kvm${Math.floor(i / per) + 1} } }`),
    '',
  ].join('\n');
}
