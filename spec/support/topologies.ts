/** Loading topologies in tests: from the repository, or from in-memory YAML. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildGraph, type HostGraph } from '../../lib/graph/index.js';
import { fileReader } from '../../lib/cli/files.js';
import { formatDiagnostic, loadTopology, type Topology } from '../../lib/topology/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PLAYBOOKS = path.join(ROOT, 'playbooks');

/** Loads a topology that must be valid (from disk, or `files` in memory), with its graph. */
export function loadValid(file: string, files?: Record<string, string>): { topology: Topology; graph: HostGraph } {
  const reader = files ? { read: (f: string) => files[f] ?? fileReader.read(f) } : fileReader;
  const loaded = loadTopology(file, { reader, builtinPlaybooks: PLAYBOOKS });
  const problems = loaded.diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);
  if (problems.length > 0 || !loaded.topology) throw new Error(`invalid topology:\n${problems.join('\n')}`);
  const g = buildGraph(loaded.topology);
  if (!g.graph) throw new Error(g.diagnostics.map(formatDiagnostic).join('\n'));
  return { topology: loaded.topology, graph: g.graph };
}

/** The errors of an in-memory topology, formatted, with the playbooks of the repository. */
export function problemsOf(yamlText: string, extra: Record<string, string> = {}): string[] {
  const files: Record<string, string> = { 't.yaml': yamlText, ...extra };
  const reader = { read: (f: string) => files[f] ?? fileReader.read(f) };
  const loaded = loadTopology('t.yaml', { reader, builtinPlaybooks: PLAYBOOKS });
  const graph = loaded.topology ? buildGraph(loaded.topology).diagnostics : [];
  return [...loaded.diagnostics, ...graph].map(formatDiagnostic);
}
