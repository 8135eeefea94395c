/**
 * `orchestrate fleet compose TOPOLOGY`: writes the simulated fleet as a docker-compose project,
 * one container per machine (docs/ci.md). `orchestrate fleet serve-host NAME`: what each machine's
 * container runs, a host front that answers SSH for NAME and runs its commands on the controller.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../errors.js';
import { DEFAULT_BASE_IMAGE, parseAuthorizedKeys, startFront, writeComposeProject, type RunningFront } from '../../fleet/index.js';
import { readText } from '../files.js';
import { packageRoot } from '../package-root.js';
import { readToken } from '../fleet-dir.js';
import { faultFlags } from '../fleet-options.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { EXIT } from '../exit.js';
import { COMPOSE_DEFAULTS, type ComposeFlags } from '../compose-defaults.js';
import { PUBLIC, writeFileSafe } from '../../util/safe-write.js';


/** Writes the compose directory and says how to start and use it. */
export function fleetComposeCommand(file: string, flags: ComposeFlags, io: CliIO): number {
  const { topology } = loadOrFail(file, io);
  const faults = flags.fault ?? [];
  faultFlags(faults, topology); // refuses a bad one before anything is written
  const topologyFile = path.resolve(io.cwd, file);
  const topologyText = readText(topologyFile);
  if (topologyText === undefined) throw new CliError(`cannot read ${file}`, { exitCode: EXIT.invalid });
  const dir = path.resolve(io.cwd, flags.out ?? COMPOSE_DEFAULTS.out);
  const project = writeComposeProject({
    dir, topology, topologyFile, topologyText, packageRoot: packageRoot(), faults, warm: flags.warm === true,
    timeScale: flags.timeScale ?? COMPOSE_DEFAULTS.timeScale, portBase: flags.portBase ?? COMPOSE_DEFAULTS.portBase,
    runnerAddress: flags.runnerAddress ?? COMPOSE_DEFAULTS.runnerAddress, subnet: flags.subnet ?? COMPOSE_DEFAULTS.subnet, baseImage: flags.baseImage ?? DEFAULT_BASE_IMAGE,
    commandLine: `orchestrate fleet compose ${file}`,
  });
  if (typeof project === 'string') throw new CliError(project, { exitCode: EXIT.invalid });
  const shown = displayPath(dir, io.cwd);
  const runner = flags.runnerAddress ?? COMPOSE_DEFAULTS.runnerAddress;
  const { layout } = project;
  io.out(`wrote ${shown}/: ${project.files.join(', ')}`);
  io.out(`fleet ${topology.name} as ${layout.machines.length + 1} containers (project ${layout.project}):`);
  const width = Math.max(10, ...layout.machines.map((m) => m.name.length));
  io.out(`  ${'controller'.padEnd(width)} ${layout.controller.address.padEnd(15)} status on ${runner}:${layout.controller.port}`);
  for (const m of layout.machines) io.out(`  ${m.name.padEnd(width)} ${m.address.padEnd(15)} ssh on ${runner}:${m.port}${m.kind === 'hypervisor' ? ' (hypervisor)' : ''}`);
  const compose = `docker compose -p ${layout.project} -f ${shown}/docker-compose.yml`;
  io.out(`start:   ${compose} up -d --build --wait   (Compose v1: docker-compose … up -d --build)`);
  io.out(`run:     orchestrate up ${file} --fleet ${shown}`);
  io.out(`status:  orchestrate fleet status --state ${shown}`);
  io.out(`stop:    ${compose} down`);
  io.out(`(or let orchestrate start it, no Compose needed: orchestrate fleet up ${file} --containers --state ${shown})`);
  return 0;
}

/** The options of `fleet serve-host` (docs/ci.md). */
export interface ServeHostFlags {
  readonly controller: string;
  readonly tokenFile: string;
  readonly key: string;
  readonly authorizedKey: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly readyFile?: string;
  readonly maxSessions?: number;
}

function readOrFail(file: string, what: string, io: CliIO): string {
  try {
    return readFileSync(path.resolve(io.cwd, file), 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the ${what} ${file}`, { exitCode: EXIT.invalid, cause: e });
  }
}

/** Runs the front until the signal (SIGTERM: `docker stop`) or until the controller goes away. */
export async function serveHostCommand(name: string, flags: ServeHostFlags, ctx: { io: CliIO; signal: AbortSignal }): Promise<number> {
  const { io } = ctx;
  const hostKey = readOrFail(flags.key, 'host key', io);
  const authorizedKeys = parseAuthorizedKeys(readOrFail(flags.authorizedKey, 'authorized key file', io));
  const token = readToken(flags.tokenFile, io);
  if (typeof authorizedKeys === 'string') throw new CliError(`${flags.authorizedKey}: ${authorizedKeys}`, { exitCode: EXIT.invalid });
  const ready = flags.readyFile === undefined ? undefined : path.resolve(io.cwd, flags.readyFile);
  if (ready !== undefined) rmSync(ready, { force: true });
  let front: RunningFront;
  try {
    front = await startFront({
      name, controller: flags.controller.replace(/\/+$/, ''), token, hostKey, authorizedKeys, address: flags.listen.host, port: flags.listen.port, signal: ctx.signal,
      ...(flags.maxSessions === undefined ? {} : { maxSessions: flags.maxSessions }),
    });
  } catch (e) {
    throw new CliError(`${name}: cannot follow the controller ${flags.controller}: ${(e as Error).message}`, { suggestions: ['is `orchestrate fleet up TOPOLOGY --serve 0.0.0.0:7000` running there?'] });
  }
  if (ready !== undefined) writeFileSafe(ready, `${process.pid}\n`, PUBLIC);
  io.out(`${name}: SSH on ${flags.listen.host}:${front.host.port} whenever the machine's sshd runs; commands run on ${flags.controller}`);
  try {
    await front.done;
  } catch (e) {
    throw new CliError(`${name}: lost the controller: ${(e as Error).message}`);
  } finally {
    if (ready !== undefined) rmSync(ready, { force: true });
  }
  io.out(`${name}: stopped`);
  return 0;
}
