/** Loading a topology at the CLI edge: read, validate, build the graph; report every problem at once. */
import path from 'node:path';
import { buildGraph, type HostGraph } from '../graph/index.js';
import { formatDiagnostic, hasErrors, loadTopology, sortDiagnostics, type Diagnostic, type Topology } from '../topology/index.js';
import { CliError } from '../errors.js';
import { builtinPlaybooks, fileReader } from './files.js';
import { pointAtFleet } from './fleet-dir.js';
import type { CliIO } from './io.js';
import { EXIT } from './exit.js';

export interface Loaded {
  readonly topology: Topology;
  readonly graph: HostGraph;
  readonly warnings: readonly Diagnostic[];
}

/** Exit code for an invalid topology (2), as for any usage error. */

/** Loads, validates and builds the graph; with `fleet`, points the hosts at that simulated fleet. */
export function loadOrFail(file: string, io: CliIO, options: { fleet?: string | undefined } = {}): Loaded {
  // Paths are shown as the user wrote them and read relative to the working directory.
  const reader = { read: (f: string) => fileReader.read(path.resolve(io.cwd, f)) };
  const loaded = loadTopology(displayPath(file, io.cwd), { reader, builtinPlaybooks: builtinPlaybooks() });
  // Cycles are looked for even when other problems were found, so everything is reported at once.
  const graph = loaded.topology ? buildGraph(loaded.topology) : undefined;
  const all = sortDiagnostics([...loaded.diagnostics, ...(graph?.diagnostics ?? [])]);
  const errors = all.filter((d) => d.severity === 'error');
  for (const d of all) io.err(formatDiagnostic(d));
  if (hasErrors(all) || !loaded.topology || !graph?.graph) {
    throw new CliError(`${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'} found`, { exitCode: EXIT.invalid });
  }
  const topology = options.fleet === undefined ? loaded.topology : pointAtFleet(loaded.topology, path.resolve(io.cwd, options.fleet));
  return { topology, graph: graph.graph, warnings: all.filter((d) => d.severity === 'warning') };
}

/** A path as the user would write it: relative to the working directory when it is below it. */
export function displayPath(file: string, cwd: string): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
