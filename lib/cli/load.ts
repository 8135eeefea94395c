/** Loading a topology at the CLI edge: read, validate, build the graph; report every problem at once. */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { buildGraph, type HostGraph } from '../graph/index.js';
import type { PlanSource } from '../plan/index.js';
import { formatDiagnostic, hasErrors, loadTopology, sortDiagnostics, type Diagnostic, type SourceReader, type Topology } from '../topology/index.js';
import { CliError } from '../errors.js';
import { fileReader, readText } from './files.js';
import { builtinPlaybooks } from './package-root.js';
import { FLEET_FILE_MAX_BYTES, pointAtFleet } from './fleet-dir.js';
import { absoluteSecrets } from './secrets.js';
import { withSshConfig } from './ssh-config.js';
import type { CliIO } from './io.js';
import { EXIT } from './exit.js';

export interface Loaded {
  readonly topology: Topology;
  readonly graph: HostGraph;
  readonly warnings: readonly Diagnostic[];
  /** Every file read (topology, overlays, playbooks, the fleet's addresses), by content hash. */
  readonly sources: readonly PlanSource[];
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Exit code for an invalid topology (2), as for any usage error. */

/** Loads, validates and builds the graph; with `fleet`, points the hosts at that simulated fleet. */
export function loadOrFail(file: string, io: CliIO, options: { fleet?: string | undefined; ssh?: { file?: string | undefined } } = {}): Loaded {
  // Paths are shown as the user wrote them and read relative to the working directory.
  const sources: PlanSource[] = [];
  const reader: SourceReader = {
    read: (f) => {
      const abs = path.resolve(io.cwd, f);
      const text = fileReader.read(abs);
      if (typeof text === 'string') sources.push({ file: abs, sha256: sha256(text) });
      return text;
    },
  };
  const loaded = loadTopology(displayPath(file, io.cwd), { reader, builtinPlaybooks: builtinPlaybooks() });
  // Cycles are looked for even when other problems were found, so everything is reported at once.
  const graph = loaded.topology ? buildGraph(loaded.topology) : undefined;
  const all = sortDiagnostics([...loaded.diagnostics, ...(graph?.diagnostics ?? [])]);
  const errors = all.filter((d) => d.severity === 'error');
  for (const d of all) io.err(formatDiagnostic(d));
  if (hasErrors(all) || !loaded.topology || !graph?.graph) {
    throw new CliError(`${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'} found`, { exitCode: EXIT.invalid });
  }
  // Secrets' files absolute: a saved plan says where to read them from anywhere.
  let topology = absoluteSecrets(loaded.topology, io.cwd);
  // The simulated fleet's endpoints are its own: ssh_config is not read for it.
  if (options.ssh && options.fleet === undefined) topology = withSshConfig(topology, io, options.ssh.file, sources);
  if (options.fleet !== undefined) {
    const dir = path.resolve(io.cwd, options.fleet);
    topology = pointAtFleet(topology, dir);
    const overlay = readText(path.join(dir, 'fleet.json'), FLEET_FILE_MAX_BYTES);
    if (overlay !== undefined) sources.push({ file: path.join(dir, 'fleet.json'), sha256: sha256(overlay) });
  }
  return { topology, graph: graph.graph, warnings: all.filter((d) => d.severity === 'warning'), sources };
}

/** A path as the user would write it: relative to the working directory when it is below it. */
export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
