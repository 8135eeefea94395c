/** Turning `fleet up` flags and a fleet file into FleetOptions, with clear errors. */
import path from 'node:path';
import { CliError } from '../errors.js';
import { FleetFileSchema, parseFault, parseLatency, type Fault, type FleetFile, type Latency } from '../fleet/index.js';
import { formatDiagnostic, parseYamlFile, type Topology } from '../topology/index.js';
import { fileReader } from './files.js';
import type { CliIO } from './io.js';
import { EXIT } from './exit.js';

export interface FleetFlags {
  readonly state?: string;
  readonly detach?: boolean;
  readonly warm?: boolean;
  readonly fleetFile?: string;
  readonly fault?: readonly string[];
  readonly timeScale?: number;
  /** `--latency`, as written. */
  readonly latency?: string;
  /** `--token-file`: the control endpoint's token, shared with fronts elsewhere. */
  readonly tokenFile?: string;
}

/** `--latency 200ms±100ms` (or `200ms+-100ms`, or `200ms`), or a CliError. */
export function latencyFlag(text: string): Latency {
  const latency = parseLatency(text);
  if (typeof latency === 'string') throw new CliError(`--latency ${text}: ${latency.replace(/^latency '[^']*': /, '')}`, { exitCode: EXIT.invalid });
  return latency;
}

export function readFleetFile(file: string, io: CliIO): FleetFile {
  const text = fileReader.read(path.resolve(io.cwd, file));
  if (text === undefined) throw new CliError(`cannot read the fleet file ${file}`, { exitCode: EXIT.invalid });
  if (typeof text !== 'string') throw new CliError(`${file}: ${text.refused}`, { exitCode: EXIT.invalid });
  const parsed = parseYamlFile(file, text, FleetFileSchema);
  const problems = parsed.diagnostics.filter((d) => d.severity === 'error');
  for (const d of parsed.diagnostics) io.err(formatDiagnostic(d));
  for (const [host, entry] of Object.entries(parsed.value?.hosts ?? {})) {
    for (const f of entry.faults ?? []) {
      const fault = parseFault(f);
      if (typeof fault === 'string') {
        io.err(`${file}: hosts.${host}.faults: ${fault}`);
        problems.push({ severity: 'error', message: fault, location: { file, line: 1, col: 1 } });
      }
    }
  }
  if (problems.length > 0 || !parsed.value) throw new CliError(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} found`, { exitCode: EXIT.invalid });
  return parsed.value;
}

/** `--fault HOST:FAULT[=ARG]` flags, by host. */
export function faultFlags(flags: readonly string[], topology: Topology): Map<string, Fault[]> {
  const out = new Map<string, Fault[]>();
  const hosts = new Set(topology.hosts.map((h) => h.name));
  for (const flag of flags) {
    const colon = flag.indexOf(':');
    const host = flag.slice(0, Math.max(0, colon));
    if (colon < 0 || !hosts.has(host)) {
      throw new CliError(`--fault ${flag}: expected HOST:FAULT with a host of ${topology.name} (${[...hosts].slice(0, 4).join(', ')}…)`, { exitCode: EXIT.invalid });
    }
    const fault = parseFault(flag.slice(colon + 1));
    if (typeof fault === 'string') throw new CliError(`--fault ${flag}: ${fault}`, { exitCode: EXIT.invalid });
    out.set(host, [...(out.get(host) ?? []), fault]);
  }
  return out;
}
