/**
 * The values of a plan's secrets, read at the CLI edge when a run starts (the topology and the
 * plan only say where each is): from the environment, from a file, or from the topology file
 * itself (`value:`; a saved plan's topology is checked unchanged before it runs). Only the
 * secrets the plan's commands use are read; one that cannot be read stops the run before
 * anything runs, naming every such secret. A dry run reads none: it only masks the placeholders.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../errors.js';
import { secretsOf, type Plan, type PlanSecret } from '../plan/index.js';
import { loadTopology, type SecretSource, type Topology } from '../topology/index.js';
import { Secrets, secretNames } from '../util/secrets.js';
import { EXIT } from './exit.js';
import { fileReader } from './files.js';
import { builtinPlaybooks } from './package-root.js';
import type { CliIO } from './io.js';

/** The secrets of a run of `plan`, whose document is `text`; undefined when it has none. */
export function runSecrets(plan: Plan, text: string, io: CliIO, options: { dryRun: boolean }): Secrets | undefined {
  const declared = new Map((plan.secrets ?? []).map((s) => [s.name, s]));
  const used = secretNames(text);
  if (declared.size === 0 && used.length === 0) return undefined;
  const unknown = used.filter((n) => !declared.has(n));
  if (unknown.length > 0) {
    throw new CliError(`${plan.file}: the plan's commands use ${unknown.map((n) => `{{secret:${n}}}`).join(', ')}, which ${unknown.length === 1 ? 'is' : 'are'} not a secret of the topology`, {
      exitCode: EXIT.invalid, suggestions: [`declare it in the topology's vars: ${unknown[0] ?? ''}: { secret: true, env: NAME }`],
    });
  }
  if (options.dryRun) return new Secrets();
  const values = new Map<string, string>();
  const problems: string[] = [];
  const topologies = new Map<string, Topology | undefined>();
  for (const name of used) {
    const secret = declared.get(name) as PlanSecret;
    const value = readSecret(secret, io, topologies);
    if (typeof value === 'string') values.set(name, value);
    else problems.push(`secret ${name}: ${value.problem}`);
  }
  if (problems.length > 0) {
    throw new CliError(`cannot read ${problems.length === 1 ? 'a secret' : `${problems.length} secrets`} the plan needs; nothing was run\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      exitCode: EXIT.invalid, suggestions: ['set each variable in the environment of orchestrate, or make each file readable (docs/topology.md#secrets)'],
    });
  }
  return new Secrets(values);
}

/** A secret's value, or why it cannot be had. */
export function readSecret(secret: PlanSecret, io: CliIO, topologies: Map<string, Topology | undefined>): string | { problem: string } {
  if ('env' in secret) {
    const value = io.env[secret.env];
    return value === undefined || value === '' ? { problem: `the environment variable ${secret.env} is ${value === undefined ? 'not set' : 'empty'}` } : value;
  }
  if ('file' in secret) {
    const file = path.resolve(io.cwd, secret.file);
    let value: string;
    try {
      value = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (e) {
      return { problem: `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    const mode = statSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) io.err(`warning: secret ${secret.name}: ${file} may be read by others (mode 0${mode.toString(8)}); chmod 600 ${file}`);
    return value === '' ? { problem: `${file} is empty` } : value;
  }
  const file = path.resolve(io.cwd, secret.topology);
  if (!topologies.has(file)) topologies.set(file, loadTopology(file, { reader: fileReader, builtinPlaybooks: builtinPlaybooks() }).topology);
  const source = topologies.get(file)?.secrets?.get(secret.name);
  return source !== undefined && 'value' in source ? source.value : { problem: `${file} no longer gives it a value` };
}

/**
 * The topology's secrets that the simulated fleet can read, to mask them in its event log as the
 * CLI masks them everywhere; each one it cannot read is said (the log then shows it as received).
 */
export function fleetSecrets(topology: Topology, io: CliIO): Secrets | undefined {
  const declared = secretsOf(topology).secrets ?? [];
  if (declared.length === 0) return undefined;
  const values = new Map<string, string>();
  const topologies = new Map<string, Topology | undefined>(declared.flatMap((s) => ('topology' in s ? [[path.resolve(io.cwd, s.topology), topology] as const] : [])));
  for (const secret of declared) {
    const value = readSecret(secret, io, topologies);
    if (typeof value === 'string') values.set(secret.name, value);
    else io.err(`note: secret ${secret.name} cannot be masked in the fleet's events.jsonl (${value.problem}): give the fleet the same environment as the runs`);
  }
  return new Secrets(values);
}

/** The topology with its secrets' files made absolute (relative to `cwd`), so that a saved plan finds them from anywhere. */
export function absoluteSecrets(topology: Topology, cwd: string): Topology {
  if (topology.secrets === undefined) return topology;
  const secrets = new Map([...topology.secrets].map(([name, s]): [string, SecretSource] => [
    name, 'env' in s ? s : 'file' in s ? { file: path.resolve(cwd, s.file) } : { value: s.value, topology: path.resolve(cwd, s.topology) },
  ]));
  return { ...topology, secrets };
}
