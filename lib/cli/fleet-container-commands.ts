/** `orchestrate fleet compose` and `orchestrate fleet serve-host`: the simulated fleet as one container per machine (docs/ci.md). */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ServeHostFlags } from './commands/fleet-compose.js';
import { COMPOSE_DEFAULTS, type ComposeFlags } from './compose-defaults.js';
import type { CliIO } from './io.js';
import { positiveInt, positiveNumber } from './parse-args.js';

/** What the container commands need from the CLI (a subset of what `addFleetCommands` gets). */
export interface ContainerCommandsContext {
  readonly io: CliIO;
  /** Aborted by SIGINT or SIGTERM (`docker stop`). */
  readonly signal: AbortSignal;
  /** Where an action leaves its exit code. */
  readonly result: { code: number };
}

/** Parses `HOST:PORT` (`0.0.0.0:7000`, `[::]:22`); port 0 takes a free port. */
export function hostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(value);
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new InvalidArgumentError('expected HOST:PORT, e.g. 0.0.0.0:7000');
  return { host: m[1] ?? m[2] ?? '', port };
}

function port(value: string): number {
  const n = positiveInt(value);
  if (n > 65535) throw new InvalidArgumentError('expected a port number');
  return n;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** compose.ts's DEFAULT_BASE_IMAGE, repeated so that `--help` does not load the fleet. */
const DEFAULT_BASE_IMAGE_TEXT = 'node:20-bookworm-slim';

/** The options `fleet up` takes for `--containers` (docs/ci.md). */
export function addContainerUpOptions(up: Command): Command {
  const d = COMPOSE_DEFAULTS;
  return up
    .option('--containers', 'one container per machine, started with the docker CLI; returns once they are healthy (docs/ci.md)')
    .option('--base-image <image>', `with --containers: the image's base, any with Node 20.19+ as node (default: ${DEFAULT_BASE_IMAGE_TEXT})`)
    .option('--port-base <port>', `with --containers: the status endpoint's published port, the machines' SSH on the ports after it (default: ${d.portBase})`, port)
    .option('--runner-address <host>', `with --containers: where the published ports are reached (default: ${d.runnerAddress}, published on loopback only)`)
    .option('--subnet <cidr>', `with --containers: the containers' network (default: ${d.subnet})`);
}

/** Adds `compose` and `serve-host` to the `fleet` command group. */
export function addContainerCommands(fleet: Command, ctx: ContainerCommandsContext): void {
  const d = COMPOSE_DEFAULTS;
  fleet.command('compose').description('write a docker-compose project of the simulated fleet: one container per machine, each with its own address (docs/ci.md)')
    .argument('<topology>', 'topology YAML file')
    .option('-o, --out <dir>', `where to write it (default: ${d.out})`)
    .option('--time-scale <x>', `simulated durations are multiplied by this (default: ${d.timeScale})`, positiveNumber)
    .option('--warm', 'start with every VM running (default: all off)')
    .option('--fault <host:fault>', 'inject a fault, as for fleet up (repeatable)', collect)
    .option('--port-base <port>', `publish the status endpoint on this port and the machines' SSH on the ports after it (default: ${d.portBase})`, port)
    .option('--runner-address <host>', `where the CI job reaches the published ports, e.g. docker for a docker:dind service (default: ${d.runnerAddress}; any other is published on every interface)`)
    .option('--subnet <cidr>', `the compose network (default: ${d.subnet})`)
    .option('--base-image <image>', `the image's base: any with Node 20.19+ as node (default: ${DEFAULT_BASE_IMAGE_TEXT})`)
    .action(async (file: string, flags: ComposeFlags) => {
      const { fleetComposeCommand } = await import('./commands/fleet-compose.js');
      ctx.result.code = fleetComposeCommand(file, flags, ctx.io);
    });
  fleet.command('serve-host').description('answer SSH for one machine of a fleet whose controller runs elsewhere (what each container of `fleet compose` runs)')
    .argument('<name>', 'the VM or hypervisor')
    .requiredOption('--controller <url>', 'the controller: `fleet up --serve`, e.g. http://controller:7000')
    .requiredOption('--token-file <file>', "the controller's token (fleet up --token-file; `fleet compose` writes keys/control-token)")
    .requiredOption('--key <file>', 'host key (OpenSSH private key)')
    .requiredOption('--authorized-key <file>', 'public key(s) allowed to log in')
    .addOption(new Option('--listen <host:port>', 'where to answer SSH').argParser(hostPort).default({ host: '0.0.0.0', port: 22 }, '0.0.0.0:22'))
    .option('--ready-file <file>', 'written once it follows the controller, removed when it stops (for a healthcheck)')
    .option('--max-sessions <n>', 'sessions per connection, as the topology\'s max_sessions (default: 10)', positiveInt)
    .action(async (name: string, flags: ServeHostFlags) => {
      const { serveHostCommand } = await import('./commands/fleet-compose.js');
      ctx.result.code = await serveHostCommand(name, flags, { io: ctx.io, signal: ctx.signal });
    });
}
