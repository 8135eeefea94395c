/**
 * The `orchestrate fleet …` command group. Each action loads its command (and the simulated
 * fleet) when it runs, so that `--help` and the other commands do not.
 */
import { Option, type Command } from 'commander';
import type { Action } from '../plan/index.js';
import { addContainerCommands, addContainerUpOptions, hostPort } from './fleet-container-commands.js';
import type { FleetFlags } from './fleet-options.js';
import type { CliIO } from './io.js';
import { positiveNumber } from './parse-args.js';
import { fleetDir } from './state.js';

interface Ctx {
  readonly io: CliIO;
  readonly signal: AbortSignal;
  readonly result: { code: number };
  readonly stateDir: () => string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The fleet directory of a command: --state, or the default for the topology. */
async function dirOf(ctx: Ctx, file: string | undefined, state: string | undefined): Promise<string> {
  if (file === undefined && state === undefined) return fleetDir(ctx.stateDir(), 'acd-small', undefined, ctx.io.cwd);
  const { loadOrFail } = await import('./load.js');
  const name = file === undefined ? '' : loadOrFail(file, ctx.io).topology.name;
  return fleetDir(ctx.stateDir(), name, state, ctx.io.cwd);
}

export function addFleetCommands(program: Command, ctx: Ctx): void {
  const fleet = program.command('fleet').description('a simulated fleet of the topology\'s VMs, reachable over real SSH (for rehearsals and CI)');
  addContainerUpOptions(fleet.command('up').description('start the simulated fleet of a topology'))
    .argument('<topology>', 'topology YAML file')
    .option('--state <dir>', 'fleet directory (default: STATE_DIR/fleet/TOPOLOGY_NAME)')
    .option('-d, --detach', 'run in the background; stop it with `fleet down`')
    .option('--warm', 'start with every VM running (default: all off)')
    .option('--fleet-file <file>', 'timings, time scale and faults per host (docs/fleet.md)')
    .option('--fault <host:fault>', 'inject a fault, e.g. acd-dbm:never-boots or acd-jb1:hang=systemctl start jboss (repeatable)', collect)
    .option('--time-scale <x>', 'simulated durations are multiplied by this (0.1: ten times as fast)', positiveNumber)
    .option('--latency <latency>', 'a delay before every command of every simulated machine, e.g. 200ms±100ms or 200ms+-100ms (simulated time, uniform jitter)')
    .option('--serve <host:port>', 'where the control endpoint listens, with the remote API for `fleet serve-host` (default: 127.0.0.1, a free port)', hostPort)
    .option('--token-file <file>', "the control endpoint's token, from this file (default: a new one); it is copied to DIR/control-token")
    .action(async (file: string, flags: FleetFlags & { serve?: { host: string; port: number }; containers?: boolean }) => {
      if (flags.containers === true) {
        const { fleetUpContainers } = await import('./commands/fleet-containers.js');
        ctx.result.code = await fleetUpContainers(file, flags, { io: ctx.io, stateDir: ctx.stateDir(), signal: ctx.signal });
        return;
      }
      const { fleetUpCommand } = await import('./commands/fleet-up.js');
      ctx.result.code = await fleetUpCommand(file, flags, { io: ctx.io, stateDir: ctx.stateDir(), signal: ctx.signal, ...(flags.serve ? { serve: flags.serve } : {}) });
    });
  fleet.command('down').description('stop a background fleet')
    .argument('[topology]', 'the topology it was started from (to find its directory)')
    .option('--state <dir>', 'fleet directory')
    .action(async (file: string | undefined, flags: { state?: string }) => {
      const { fleetDownCommand } = await import('./commands/fleet-admin.js');
      ctx.result.code = await fleetDownCommand(await dirOf(ctx, file, flags.state), ctx.io);
    });
  fleet.command('status').description('power, SSH, units and mounts of every simulated machine')
    .argument('[topology]', 'the topology it was started from (to find its directory)')
    .option('--state <dir>', 'fleet directory')
    .option('--json', 'as JSON')
    .action(async (file: string | undefined, flags: { state?: string; json?: boolean }) => {
      const { fleetStatusCommand } = await import('./commands/fleet-admin.js');
      ctx.result.code = await fleetStatusCommand(await dirOf(ctx, file, flags.state), flags.json === true, ctx.io);
    });
  fleet.command('verify').description('check the runbook order from a fleet event log')
    .argument('<log>', 'the events.jsonl of a fleet')
    .requiredOption('-t, --topology <file>', 'the topology that was run')
    .addOption(new Option('-a, --action <action>', 'which run to check').choices(['up', 'down']).makeOptionMandatory())
    .option('-l, --limit <pattern>', 'the run was limited: check the hosts of its plan only (docs/cli.md#limit; repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'violations as JSON')
    .action(async (log: string, flags: { topology: string; action: Action; limit?: string[]; json?: boolean }) => {
      const { fleetVerifyCommand } = await import('./commands/fleet-admin.js');
      ctx.result.code = fleetVerifyCommand(log, { topology: flags.topology, action: flags.action, limit: flags.limit, json: flags.json === true }, ctx.io);
    });
  addContainerCommands(fleet, ctx);
}
