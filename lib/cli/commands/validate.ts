/** `orchestrate validate TOPOLOGY`: every problem at once as file:line:col: message; exit 2 if any. */
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';

export function validateCommand(file: string, io: CliIO): number {
  const { topology } = loadOrFail(file, io);
  const roles = new Set(topology.hosts.flatMap((h) => h.roles));
  io.out(`${file}: valid: ${topology.hosts.length} hosts, ${roles.size} roles in use, ${topology.hypervisors.size} hypervisors`);
  return 0;
}
