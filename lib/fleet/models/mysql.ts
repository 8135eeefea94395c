/**
 * MySQL: masters and replicas. A replica's IO thread runs only while its master VM is up with
 * mysqld active; otherwise it shows `Connecting` with Last_IO_Error and retries every
 * Connect_Retry. After an outage it reports a lag that shrinks as it catches up.
 */
import type { CommandContext, CommandHandler } from '../commands/command.js';
import type { UnitState } from '../log.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import type { Model } from './model.js';
import { formatMysqladminPing, formatSlaveStatus } from '../formats/index.js';
import { replicaStatus, type Replica } from './mysql-status.js';

const MASTER = 'db-master';
const REPLICA_ROLES = ['db-slave', 'db-reporting'];
/** Seconds of lag a replica catches up per simulated second. */
const CATCH_UP_RATE = 10;

export class MysqlModel implements Model {
  #world!: World;
  readonly #replicas = new Map<string, Replica>();
  readonly #retries = new Map<string, () => void>();
  readonly commands: Readonly<Record<string, CommandHandler>> = {
    mysqladmin: (ctx, args) => this.#mysqladmin(ctx, args),
    mysql: (ctx, args) => this.#mysql(ctx, args),
  };

  attach(world: World): void {
    this.#world = world;
    const masters = world.withRole(MASTER);
    for (const vm of world.vms.values()) {
      const isReplica = vm.host.roles.some((r) => REPLICA_ROLES.includes(r));
      const isOtherMaster = vm.host.roles.includes(MASTER) && masters[0] !== vm;
      const master = masters.find((m) => m !== vm);
      if ((isReplica || isOtherMaster) && master) {
        const broken = vm.fault('replication-broken') !== undefined;
        this.#replicas.set(vm.name, { master: master.name, io: 'No', sql: broken ? 'No' : 'Yes', lastIoError: '', lagAtConnect: 0, connectedAt: 0, downSince: 0, broken });
      }
    }
  }

  /** The mysqld unit of a VM (the unit serving a database role). */
  #unit(vm: SimVm): string | undefined {
    return [...vm.units].find(([, u]) => u.role === MASTER || REPLICA_ROLES.includes(u.role))?.[0];
  }

  #alive(vm: SimVm | undefined): boolean {
    if (!vm?.running) return false;
    const unit = this.#unit(vm);
    return unit !== undefined && vm.units.get(unit)?.state === 'active';
  }

  onUnit(vm: SimVm, unit: string, state: UnitState): void {
    if (unit !== this.#unit(vm)) return;
    const replica = this.#replicas.get(vm.name);
    if (replica && state === 'active') this.#connect(vm.name, replica);
    if (replica && state !== 'active') this.#disconnect(vm.name, replica, 'No', '');
    if (!vm.host.roles.includes(MASTER) || state === 'active') return;
    for (const [name, r] of this.#replicas) {
      if (r.master === vm.name && r.io === 'Yes') this.#disconnect(name, r, 'Connecting', `error reconnecting to master 'repl@${vm.name}:3306' - retry-time: 60  retries: 1`);
    }
  }

  #connect(name: string, r: Replica): void {
    this.#retries.get(name)?.();
    this.#retries.delete(name);
    if (!this.#alive(this.#world.vms.get(name))) return;
    const master = this.#world.vms.get(r.master);
    if (this.#alive(master)) {
      const now = this.#world.time.now();
      r.lagAtConnect = r.downSince > 0 ? Math.min(3600, (now - r.downSince) / this.#world.time.scale / 1000) : 0;
      Object.assign(r, { io: 'Yes', lastIoError: '', connectedAt: now, downSince: 0 });
      return;
    }
    r.io = 'Connecting';
    r.lastIoError = `error connecting to master 'repl@${r.master}:3306' - retry-time: 60  retries: 1`;
    if (r.downSince === 0) r.downSince = this.#world.time.now();
    const vm = this.#world.vms.get(name);
    this.#retries.set(name, this.#world.time.after(vm?.behaviour.timings.connectRetryMs ?? 60_000, () => this.#connect(name, r)));
  }

  #disconnect(name: string, r: Replica, io: Replica['io'], error: string): void {
    Object.assign(r, { io, lastIoError: error });
    if (r.downSince === 0) r.downSince = this.#world.time.now();
    if (io === 'Connecting') this.#connect(name, r);
  }

  /** Seconds_Behind_Master now, or null when not replicating. */
  lag(r: Replica): number | null {
    if (r.io !== 'Yes' || r.sql !== 'Yes') return null;
    const caughtUp = ((this.#world.time.now() - r.connectedAt) / this.#world.time.scale / 1000) * CATCH_UP_RATE;
    return Math.max(0, Math.round(r.lagAtConnect - caughtUp));
  }

  #down(ctx: CommandContext, tool: string): number {
    const sock = '/var/lib/mysql/mysql.sock';
    if (tool === 'mysqladmin') {
      ctx.err(`mysqladmin: connect to server at 'localhost' failed\nerror: 'Can't connect to local MySQL server through socket '${sock}' (2)'\nCheck that mysqld is running and that the socket: '${sock}' exists!\n`);
    } else {
      ctx.err(`ERROR 2002 (HY000): Can't connect to local MySQL server through socket '${sock}' (2)\n`);
    }
    return 1;
  }

  #mysqladmin(ctx: CommandContext, args: readonly string[]): number {
    if (!ctx.vm || !this.#alive(ctx.vm)) return this.#down(ctx, 'mysqladmin');
    if (args.includes('ping')) ctx.out(formatMysqladminPing());
    return 0;
  }

  #mysql(ctx: CommandContext, args: readonly string[]): number {
    if (!ctx.vm || !this.#alive(ctx.vm)) return this.#down(ctx, 'mysql');
    const { sql, headers } = mysqlArgs(args);
    const q = sql.trim().replace(/;$/, '');
    const replica = this.#replicas.get(ctx.vm.name);
    if (/^SHOW (SLAVE|REPLICA) STATUS(\\G)?$/i.test(q)) {
      if (replica) ctx.out(formatSlaveStatus(replicaStatus(replica, this.lag(replica), /REPLICA/i.test(q) ? 'mysql80' : 'mysql57')));
      return 0;
    }
    if (/^SELECT @@(global\.)?read_only$/i.test(q)) {
      ctx.out(`${headers ? '@@read_only\n' : ''}${ctx.vm.host.roles.includes(MASTER) ? 0 : 1}\n`);
      return 0;
    }
    if (/^(STOP|START) (SLAVE|REPLICA)$/i.test(q)) {
      if (replica && /^STOP/i.test(q)) this.#disconnect(ctx.vm.name, replica, 'No', '');
      if (replica && /^START/i.test(q)) this.#connect(ctx.vm.name, replica);
      return 0;
    }
    if (/^SELECT 1$/i.test(q)) {
      ctx.out(`${headers ? '1\n' : ''}1\n`);
      return 0;
    }
    ctx.err(`ERROR 1064 (42000): You have an error in your SQL syntax near '${q.slice(0, 40)}' at line 1\n`);
    return 1;
  }

  stop(): void {
    for (const cancel of this.#retries.values()) cancel();
  }
}

/** `-NBe 'SQL'`, `-e SQL`, `--execute=SQL`, `-N`: the SQL and whether headers are printed. */
export function mysqlArgs(args: readonly string[]): { sql: string; headers: boolean } {
  let sql = '';
  let headers = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a.startsWith('--execute=')) sql = a.slice(10);
    else if (a === '--skip-column-names') headers = false;
    else if (/^-[A-Za-z]+/.test(a) && !a.startsWith('--')) {
      if (a.includes('N')) headers = false;
      const e = a.indexOf('e');
      if (e > 0) sql = e < a.length - 1 ? a.slice(e + 1) : args[++i] ?? '';
    }
  }
  return { sql, headers };
}
