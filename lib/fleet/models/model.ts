/**
 * A model is one kind of behaviour between simulated VMs (shared storage, replication, a
 * Hazelcast cluster, DRBD, pcs, declared services). It reacts to boots, shutdowns and unit
 * changes, may veto a unit's start, contributes shell commands and programs, and says which
 * ports listen and what they answer.
 */
import type { Host, Topology } from '../../topology/index.js';
import type { CommandHandler } from '../commands/command.js';
import type { UnitState } from '../log.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import type { HttpAnswer } from './web.js';

/** The main process of a unit, where a model simulates it: how it stops and what signals do to it. */
export interface UnitProcess {
  readonly pid: number;
  /** `systemctl stop`: TERM, deactivating until it exits (after TimeoutStopSec systemd kills it). The unit's state after. */
  stop(): Promise<UnitState>;
  /** `systemctl kill -s SIGNAL`, `systemctl reload` (HUP). */
  signal(signal: string): void;
}

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
  /** Whether something on the VM accepts TCP connections on `port` (`bash -c '</dev/tcp/…'`). */
  listens?(vm: SimVm, port: number): boolean;
  /** The answer of an HTTP port the model serves; undefined when it serves none there. */
  http?(vm: SimVm, port: number, path: string): HttpAnswer | undefined;
  /** HTTP ports the model serves on the VM, for the controller's real listeners (http.ts). */
  httpPorts?(vm: SimVm): readonly number[];
  /** A program run by its path or full command line (`/etc/init.d/srs`, a daemon's start command). */
  program?(vm: SimVm, argv: readonly string[]): CommandHandler | undefined;
  /** The simulated main process of a unit while it has one. */
  unitProcess?(vm: SimVm, unit: string): UnitProcess | undefined;
  /** Shell commands on the VMs (`mysql`, `drbdadm` …), by name. */
  readonly commands?: Readonly<Record<string, CommandHandler>>;
}
