/**
 * A model is one kind of behaviour between simulated VMs (shared storage, replication, a
 * Hazelcast cluster, DRBD, pcs). It reacts to boots, shutdowns and unit changes, may veto a
 * unit's start, and contributes shell commands.
 */
import type { Host, Topology } from '../../topology/index.js';
import type { CommandHandler } from '../commands/command.js';
import type { UnitState } from '../log.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';

export interface Model {
  /** Adds or changes the units a host runs before its VM is made. */
  adjustUnits?(topology: Topology, host: Host, units: Map<string, { role: string; enabled: boolean }>): void;
  attach?(world: World): void;
  onBoot?(vm: SimVm): void;
  onShutdown?(vm: SimVm): void;
  onUnit?(vm: SimVm, unit: string, state: UnitState): void;
  /** False makes `systemctl start` of the unit fail. */
  canStart?(vm: SimVm, unit: string): boolean;
  /** The text of a simulated file on a VM (`/proc/drbd`), or undefined when the model has none. */
  readFile?(vm: SimVm, path: string): string | undefined;
  /** Shell commands on the VMs (`mysql`, `drbdadm` …), by name. */
  readonly commands?: Readonly<Record<string, CommandHandler>>;
  stop?(): void;
}
