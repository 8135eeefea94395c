/**
 * The known primary of each redundant pair before a run: `--primary NODE`, else the node each
 * pair recorded as shut down last. Shared by `plan` and `up` (and kept out of commands/run.ts so
 * that `plan` does not load the executor and SSH).
 */
import { CliError } from '../errors.js';
import type { KnownPrimary } from '../plan/index.js';
import type { Topology } from '../topology/index.js';
import { dict } from '../util/own.js';
import { EXIT } from './exit.js';
import { readPairRecords } from './state.js';

/** --primary NODE wins; otherwise the node each pair recorded as shut down last. */
export function knownPrimaries(topology: Topology, options: { readonly primary?: readonly string[] | undefined; readonly stateDir: string }): Record<string, KnownPrimary> {
  const out = dict<KnownPrimary>();
  for (const [pair, r] of Object.entries(readPairRecords(options.stateDir, topology.name))) out[pair] = { host: r.host, source: 'recorded' };
  for (const node of options.primary ?? []) {
    const pair = topology.pairs.find((p) => p.hosts.includes(node));
    if (!pair) throw new CliError(`--primary ${node}: no pair of ${topology.name} has a host ${node}`, { exitCode: EXIT.invalid, suggestions: topology.pairs.map((p) => `--primary ${p.hosts[0]} (pair ${p.name})`) });
    out[pair.name] = { host: node, source: 'option' };
  }
  return out;
}
