/**
 * The simulated platform: every VM and hypervisor of a topology, simulated time, the event log,
 * and the models of what the services do to each other. SSH servers are attached by fleet.ts.
 */
import { compareNames } from '../util/names.js';
import { hostVars, type Host, type Topology } from '../topology/index.js';
import type { HostBehaviour } from './config.js';
import type { FleetLog, UnitState } from './log.js';
import type { CommandHandler } from './commands/command.js';
import type { Model, UnitProcess } from './models/model.js';
import type { HttpAnswer } from './models/web.js';
import { SimTime } from './timers.js';
import { SimVm } from './vm.js';

/** A hypervisor and the VMs it runs, by the name its driver uses (domain name or VMID). */
export interface SimHypervisor {
  readonly name: string;
  readonly driver: 'virsh' | 'qm';
  readonly vms: ReadonlyMap<string, SimVm>;
}

export interface WorldOptions {
  readonly topology: Topology;
  readonly behaviour: (host: Host) => HostBehaviour;
  readonly timeScale: number;
  readonly log: FleetLog;
  readonly models: readonly Model[];
}

/** Units a host runs: every `*_unit` variable of its roles (e.g. mysql_unit: mysqld), enabled at boot. */
export function unitsOf(topology: Topology, host: Host): Map<string, { role: string; enabled: boolean }> {
  const units = new Map<string, { role: string; enabled: boolean }>();
  for (const roleName of host.roles) {
    const role = topology.roles.get(roleName);
    if (!role) continue;
    for (const [key, value] of Object.entries(hostVars(topology, host, role))) {
      if (key.endsWith('_unit') && !units.has(value)) units.set(value, { role: roleName, enabled: true });
    }
  }
  return units;
}

export class World {
  readonly topology: Topology;
  readonly time: SimTime;
  readonly log: FleetLog;
  readonly vms = new Map<string, SimVm>();
  readonly hypervisors = new Map<string, SimHypervisor>();
  readonly models: readonly Model[];
  /** VMs by role, in name order: roles never change, and models ask on every event. */
  readonly #byRole = new Map<string, readonly SimVm[]>();

  constructor(options: WorldOptions) {
    this.topology = options.topology;
    this.time = new SimTime(options.timeScale);
    this.log = options.log;
    this.models = options.models;
    for (const host of options.topology.hosts) {
      const units = unitsOf(options.topology, host);
      for (const m of this.models) m.adjustUnits?.(options.topology, host, units);
      this.vms.set(host.name, new SimVm(this, host, options.behaviour(host), units));
    }
    this.#placeOnHypervisors();
    for (const m of this.models) m.attach?.(this);
  }

  #placeOnHypervisors(): void {
    const placed = new Map<string, { driver: 'virsh' | 'qm'; vms: Map<string, SimVm> }>();
    for (const vm of this.vms.values()) {
      const p = vm.host.power;
      if (p.driver !== 'virsh' && p.driver !== 'qm') continue;
      const entry = placed.get(p.hypervisor) ?? { driver: p.driver, vms: new Map<string, SimVm>() };
      entry.vms.set(p.vm, vm);
      placed.set(p.hypervisor, entry);
    }
    for (const [name, entry] of [...placed].sort(([a], [b]) => compareNames(a, b))) this.hypervisors.set(name, { name, ...entry });
  }

  /** VMs carrying `role`, in name order. */
  withRole(role: string): readonly SimVm[] {
    let vms = this.#byRole.get(role);
    if (!vms) {
      vms = [...this.vms.values()].filter((vm) => vm.host.roles.includes(role)).sort((a, b) => compareNames(a.name, b.name));
      this.#byRole.set(role, vms);
    }
    return vms;
  }

  /** The VM with this topology address or fleet address (127.42.x.y), if any. */
  vmAt(address: string): SimVm | undefined {
    if (this.#byAddress === undefined) {
      this.#byAddress = new Map();
      for (const vm of this.vms.values()) {
        this.#byAddress.set(vm.ssh.address, vm);
        if (!this.#byAddress.has(vm.host.ssh.address)) this.#byAddress.set(vm.host.ssh.address, vm);
      }
    }
    return this.#byAddress.get(address);
  }

  /** Built at the first lookup: the SSH servers (and their addresses) are attached after the world is made. */
  #byAddress: Map<string, SimVm> | undefined;

  /** Whether the unit serving `role` is active on `vm`. */
  roleActive(vm: SimVm, role: string): boolean {
    return vm.running && [...vm.units.values()].some((u) => u.role === role && u.state === 'active');
  }

  canStart(vm: SimVm, unit: string): boolean {
    return this.models.every((m) => m.canStart?.(vm, unit) ?? true);
  }

  /** Whether `port` accepts connections on `vm`: sshd's 22 while it listens, else what a model serves. */
  listens(vm: SimVm, port: number): boolean {
    if (!vm.running) return false;
    return (port === 22 && vm.ssh.listening) || this.models.some((m) => m.listens?.(vm, port) ?? false);
  }

  /** The first model's answer to an HTTP request on `vm`:`port`. */
  http(vm: SimVm, port: number, path: string): HttpAnswer | undefined {
    for (const m of this.models) {
      const answer = m.http?.(vm, port, path);
      if (answer) return answer;
    }
    return undefined;
  }

  program(vm: SimVm, argv: readonly string[]): CommandHandler | undefined {
    for (const m of this.models) {
      const p = m.program?.(vm, argv);
      if (p) return p;
    }
    return undefined;
  }

  unitProcess(vm: SimVm, unit: string): UnitProcess | undefined {
    for (const m of this.models) {
      const p = m.unitProcess?.(vm, unit);
      if (p) return p;
    }
    return undefined;
  }

  onBoot(vm: SimVm): void {
    for (const m of this.models) m.onBoot?.(vm);
  }

  onShutdown(vm: SimVm): void {
    for (const m of this.models) m.onShutdown?.(vm);
  }

  onUnit(vm: SimVm, unit: string, state: UnitState): void {
    for (const m of this.models) m.onUnit?.(vm, unit, state);
  }

  /** After every VM of a warm fleet runs: the models learn what is up, as if they had watched it start. */
  warmUp(): void {
    for (const vm of this.vms.values()) {
      this.onBoot(vm);
      for (const [name, unit] of vm.units) if (unit.state === 'active') this.onUnit(vm, name, 'active');
    }
  }

  /** Stops simulated time: every pending timer of the VMs and the models is cleared. */
  stop(): void {
    this.time.stop();
  }
}
