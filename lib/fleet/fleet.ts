/**
 * startFleet: one simulated SSH host per VM of a topology and per hypervisor, each on its own
 * loopback address with its own host key, all in this process. Writes what a client needs into
 * the fleet directory: the client key, known_hosts, the overlay (fleet.json) and the event log.
 */
import { closeSync, rmSync } from 'node:fs';
import path from 'node:path';
import { compareNames } from '../util/names.js';
import { createFileSafe, makeDirSafe, PRIVATE, PRIVATE_DIR, PUBLIC, writeFileSafe } from '../util/safe-write.js';
import type { Secrets } from '../util/secrets.js';
import type { FleetOverlay, Host, Topology } from '../topology/index.js';
import { BASIC_COMMANDS } from './commands/basic.js';
import type { CommandHandler } from './commands/command.js';
import { HYPERVISOR_COMMANDS } from './commands/hypervisor.js';
import { SYSTEMCTL_COMMANDS } from './commands/systemctl.js';
import { commandDelay, parseFault, parseLatency, resolveTimings, type Fault, type FleetFile, type HostBehaviour, type Latency } from './config.js';
import { newToken, startControl, TOKEN_FILE } from './control.js';
import { startHttp, type HttpServers } from './http.js';
import { generateEd25519 } from './keys.js';
import { createFleetLog } from './log.js';
import { remoteApi, type RemoteMachine } from './remote-api.js';
import { MysqlModel } from './models/mysql.js';
import { SharesModel } from './models/shares.js';
import { WebModel } from './models/web.js';
import { DrbdModel } from './models/drbd.js';
import { PcsModel } from './models/pcs.js';
import { ServicesModel } from './models/services.js';
import { SmbModel } from './models/smb.js';
import { runShell } from './shell.js';
import { SimulatedSshHost, type ExecHandler } from './ssh-host.js';
import type { SimTime } from './timers.js';
import { unitsOf, World } from './world.js';
import type { Model } from './models/model.js';

export interface FleetOptions {
  readonly topology: Topology;
  /** Where the key, known_hosts, overlay and event log are written. */
  readonly dir: string;
  readonly file?: FleetFile;
  /** Faults from flags, by host, on top of the fleet file's. */
  readonly faults?: ReadonlyMap<string, readonly Fault[]>;
  readonly timeScale?: number;
  readonly warm?: boolean;
  /** Host keys (OpenSSH private key text) by machine name, to keep keys stable across restarts; generated when missing. */
  readonly hostKeys?: ReadonlyMap<string, string>;
  /** Where the control endpoint (status, and the remote API for host fronts) listens. @default 127.0.0.1, a free port */
  readonly serve?: { readonly host: string; readonly port: number };
  /** The delay before every command (`--latency`), instead of the fleet file's `latency`; a host's own entry still wins. @default none */
  readonly latency?: Latency;
  /** Where the latency's jitter comes from: [0, 1), like Math.random (tests make it deterministic). @default Math.random */
  readonly random?: () => number;
  /** The topology's secrets the fleet could read: masked in its event log, as the CLI masks them. @default none */
  readonly secrets?: Secrets;
  /** The control endpoint's token (a containerized fleet shares one with its fronts). @default a new one */
  readonly token?: string;
}

export interface RunningFleet {
  readonly world: World;
  readonly overlay: FleetOverlay;
  readonly dir: string;
  /** The control endpoint's URL. */
  readonly control: string;
  /** The token its every request needs (also in `DIR/control-token`). */
  readonly token: string;
  stop(): Promise<void>;
}

/** The n-th loopback address of the fleet: 127.42.0.2, 127.42.0.3, … */
function address(n: number): string {
  return `127.42.${Math.floor((n + 2) / 250)}.${((n + 2) % 250) + 1}`;
}

/** A machine's latency: its own entry in the fleet file, else --latency, else the file's `latency`. */
function latencyOf(options: Pick<FleetOptions, 'file' | 'latency'>, name: string): Latency | undefined {
  const text = options.file?.hosts?.[name]?.latency;
  const own = text === undefined ? undefined : parseLatency(text);
  if (own !== undefined && typeof own !== 'string') return own;
  if (options.latency) return options.latency;
  const all = options.file?.latency === undefined ? undefined : parseLatency(options.file.latency);
  return all === undefined || typeof all === 'string' ? undefined : all;
}

/** How each machine (a VM, or a hypervisor: its latency) behaves: its timings, faults and latency from the fleet file and flags. */
export function fleetBehaviour(options: Pick<FleetOptions, 'file' | 'faults' | 'latency'>): (machine: string) => HostBehaviour {
  return (name) => {
    const entry = options.file?.hosts?.[name];
    const fromFile = (entry?.faults ?? []).map(parseFault).filter((f): f is Fault => typeof f !== 'string');
    const latency = latencyOf(options, name);
    return { timings: resolveTimings(options.file?.defaults, entry), faults: [...fromFile, ...(options.faults?.get(name) ?? [])], ...(latency ? { latency } : {}) };
  };
}

interface FleetModels {
  readonly list: readonly Model[];
  readonly shares: SharesModel;
  readonly web: WebModel;
  readonly drbd: DrbdModel;
  readonly pcs: PcsModel;
  readonly services: ServicesModel;
}

/** The models of a fleet: what the services do to each other. */
function fleetModels(): FleetModels {
  const shares = new SharesModel();
  const drbd = new DrbdModel();
  const pcs = new PcsModel({ drbd, shares });
  const web = new WebModel(shares, pcs);
  const services = new ServicesModel();
  return { list: [shares, new MysqlModel(), web, drbd, pcs, new SmbModel(pcs), services], shares, web, drbd, pcs, services };
}

/** A host's systemd units as its simulated VM has them (the roles' units, changed by the models: Pacemaker's, declared services). */
export function fleetUnits(topology: Topology, host: Host): Map<string, { role: string; enabled: boolean }> {
  const units = unitsOf(topology, host);
  for (const m of fleetModels().list) m.adjustUnits?.(topology, host, units);
  return units;
}

/** Each command's delay in real ms (none without a latency): simulated time, scaled like every fleet duration. */
function delayOf(latency: Latency | undefined, time: SimTime, random: () => number): { delay?: () => number } {
  if (!latency || (latency.ms === 0 && latency.jitterMs === 0)) return {};
  return { delay: () => time.real(commandDelay(latency, random)) };
}

export async function startFleet(options: FleetOptions): Promise<RunningFleet> {
  makeDirSafe(options.dir, PRIVATE_DIR);
  const key = generateEd25519();
  const identity = path.join(options.dir, 'id_ed25519');
  // A new file each time: a key file left readable by others (0644) is replaced by a 0600 one.
  writeFileSafe(identity, key.private, PRIVATE);
  writeFileSafe(`${identity}.pub`, `${key.public}\n`, PUBLIC);
  const logFile = path.join(options.dir, 'events.jsonl');
  // A new, empty log (0600: every command the machines receive); a symlink planted there is removed, not followed.
  rmSync(logFile, { force: true });
  closeSync(createFileSafe(logFile, PRIVATE));
  const log = createFleetLog({ file: logFile, ...(options.secrets ? { secrets: options.secrets } : {}) });
  const { list: models, web, drbd, pcs, services } = fleetModels();
  const timeScale = options.timeScale ?? options.file?.time_scale ?? 1;
  const behaviour = fleetBehaviour(options);
  const world = new World({ topology: options.topology, behaviour: (host) => behaviour(host.name), timeScale, log, models });
  const vmCommands = new Map<string, CommandHandler>(Object.entries({ ...BASIC_COMMANDS, ...SYSTEMCTL_COMMANDS, ...Object.assign({}, ...models.map((m) => m.commands ?? {})) as Record<string, CommandHandler> }));
  const hvCommands = new Map<string, CommandHandler>(Object.entries({ ...BASIC_COMMANDS, ...HYPERVISOR_COMMANDS }));
  const authorizedKeys = [key.parsed.getPublicSSH()];
  const hosts: SimulatedSshHost[] = [];
  let n = 0;
  const hypervisorAt: Record<string, { address: string; port: number }> = {};
  const machines = new Map<string, RemoteMachine>();
  const keyOf = (name: string): { hostKey?: string } => {
    const hostKey = options.hostKeys?.get(name);
    return hostKey === undefined ? {} : { hostKey };
  };
  const random = options.random ?? Math.random;
  for (const hv of world.hypervisors.values()) {
    const handler: ExecHandler = (x) => runShell({ world, hypervisor: hv, commands: hvCommands }, x);
    const host = new SimulatedSshHost({ name: hv.name, address: address(n++), authorizedKeys, handler, ...keyOf(hv.name), ...delayOf(behaviour(hv.name).latency, world.time, random) });
    machines.set(hv.name, { ssh: host, handler });
    await host.start();
    hosts.push(host);
    hypervisorAt[hv.name] = { address: host.address, port: host.port };
  }
  const hostAt: Record<string, { address: string; port: number }> = {};
  for (const vm of [...world.vms.values()].sort((a, b) => compareNames(a.name, b.name))) {
    const connect = (from: typeof vm | undefined, name: string, port: number) => web.connect(from, name, port);
    const handler: ExecHandler = (x) => runShell({ world, vm, commands: vmCommands, connect }, x);
    vm.ssh = new SimulatedSshHost({
      name: vm.name, address: address(n++), authorizedKeys, maxSessions: vm.host.ssh.maxSessions, handler, ...keyOf(vm.name), ...delayOf(vm.behaviour.latency, world.time, random),
    });
    machines.set(vm.name, { ssh: vm.ssh, handler });
    await vm.ssh.start(); // takes a port, kept for when the VM boots
    hostAt[vm.name] = { address: vm.ssh.address, port: vm.ssh.port };
  }
  // The HTTP listeners share the VMs' addresses and take free ports: while every sshd still holds
  // its port, so that none can take a port a VM needs again when it boots (EADDRINUSE at boot).
  const http: HttpServers = await startHttp(world, web);
  const warm = options.warm ?? options.file?.warm ?? false;
  if (!warm) for (const vm of world.vms.values()) await vm.ssh.stop();
  // The control endpoint runs commands as any machine: only holders of the token (0600, beside the keys) may use it.
  const token = options.token ?? newToken();
  const tokenFile = path.join(options.dir, TOKEN_FILE);
  writeFileSafe(tokenFile, `${token}\n`, PRIVATE);
  const control = await startControl(world, { token, api: remoteApi(machines), ...(options.serve ? { listen: options.serve } : {}) });
  const knownHosts = path.join(options.dir, 'known_hosts');
  const keyLines = [...hosts, ...[...world.vms.values()].map((vm) => vm.ssh)].map((h) => `[${h.address}]:${h.port} ${h.hostPublicKey}`);
  writeFileSafe(knownHosts, `${keyLines.join('\n')}\n`, PUBLIC);
  const overlay: FleetOverlay = {
    version: 1, topology: options.topology.name, hosts: hostAt, hypervisors: hypervisorAt, identity, knownHosts,
    timeScale, http: http.urls,
  };
  // topologyFile: what a bare `down --fleet DIR` runs (the fleet's own topology, not the last up anywhere).
  const topologyFile = path.resolve(options.topology.file);
  writeFileSafe(path.join(options.dir, 'fleet.json'), `${JSON.stringify({ ...overlay, control: control.url, controlToken: tokenFile, topologyFile }, null, 2)}\n`, PUBLIC);
  log.write({ type: 'fleet-started', version: 1, topology: options.topology.name, hosts: Object.keys(hostAt), hypervisors: Object.keys(hypervisorAt), timeScale, warm });
  for (const vm of world.vms.values()) {
    if (warm) await vm.startWarm();
    else if (vm.host.power.driver === 'none') vm.powerOn('boots by itself');
  }
  if (warm) {
    drbd.warm();
    pcs.warm();
    world.warmUp();
    services.warm();
  }
  return {
    world, overlay, dir: options.dir, control: control.url, token,
    async stop() {
      world.stop();
      await Promise.all([...hosts.map((h) => h.stop()), ...[...world.vms.values()].map((vm) => vm.ssh.stop()), http.close(), control.close()]);
      log.write({ type: 'fleet-stopped' });
      log.flush();
      // A stopped fleet cannot be run against; its evidence (events.jsonl) stays.
      rmSync(path.join(options.dir, 'fleet.json'), { force: true });
    },
  };
}
