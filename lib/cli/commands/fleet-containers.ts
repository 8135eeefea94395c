/**
 * `orchestrate fleet up TOPOLOGY --containers`: the simulated fleet as one container per machine,
 * started by orchestrate with the docker CLI (no Compose needed): writes the fleet directory
 * (as `fleet compose` does), builds the image, creates the network, starts the controller, then
 * the machines, and returns once every healthcheck passes. Whatever fails on the way, what was
 * started is removed again. `fleet down` removes it (containersDown).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../errors.js';
import { DEFAULT_BASE_IMAGE, dockerPlan, FLEET_LABEL, writeComposeProject, type ContainerRun, type DockerPlan } from '../../fleet/index.js';
import { PUBLIC, writeFileSafe } from '../../util/safe-write.js';
import { COMPOSE_DEFAULTS, type ComposeFlags } from '../compose-defaults.js';
import { dockerCli, tail, type Docker } from '../docker.js';
import { EXIT } from '../exit.js';
import { readText } from '../files.js';
import { faultFlags, type FleetFlags } from '../fleet-options.js';
import type { CliIO } from '../io.js';
import { displayPath, loadOrFail } from '../load.js';
import { packageRoot } from '../package-root.js';
import { fleetDir } from '../state.js';

/** `fleet up` flags that apply with --containers. */
export type ContainerFlags = FleetFlags & Omit<ComposeFlags, 'out'> & { readonly serve?: unknown };

/** What `fleet down` needs to remove the containers: DIR/containers.json. */
interface Record_ {
  readonly project: string;
  readonly image: string;
  readonly controller: string;
}
const RECORD = 'containers.json';

/** How long the containers may take to pass their healthchecks. */
const HEALTHY_WITHIN_MS = 120_000;

async function must(docker: Docker, args: readonly string[], what: string): Promise<string> {
  const r = await docker(args);
  if (r.code !== 0) throw new CliError(`${what} failed (docker ${args[0] ?? ''} exited ${r.code}):\n${tail(r.stderr || r.stdout)}`);
  return r.stdout;
}

/** Polls `docker inspect` until every container is healthy; fails at once when one exits. */
async function untilHealthy(docker: Docker, runs: readonly ContainerRun[], signal: AbortSignal): Promise<void> {
  const until = Date.now() + HEALTHY_WITHIN_MS;
  for (;;) {
    const out = await must(docker, ['inspect', '--format', '{{.Name}} {{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', ...runs.map((r) => r.name)], 'docker inspect');
    const states = out.trim().split('\n').map((l) => l.replace(/^\//, '').split(' '));
    const dead = states.find(([, status]) => status !== 'running' && status !== 'created');
    if (dead) {
      const logs = await docker(['logs', '--tail', '20', dead[0] ?? '']);
      throw new CliError(`container ${dead[0] ?? '?'} stopped (${dead[1] ?? '?'}) before it was ready; its last output:\n${tail(`${logs.stdout}${logs.stderr}`)}`);
    }
    if (states.every(([, , h]) => h === 'healthy')) return;
    if (signal.aborted) throw new CliError('interrupted while the containers started');
    if (Date.now() > until) throw new CliError(`not healthy within ${HEALTHY_WITHIN_MS / 1000}s: ${states.filter(([, , h]) => h !== 'healthy').map(([n]) => n).join(', ')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Removes the fleet's containers and network (and keeps nothing running); returns how many containers were removed. */
async function teardown(docker: Docker, project: string): Promise<number> {
  const ids = (await docker(['ps', '--all', '--quiet', '--filter', `label=${FLEET_LABEL}=${project}`])).stdout.split('\n').filter((l) => l !== '');
  if (ids.length > 0) await must(docker, ['rm', '--force', '--volumes', ...ids], 'removing the containers');
  const nets = (await docker(['network', 'ls', '--quiet', '--filter', `label=${FLEET_LABEL}=${project}`])).stdout.split('\n').filter((l) => l !== '');
  if (nets.length > 0) await must(docker, ['network', 'rm', ...nets], 'removing the network');
  return ids.length;
}

async function start(docker: Docker, plan: DockerPlan, signal: AbortSignal, io: CliIO): Promise<void> {
  const t0 = Date.now();
  await must(docker, plan.network, 'creating the network');
  await must(docker, plan.controller.args, 'starting the controller');
  await untilHealthy(docker, [plan.controller], signal);
  const t1 = Date.now();
  await Promise.all(plan.fronts.map((f) => must(docker, f.args, `starting ${f.service}`)));
  await untilHealthy(docker, plan.fronts, signal);
  const s = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;
  io.out(`${plan.fronts.length + 1} containers healthy in ${s(Date.now() - t0)} (the controller in ${s(t1 - t0)}, then the machines in ${s(Date.now() - t1)})`);
}

export async function fleetUpContainers(file: string, flags: ContainerFlags, ctx: { io: CliIO; stateDir: string; signal: AbortSignal; docker?: Docker }): Promise<number> {
  const { io } = ctx;
  for (const [flag, given] of [['--serve', flags.serve], ['--token-file', flags.tokenFile], ['--fleet-file', flags.fleetFile], ['--latency', flags.latency]] as const) {
    if (given !== undefined) throw new CliError(`${flag} cannot be used with --containers`, { exitCode: EXIT.invalid });
  }
  const { topology } = loadOrFail(file, io);
  const faults = flags.fault ?? [];
  faultFlags(faults, topology);
  const docker = ctx.docker ?? dockerCli(io.env);
  const engine = await docker(['version', '--format', '{{.Server.Version}}']);
  if (engine.code !== 0) throw new CliError(`cannot reach the Docker engine: ${tail(engine.stderr || engine.stdout, 3)}`, { suggestions: ['is dockerd running, and DOCKER_HOST set if it is not the default socket?'] });
  const dir = fleetDir(ctx.stateDir, topology.name, flags.state, io.cwd);
  const old = readRecord(dir);
  if (old !== undefined && (await docker(['ps', '--quiet', '--filter', `label=${FLEET_LABEL}=${old.project}`])).stdout.trim() !== '') {
    throw new CliError(`a container fleet is already running from ${dir}`, { exitCode: EXIT.invalid, suggestions: [`orchestrate fleet down --state ${displayPath(dir, io.cwd)}`] });
  }
  const topologyFile = path.resolve(io.cwd, file);
  const topologyText = readText(topologyFile);
  if (topologyText === undefined) throw new CliError(`cannot read ${file}`, { exitCode: EXIT.invalid });
  const options = {
    topology, faults, warm: flags.warm === true, timeScale: flags.timeScale ?? COMPOSE_DEFAULTS.timeScale, portBase: flags.portBase ?? COMPOSE_DEFAULTS.portBase,
    runnerAddress: flags.runnerAddress ?? COMPOSE_DEFAULTS.runnerAddress, subnet: flags.subnet ?? COMPOSE_DEFAULTS.subnet, baseImage: flags.baseImage ?? DEFAULT_BASE_IMAGE,
  };
  rmSync(path.join(dir, 'events.jsonl'), { force: true });
  const project = writeComposeProject({ ...options, dir, topologyFile, topologyText, packageRoot: packageRoot(), commandLine: `orchestrate fleet up ${file} --containers` });
  if (typeof project === 'string') throw new CliError(project, { exitCode: EXIT.invalid });
  const plan = dockerPlan(project.layout, { ...options, playbooks: false }, dir);
  const shown = displayPath(dir, io.cwd);
  io.out(`building ${plan.image} from ${shown} (base ${options.baseImage})`);
  const t0 = Date.now();
  await must(docker, plan.build, 'building the image');
  io.out(`image built in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  const record: Record_ = { project: plan.project, image: plan.image, controller: plan.controller.name };
  writeFileSafe(path.join(dir, RECORD), `${JSON.stringify(record, null, 2)}\n`, PUBLIC);
  try {
    await teardown(docker, plan.project); // a fleet that was left behind (stopped containers, the network)
    await start(docker, plan, ctx.signal, io);
  } catch (e) {
    io.err('removing what was started');
    await teardown(docker, plan.project).catch((t: unknown) => io.err(`could not remove it: ${(t as Error).message}`));
    rmSync(path.join(dir, RECORD), { force: true });
    throw e;
  }
  const { layout } = project;
  const runner = options.runnerAddress;
  io.out(`fleet ${topology.name} as ${layout.machines.length + 1} containers (project ${layout.project}):`);
  const width = Math.max(10, ...layout.machines.map((m) => m.name.length));
  io.out(`  ${'controller'.padEnd(width)} ${layout.controller.address.padEnd(15)} status on ${runner}:${layout.controller.port}`);
  for (const m of layout.machines) io.out(`  ${m.name.padEnd(width)} ${m.address.padEnd(15)} ssh on ${runner}:${m.port}${m.kind === 'hypervisor' ? ' (hypervisor)' : ''}`);
  io.out(`state:     ${shown}`);
  io.out(`run:       orchestrate up ${file} --fleet ${shown}`);
  io.out(`events:    docker cp ${plan.controller.name}:/fleet/state/events.jsonl events.jsonl`);
  io.out(`stop:      orchestrate fleet down --state ${shown}`);
  return 0;
}

function readRecord(dir: string): Record_ | undefined {
  const file = path.join(dir, RECORD);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record_;
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message}`, { exitCode: EXIT.invalid });
  }
}

/** `fleet down` of a container fleet: keeps the controller's event log (DIR/events.jsonl), then removes the containers and the network. Undefined when DIR holds no container fleet. */
export async function containersDown(dir: string, io: CliIO, docker: Docker = dockerCli(io.env)): Promise<number | undefined> {
  const record = readRecord(dir);
  if (record === undefined) return undefined;
  const log = path.join(dir, 'events.jsonl');
  const copied = await docker(['cp', `${record.controller}:/fleet/state/events.jsonl`, log]);
  if (copied.code !== 0) io.err(`the controller's event log was not kept: ${tail(copied.stderr, 2)}`);
  const removed = await teardown(docker, record.project);
  rmSync(path.join(dir, RECORD), { force: true });
  io.out(`container fleet ${record.project} stopped: ${removed} container${removed === 1 ? '' : 's'} and the network removed${copied.code === 0 ? `; event log in ${displayPath(log, io.cwd)}` : ''}`);
  return 0;
}
