/**
 * Planning: loadTopology + buildGraph + buildPlan (up), of topologies/large.yaml (24 hosts, read
 * from disk through the usual file reader) and of a synthetic 500-host topology written in memory.
 */
import path from 'node:path';
import { fileReader } from '../lib/cli/files.js';
import { buildGraph } from '../lib/graph/index.js';
import { buildPlan } from '../lib/plan/index.js';
import { formatDiagnostic, hasErrors, loadTopology, type SourceReader } from '../lib/topology/index.js';
import { PLAYBOOKS, ROOT } from '../spec/support/topologies.js';
import { check, row, sampleSyncFor, type GroupResult } from './stats.js';

const GROUP = 'planning';

/** The roles of the jtel topologies, with how many of the 500 synthetic hosts play each. */
const SYNTHETIC_ROLES: readonly (readonly [role: string, deps: string, count: number])[] = [
  ['storage', '{}', 10],
  ['lb', '{ requires: [storage] }', 10],
  ['db-master', '{ requires: [storage], after: [lb] }', 10],
  ['db-slave', '{ requires: [db-master] }', 20],
  ['db-reporting', '{ requires: [db-master] }', 10],
  ['telephony', '{ requires: [db-slave, db-reporting] }', 100],
  ['web', '{ requires: [storage, lb, db-slave, db-reporting] }', 150],
  ['api', '{ requires: [db-slave, db-reporting] }', 80],
  ['chat', '{ requires: [db-slave, db-reporting] }', 80],
  ['chatbot', '{ requires: [db-slave, db-reporting] }', 30],
];

/** A valid topology with 500 hosts over the 10 jtel roles, split over two Proxmox nodes. */
export function syntheticTopology(): { yaml: string; hosts: number } {
  const lines = [
    'version: 1',
    'name: synthetic-500',
    `playbooks: ${JSON.stringify(PLAYBOOKS)}`,
    'defaults:',
    '  user: root',
    '  power: { driver: qm, shutdown: hypervisor }',
    'hypervisors:',
    '  pve1: { address: 10.30.0.2 }',
    '  pve2: { address: 10.30.0.3 }',
    'roles:',
    ...SYNTHETIC_ROLES.map(([role, deps]) => `  ${role}: ${deps}`),
    'hosts:',
  ];
  let n = 0;
  for (const [role, , count] of SYNTHETIC_ROLES) {
    for (let i = 1; i <= count; i++, n++) {
      const side = n % 2 === 0 ? 'a' : 'b';
      const address = `10.30.${1 + Math.floor(n / 250)}.${(n % 250) + 1}`;
      lines.push(`  ${role}-${i}: { address: ${address}, roles: [${role}], side: ${side}, power: { hypervisor: pve${side === 'a' ? 1 : 2}, vm: ${1000 + n} } }`);
    }
  }
  return { yaml: `${lines.join('\n')}\n`, hosts: n };
}

/** One full load + graph + plan; throws when the topology is not valid. Returns the host count. */
export function loadAndPlan(file: string, reader: SourceReader): number {
  const loaded = loadTopology(file, { reader, builtinPlaybooks: PLAYBOOKS });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  check(!hasErrors(loaded.diagnostics) && loaded.topology !== undefined, `${file} is valid: ${errors.join('; ')}`);
  const topology = loaded.topology;
  const g = topology ? buildGraph(topology) : undefined;
  check(g?.graph !== undefined && topology !== undefined, `${file} has a dependency graph`);
  if (!g?.graph || !topology) return 0;
  const plan = buildPlan(topology, g.graph, 'up');
  return plan.hosts.length;
}

/** Times runs (after `warmup` untimed ones, for the JIT and the file cache) for about `budgetMs`. */
function measure(file: string, reader: SourceReader, warmup: number, budgetMs: number): { times: number[]; hosts: number } {
  let hosts = 0;
  for (let i = 0; i < warmup; i++) hosts = loadAndPlan(file, reader);
  const times = sampleSyncFor(budgetMs, 5, 200, () => loadAndPlan(file, reader));
  return { times, hosts };
}

export function runPlanBenchmarks(): GroupResult {
  const large = path.join(ROOT, 'topologies/large.yaml');
  const l = measure(large, fileReader, 5, 1500);
  const synthetic = syntheticTopology();
  const files: Record<string, string> = { 'synthetic-500.yaml': synthetic.yaml };
  const reader: SourceReader = { read: (f) => files[f] ?? fileReader.read(f) };
  const s = measure('synthetic-500.yaml', reader, 1, 5000);
  return {
    title: 'Planning (load + graph + plan up)',
    rows: [
      row(GROUP, `large.yaml (${l.hosts} hosts)`, l.times, { per: l.hosts, unit: 'hosts' }),
      row(GROUP, `synthetic (${s.hosts} hosts, 10 roles)`, s.times, { per: s.hosts, unit: 'hosts' }),
    ],
    notes: [],
  };
}
