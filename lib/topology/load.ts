/**
 * loadTopology: topology file → resolved Topology plus every problem found, each located at
 * file:line:col. Files are read through an injected reader, so this stays free of I/O and is
 * tested with in-memory files. Dependency cycles are found when the graph is built (graph/).
 */
import path from 'node:path';
import { compareNames } from '../util/names.js';
import { checkTemplatedValues } from './command-values.js';
import { ResolveContext } from './context.js';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import type { Host, Role, SshEndpoint, Topology } from './model.js';
import { PlaybookLibrary, refusal, type SourceReader } from './playbooks.js';
import { connectAt, resolveEndpoint, resolveHost, resolveTimeouts } from './resolve-host.js';
import { resolveContinuity, resolvePairs } from './resolve-pairs.js';
import { resolveRole } from './resolve-role.js';
import { salvage } from './salvage.js';
import { checkSecretRefs, topologyVars } from './secrets.js';
import { TopologySchema } from './schema.js';
import { checkShape } from './shape.js';
import { parseYamlSource } from './source.js';
import { checkVariables } from './variables.js';

export interface LoadOptions {
  readonly reader: SourceReader;
  /** The playbooks shipped with orchestrate, searched after the topology's own `playbooks` folder. */
  readonly builtinPlaybooks?: string;
}

export interface LoadResult {
  /** Present whenever the file could be read as a topology at all, even with errors (so that more checks can run). */
  readonly topology?: Topology;
  /** Sorted; the topology is usable only when none of these is an error. */
  readonly diagnostics: readonly Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function loadTopology(file: string, options: LoadOptions): LoadResult {
  const text = options.reader.read(file);
  if (text === undefined) {
    return { diagnostics: [{ severity: 'error', message: 'cannot read the topology file', location: { file, line: 1, col: 1 } }] };
  }
  if (typeof text !== 'string') return { diagnostics: [refusal(file, text)] };
  const parsed = parseYamlSource(file, text);
  if (!parsed.syntaxOk) return { diagnostics: sortDiagnostics(parsed.diagnostics) };
  const shape = checkShape(parsed.source, TopologySchema);
  // A file with more shape problems than are listed is not checked further (see MAX_DESCRIBED).
  const salvaged = shape.truncated ? undefined : salvage(parsed.source.data, shape.value);
  if (!salvaged) {
    return { diagnostics: sortDiagnostics([...parsed.diagnostics, ...shape.diagnostics]) };
  }
  const ctx = new ResolveContext(parsed.source, salvaged);
  const dirs = [
    ...(salvaged.raw.playbooks === undefined ? [] : [relativeTo(file, salvaged.raw.playbooks)]),
    ...(options.builtinPlaybooks === undefined ? [] : [options.builtinPlaybooks]),
  ];
  const library = new PlaybookLibrary(options.reader, dirs);
  const topology = resolveTopology(ctx, file, library);
  const all = [...parsed.diagnostics, ...shape.diagnostics, ...ctx.diagnostics, ...library.diagnostics];
  return { topology, diagnostics: sortDiagnostics(dedupe(all)) };
}

function resolveTopology(ctx: ResolveContext, file: string, library: PlaybookLibrary): Topology {
  const raw = ctx.raw;
  const roles = new Map<string, Role>();
  for (const name of Object.keys(raw.roles).sort(compareNames)) {
    const entry = raw.roles[name];
    if (entry) roles.set(name, resolveRole(name, entry, ctx, library));
  }
  const hosts: Host[] = Object.entries(raw.hosts)
    .sort(([a], [b]) => compareNames(a, b))
    .map(([name, entry]) => resolveHost(name, entry, ctx));
  const hypervisors = new Map<string, SshEndpoint>();
  for (const [name, entry] of Object.entries(raw.hypervisors ?? {})) {
    const connectMs = resolveTimeouts(ctx, undefined).connectMs;
    hypervisors.set(name, resolveEndpoint(ctx, { name, address: entry.address, own: entry, path: ['hypervisors', name], connectMs, connectAt: connectAt(ctx, {}, ['hypervisors', name]), allowJump: true }));
  }
  const { vars, secrets } = topologyVars(ctx, raw.vars, file);
  const pairs = resolvePairs(ctx, raw.pairs);
  const continuity = resolveContinuity(ctx, raw.continuity);
  checkVariables(ctx, { vars }, hosts, roles, continuity);
  checkSecretRefs(ctx, secrets, hosts, roles);
  checkTemplatedValues(ctx, { vars }, hosts, roles);
  for (const role of roles.values()) {
    const carriers = hosts.filter((h) => h.roles.includes(role.name)).length;
    if (role.gate && carriers > 0 && role.gate.min > carriers) ctx.error(role.gate.at, `gate.min of role '${role.name}' is ${role.gate.min}, but only ${carriers} host${carriers === 1 ? '' : 's'} carr${carriers === 1 ? 'ies' : 'y'} it`);
  }
  const description = raw.description;
  return {
    name: raw.name ?? path.basename(file).replace(/\.ya?ml$/, ''),
    ...(description === undefined ? {} : { description }),
    file,
    concurrency: raw.concurrency === undefined || raw.concurrency === 'unlimited' ? Infinity : raw.concurrency,
    hosts,
    roles,
    hypervisors,
    vars,
    ...(secrets.size > 0 ? { secrets } : {}),
    pairs,
    continuity,
  };
}

function dedupe(list: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.location.file}:${d.location.line}:${d.location.col}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `p` as written in `file`: absolute paths stay, relative ones are relative to the file's folder. */
function relativeTo(file: string, p: string): string {
  return path.isAbsolute(p) ? p : path.join(path.dirname(file), p);
}
