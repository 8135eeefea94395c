/**
 * The container fleet as docker CLI commands (`orchestrate fleet up --containers`): the same
 * image, network, addresses, ports, commands and healthchecks as the compose file (compose.ts),
 * run by orchestrate itself so that no Compose is needed. Pure: the argument lists only.
 */
import { controllerCommand, frontCommand, HEALTH, HEALTH_TIMING, published, IN_IMAGE, type ComposeLayout, type ComposeOptions } from './compose.js';

/** The label on every container and on the network, valued with the project: what `fleet down` removes. */
export const FLEET_LABEL = 'orchestrate.fleet';

export interface ContainerRun {
  /** The container's name: PROJECT-SERVICE. */
  readonly name: string;
  /** controller, or the machine's name (also its host name and its alias on the network). */
  readonly service: string;
  /** `docker run` arguments (after `docker`). */
  readonly args: readonly string[];
}

export interface DockerPlan {
  readonly project: string;
  readonly image: string;
  /** `docker build` arguments: the compose directory is the context. */
  readonly build: readonly string[];
  /** `docker network create` arguments. */
  readonly network: readonly string[];
  readonly controller: ContainerRun;
  readonly fronts: readonly ContainerRun[];
}

/** The healthcheck as `docker run` options: the test is the same file test as in the compose file, run by the shell. */
function health(test: readonly string[]): string[] {
  return ['--health-cmd', test.slice(1).join(' '), '--health-interval', HEALTH_TIMING.interval, '--health-timeout', HEALTH_TIMING.timeout, '--health-retries', String(HEALTH_TIMING.retries)];
}

function run(layout: ComposeLayout, options: ComposeOptions, service: string, address: string, port: number, target: number, test: readonly string[], command: readonly string[]): ContainerRun {
  const name = `${layout.project}-${service}`;
  return {
    name, service,
    args: [
      'run', '--detach', '--name', name, '--hostname', service, '--label', `${FLEET_LABEL}=${layout.project}`, '--init',
      '--network', layout.project, '--ip', address, '--network-alias', service,
      '--publish', published(options, port, target), ...health(test),
      `${layout.project}:latest`, ...command,
    ],
  };
}

/** Every docker command that starts the fleet, in order: build, network, controller, fronts. */
export function dockerPlan(layout: ComposeLayout, options: ComposeOptions, dir: string): DockerPlan {
  const image = `${layout.project}:latest`;
  return {
    project: layout.project, image,
    build: ['build', '--tag', image, '--label', `${FLEET_LABEL}=${layout.project}`, '--build-arg', `BASE_IMAGE=${options.baseImage}`, dir],
    network: ['network', 'create', '--driver', 'bridge', '--subnet', options.subnet, '--label', `${FLEET_LABEL}=${layout.project}`, layout.project],
    controller: run(layout, options, 'controller', layout.controller.address, layout.controller.port, IN_IMAGE.controlPort, HEALTH.controller, controllerCommand(options)),
    fronts: layout.machines.map((m) => run(layout, options, m.name, m.address, m.port, IN_IMAGE.sshPort, HEALTH.front, frontCommand(m))),
  };
}
