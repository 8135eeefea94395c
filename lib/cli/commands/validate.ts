/** `orchestrate validate TOPOLOGY`: every problem at once as file:line:col: message; exit 2 if any. */
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

export function validateCommand(file: string, io: CliIO): number {
  const { topology } = loadOrFail(file, io);
  const roles = new Set(topology.hosts.flatMap((h) => h.roles));
  const parts = [count(topology.hosts.length, 'host'), `${count(roles.size, 'role')} in use`, count(topology.hypervisors.size, 'hypervisor')];
  if (topology.pairs.length > 0) parts.push(count(topology.pairs.length, 'redundant pair'));
  io.out(`${file}: valid: ${parts.join(', ')}`);
  return 0;
}
