/**
 * MySQL: masters and replicas, replication between them, `read_only`, and the rows a probe
 * writes. Two masters (jtel Large) replicate from each other and one takes writes; a replica
 * replicates from the master on its own side, else from the first master:
 *
 *        side a                 side b
 *   acd-dbm1 (rw)  <------>  acd-dbm2 (ro)     master-master, one active
 *     |      \                  |
 *   acd-dbs1  acd-dbr         acd-dbs2         replicas, read-only
 *
 * With one master (or more than two) the others replicate from the first. A replica's IO thread
 * runs only while its master VM is up with mysqld active; otherwise it shows `Connecting` with
 * Last_IO_Error and retries every Connect_Retry. After an outage it reports a lag that shrinks
 * as it catches up. It stays pointed at its master until `CHANGE MASTER TO`. The `mysql` client
 * is in mysql-client.ts, its SQL in mysql-sql.ts. Not modelled: GTIDs, binlog positions, data.
 */
import type { CommandContext, CommandHandler } from '../commands/command.js';
import type { UnitState } from '../log.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import type { Model } from './model.js';
import { formatMysqladminPing } from '../formats/index.js';
import { runMysql, type MysqlServers } from './mysql-client.js';
import { MysqlRows } from './mysql-rows.js';
import { newReplica, type Replica } from './mysql-status.js';

const MASTER = 'db-master';
const REPLICA_ROLES = ['db-slave', 'db-reporting'];
/** Seconds of lag a replica catches up per simulated second. */
const CATCH_UP_RATE = 10;

export class MysqlModel implements Model, MysqlServers {
  #world!: World;
  readonly #replicas = new Map<string, Replica>();
  readonly #retries = new Map<string, () => void>();
  /**
   * `read_only` per server, kept across mysqld restarts and reboots: as if the operator's
   * configuration (my.cnf) were updated with every switch.
   */
  readonly #readOnly = new Map<string, boolean>();
  readonly #rows = new MysqlRows();
  readonly commands: Readonly<Record<string, CommandHandler>> = {
    mysqladmin: (ctx, args) => this.#mysqladmin(ctx, args),
    mysql: (ctx, args) => runMysql(this, ctx, args),
  };

  attach(world: World): void {
    this.#world = world;
    const masters = world.withRole(MASTER);
    for (const vm of world.vms.values()) {
      if (!vm.host.roles.some((r) => r === MASTER || REPLICA_ROLES.includes(r))) continue;
      this.#readOnly.set(vm.name, vm !== masters[0]);
      const master = masterOf(vm, masters);
      if (master) this.#replicas.set(vm.name, newReplica(master.name, vm.fault('replication-broken') !== undefined));
    }
  }

  /** The mysqld unit of a VM (the unit serving a database role). */
  #unit(vm: SimVm): string | undefined {
    return [...vm.units].find(([, u]) => u.role === MASTER || REPLICA_ROLES.includes(u.role))?.[0];
  }

  alive(vm: SimVm | undefined): boolean {
    if (!vm?.running) return false;
    const unit = this.#unit(vm);
    return unit !== undefined && vm.units.get(unit)?.state === 'active';
  }

  /** mysqld listens on 3306 while it runs. */
  listens(vm: SimVm, port: number): boolean {
    return port === 3306 && this.alive(vm);
  }

  vmFor(host: string): SimVm | undefined {
    return this.#world.vms.get(host) ?? this.#world.vmAt(host);
  }

  onUnit(vm: SimVm, unit: string, state: UnitState): void {
    if (unit !== this.#unit(vm)) return;
    const replica = this.#replicas.get(vm.name);
    if (replica && state === 'active') this.#connect(vm.name, replica);
    if (replica && state !== 'active') this.#disconnect(vm.name, replica, 'No', '');
    if (state === 'active') return;
    for (const [name, r] of this.#replicas) {
      if (this.vmFor(r.master) === vm && r.io === 'Yes') this.#disconnect(name, r, 'Connecting', `error reconnecting to master 'repl@${r.master}:3306' - retry-time: 60  retries: 1`);
    }
  }

  #connect(name: string, r: Replica): void {
    this.#cancelRetry(name);
    if (!this.alive(this.#world.vms.get(name))) return;
    if (this.alive(this.vmFor(r.master))) {
      const now = this.#world.time.now();
      r.lagAtConnect = r.downSince > 0 ? Math.min(3600, (now - r.downSince) / this.#world.time.scale / 1000) : 0;
      Object.assign(r, { io: 'Yes', lastIoError: '', connectedAt: now, downSince: 0 });
      this.#replicate(r.master, name);
      return;
    }
    r.io = 'Connecting';
    // A connection lost keeps its `error reconnecting`; a first attempt says `error connecting`.
    if (r.lastIoError === '') r.lastIoError = `error connecting to master 'repl@${r.master}:3306' - retry-time: 60  retries: 1`;
    if (r.downSince === 0) r.downSince = this.#world.time.now();
    const vm = this.#world.vms.get(name);
    this.#retries.set(name, this.#world.time.after(vm?.behaviour.timings.connectRetryMs ?? 60_000, () => this.#connect(name, r)));
  }

  #disconnect(name: string, r: Replica, io: Replica['io'], error: string): void {
    Object.assign(r, { io, lastIoError: error });
    if (r.downSince === 0) r.downSince = this.#world.time.now();
    if (io === 'Connecting') this.#connect(name, r);
    else this.#cancelRetry(name);
  }

  #cancelRetry(name: string): void {
    this.#retries.get(name)?.();
    this.#retries.delete(name);
  }

  /** Rows `from` has flow to `to`, then on down every replica that replicates (master-master too). */
  #replicate(from: string, to: string): void {
    const master = this.vmFor(from)?.name ?? from;
    const replica = this.#replicas.get(to);
    if (replica?.sql !== 'Yes' || !this.#rows.apply(master, to)) return;
    for (const [name, r] of this.#replicas) {
      if (r.io === 'Yes' && this.vmFor(r.master)?.name === to) this.#replicate(to, name);
    }
  }

  /** Seconds_Behind_Master now, or null when not replicating. */
  lag(r: Replica): number | null {
    if (r.io !== 'Yes' || r.sql !== 'Yes') return null;
    const caughtUp = ((this.#world.time.now() - r.connectedAt) / this.#world.time.scale / 1000) * CATCH_UP_RATE;
    return Math.max(0, Math.round(r.lagAtConnect - caughtUp));
  }

  replica(server: string): Replica | undefined {
    return this.#replicas.get(server);
  }

  readOnly(server: string): boolean {
    return this.#readOnly.get(server) ?? true;
  }

  setReadOnly(server: string, value: boolean): void {
    if (this.readOnly(server) === value) return;
    this.#readOnly.set(server, value);
    this.#world.log.write({ type: 'mysql', host: server, readOnly: value });
  }

  insert(server: string, table: string): void {
    this.#rows.insert(server, table);
    for (const [name, r] of this.#replicas) {
      if (r.io === 'Yes' && this.vmFor(r.master)?.name === server) this.#replicate(server, name);
    }
  }

  count(server: string, table: string): number {
    return this.#rows.count(server, table);
  }

  startReplica(server: string): void {
    const r = this.#replicas.get(server);
    if (r && r.io === 'No') this.#connect(server, r);
  }

  stopReplica(server: string): void {
    const r = this.#replicas.get(server);
    if (r) this.#disconnect(server, r, 'No', '');
  }

  changeMaster(server: string, host: string): void {
    const r = this.#replicas.get(server);
    if (r) r.master = host;
    else this.#replicas.set(server, { ...newReplica(host, false), downSince: this.#world.time.now() });
  }

  #mysqladmin(ctx: CommandContext, args: readonly string[]): number {
    if (!ctx.vm || !this.alive(ctx.vm)) {
      const sock = '/var/lib/mysql/mysql.sock';
      ctx.err(`mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '${sock}' (2)'\nCheck that mysqld is running and that the socket: '${sock}' exists!\n`);
      return 1;
    }
    if (args.includes('ping')) ctx.out(formatMysqladminPing());
    return 0;
  }

}

/** Whom `vm` replicates from: see the module header. */
function masterOf(vm: SimVm, masters: readonly SimVm[]): SimVm | undefined {
  if (vm.host.roles.includes(MASTER)) {
    if (masters.length === 2) return masters.find((m) => m !== vm);
    return vm === masters[0] ? undefined : masters[0];
  }
  return masters.find((m) => m.host.side !== undefined && m.host.side === vm.host.side) ?? masters[0];
}
