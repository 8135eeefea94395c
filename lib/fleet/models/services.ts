/**
 * The services that the topology's service steps declare (service-decl.ts), each one a simulated
 * daemon (daemon.ts) under its manager: a systemd unit, whose main process follows the unit
 * (systemctl.ts asks `unitProcess` how to stop and signal it); an init script (initd.ts); a
 * daemontools service directory under supervise (supervise.ts); or a daemon that writes a
 * pidfile and is signalled with `pkill -F` (procps.ts). Init scripts and supervised services
 * start at boot (unless the directory has a `down` file), as installed services do; a pidfile
 * daemon only when its command runs. Once ready, a daemon serves its health check's port: HTTP
 * 200 on the declared path, or an open TCP port. Every change is a `service` event.
 */
import type { Host, Topology } from '../../topology/index.js';
import type { CommandHandler } from '../commands/command.js';
import type { Fault } from '../config.js';
import { initdCommand, serviceCommand } from '../commands/initd.js';
import { procpsCommands } from '../commands/procps.js';
import type { SimVm } from '../vm.js';
import type { World } from '../world.js';
import { Daemon, QUIT_MS, SRS_GRACE_FINAL_MS, SRS_GRACE_START_MS, type DaemonChange } from './daemon.js';
import type { Model, UnitProcess } from './model.js';
import { names, servicesOf, type ServiceDecl } from './service-decl.js';
import { svcCommand, svstatCommand, superviseExit, superviseStart } from './supervise.js';
import type { HttpAnswer } from './web.js';

/** systemd's default TimeoutStopSec: then it kills what ignored TERM. */
export const TIMEOUT_STOP_MS = 90_000;

/** One declared service on one VM. */
export interface SimService {
  readonly decl: ServiceDecl;
  readonly vm: SimVm;
  /** The current or last process. */
  daemon?: Daemon;
  /** Starts so far (fault service-crashes counts them). */
  starts: number;
  /** daemontools: what supervise wants (undefined after `svc -o`: no restart). */
  want: 'up' | 'down' | undefined;
  paused: boolean;
  /** daemontools: when the pid last changed (real ms), svstat's seconds. */
  since: number;
  /** daemontools: supervise's pending restart. */
  restart: (() => void) | undefined;
}

export class ServicesModel implements Model {
  #world!: World;
  readonly #services = new Map<string, SimService[]>();
  /** Per VM: pidfile path → the pid written in it. */
  readonly #pidfiles = new Map<string, Map<string, number>>();
  /** Per VM: other files made with `touch` (daemontools' `down` files). */
  readonly #files = new Map<string, Set<string>>();
  /** Each host's declarations, read once when its units are made. */
  readonly #declared = new Map<string, readonly ServiceDecl[]>();
  #nextPid = 1187;
  readonly commands: Readonly<Record<string, CommandHandler>> = {
    svc: svcCommand(this), svstat: svstatCommand(this), service: serviceCommand(this), ...procpsCommands(this),
  };

  get world(): World {
    return this.#world;
  }

  adjustUnits(topology: Topology, host: Host, units: Map<string, { role: string; enabled: boolean }>): void {
    const decls = servicesOf(topology, host);
    this.#declared.set(host.name, decls);
    for (const d of decls) if (d.manager === 'systemd' && !units.has(d.target)) units.set(d.target, { role: d.role, enabled: true });
  }

  attach(world: World): void {
    this.#world = world;
    for (const vm of world.vms.values()) {
      this.#services.set(vm.name, (this.#declared.get(vm.name) ?? servicesOf(world.topology, vm.host)).map((decl) => ({ decl, vm, starts: 0, want: undefined, paused: false, since: 0, restart: undefined })));
      this.#pidfiles.set(vm.name, new Map());
      this.#files.set(vm.name, new Set());
    }
  }

  services(vm: SimVm): readonly SimService[] {
    return this.#services.get(vm.name) ?? [];
  }

  /** The live process of a service. */
  alive(svc: SimService): Daemon | undefined {
    return svc.daemon?.alive === true ? svc.daemon : undefined;
  }

  /** Starts a new process of the service (writing its pidfile). */
  start(svc: SimService): Daemon {
    const { decl, vm } = svc;
    const time = this.#world.time;
    svc.starts++;
    const crash = vm.behaviour.faults.find((f): f is Extract<Fault, { kind: 'service-crashes' }> => f.kind === 'service-crashes' && names(decl, f.match) && svc.starts <= f.times);
    const stuck = vm.behaviour.faults.some((f) => f.kind === 'service-stuck' && names(decl, f.match));
    const startMs = vm.behaviour.timings.unitStartMs;
    const quit = decl.manager === 'initd' ? { ms: SRS_GRACE_START_MS + SRS_GRACE_FINAL_MS, listenMs: SRS_GRACE_START_MS } : { ms: QUIT_MS, listenMs: QUIT_MS };
    this.#nextPid += 1 + (this.#nextPid % 7);
    const daemon = new Daemon({
      pid: this.#nextPid, time, quit, stuck, onChange: (d, change) => this.#changed(svc, d, change),
      ...(crash ? { crashMs: startMs / 2 } : decl.manager === 'systemd' ? {} : { startMs }),
    });
    svc.daemon = daemon;
    svc.since = time.now();
    if (decl.pidfile !== undefined) this.#pidfiles.get(vm.name)?.set(decl.pidfile, daemon.pid);
    this.#log(svc, daemon, { state: 'starting' });
    if (crash) this.#fault(vm, 'service-crashes', `${decl.target} dies before it is ready (start ${svc.starts} of the first ${crash.times})`);
    return daemon;
  }

  /** The pid written in a pidfile on the VM. */
  pidfile(vm: SimVm, path: string): number | undefined {
    return this.#pidfiles.get(vm.name)?.get(path);
  }

  /** The live process with this pid on the VM. */
  process(vm: SimVm, pid: number): Daemon | undefined {
    return this.services(vm).map((s) => this.alive(s)).find((d) => d?.pid === pid);
  }

  hasFile(vm: SimVm, path: string): boolean {
    return this.#files.get(vm.name)?.has(path) === true || this.#pidfiles.get(vm.name)?.has(path) === true;
  }

  touch(vm: SimVm, path: string): void {
    this.#files.get(vm.name)?.add(path);
  }

  /** Removes a file; false when there was none. */
  remove(vm: SimVm, path: string): boolean {
    const a = this.#files.get(vm.name)?.delete(path) === true;
    return this.#pidfiles.get(vm.name)?.delete(path) === true || a;
  }

  onBoot(vm: SimVm): void {
    for (const svc of this.services(vm)) {
      if (svc.decl.manager === 'initd') this.start(svc);
      if (svc.decl.manager === 'daemontools') superviseStart(this, svc);
    }
  }

  onShutdown(vm: SimVm): void {
    for (const svc of this.services(vm)) {
      svc.restart?.();
      svc.restart = undefined;
      this.alive(svc)?.vanish('shutdown');
    }
    this.#pidfiles.get(vm.name)?.clear(); // /run is a tmpfs
  }

  /** A declared unit's process follows the unit: it starts with it, is ready when it is active, and goes with it. */
  onUnit(vm: SimVm, unit: string, state: string): void {
    const svc = this.#unit(vm, unit);
    if (!svc) return;
    const live = this.alive(svc);
    if (state === 'activating' && !live) this.start(svc);
    else if (state === 'active') (live ?? this.start(svc)).ready();
    else if ((state === 'inactive' || state === 'failed') && live) live.vanish(vm.running ? 'unit stopped' : 'shutdown');
  }

  unitProcess(vm: SimVm, unit: string): UnitProcess | undefined {
    const svc = this.#unit(vm, unit);
    const daemon = svc ? this.alive(svc) : undefined;
    if (!svc || !daemon) return undefined;
    return {
      pid: daemon.pid,
      signal: (signal) => void daemon.signal(signal),
      stop: async () => {
        vm.setUnit(unit, 'deactivating');
        daemon.signal('TERM');
        const cancel = this.#world.time.after(TIMEOUT_STOP_MS, () => {
          this.#fault(vm, 'service-stuck', `${unit}.service: State 'stop-sigterm' timed out. Killing.`);
          daemon.signal('KILL', 'timeout');
        });
        await daemon.exited;
        cancel();
        return vm.units.get(unit)?.state ?? 'inactive';
      },
    };
  }

  listens(vm: SimVm, port: number): boolean {
    return this.services(vm).some((s) => s.decl.health?.port === port && s.daemon?.listening === true);
  }

  http(vm: SimVm, port: number, path: string): HttpAnswer | undefined {
    const svc = this.services(vm).find((s) => s.decl.health?.kind === 'http' && s.decl.health.port === port && s.daemon?.listening === true);
    const health = svc?.decl.health;
    if (!svc || health?.kind !== 'http') return undefined;
    const json = (status: number, body: object): HttpAnswer => ({ status, type: 'application/json', body: `${JSON.stringify(body)}\n` });
    if (svc.daemon?.state === 'stopping') return json(503, { status: 'stopping' });
    return path.replace(/[?#].*$/, '') === health.path ? json(200, { status: 'ok', service: svc.decl.name }) : json(404, { error: 'not found' });
  }

  httpPorts(vm: SimVm): readonly number[] {
    return this.services(vm).flatMap((s) => (s.decl.health?.kind === 'http' ? [s.decl.health.port] : []));
  }

  program(vm: SimVm, argv: readonly string[]): CommandHandler | undefined {
    const svc = this.services(vm).find((s) => (s.decl.manager === 'initd' && s.decl.target === argv[0])
      || (s.decl.command !== undefined && s.decl.command.length === argv.length && s.decl.command.every((w, i) => w === argv[i])));
    if (!svc) return undefined;
    return svc.decl.manager === 'initd' ? initdCommand(this, svc) : (ctx) => this.#startCommand(svc, (t) => ctx.err(t));
  }

  readFile(vm: SimVm, path: string): string | undefined {
    const pid = this.pidfile(vm, path);
    return pid !== undefined ? `${pid}\n` : this.#files.get(vm.name)?.has(path) === true ? '' : undefined;
  }

  /** A warm fleet: every declared service has been running for an hour. */
  warm(): void {
    const hour = this.#world.time.real(3_600_000);
    for (const list of this.#services.values()) {
      for (const svc of list) {
        if (!svc.vm.running || (svc.decl.manager === 'daemontools' && svc.want === 'down')) continue;
        const d = this.alive(svc) ?? this.start(svc);
        d.ready();
        svc.since = this.#world.time.now() - hour;
        if (svc.decl.manager === 'systemd' && svc.vm.units.get(svc.decl.target)?.state !== 'active') svc.vm.setUnit(svc.decl.target, 'active');
      }
    }
  }

  /** A pidfile daemon's start command: it daemonizes (exit 0), or finds itself running (exit 1). */
  #startCommand(svc: SimService, err: (t: string) => void): number {
    const live = this.alive(svc);
    if (live) {
      err(`${svc.decl.command?.[0] ?? svc.decl.name}: already running (pid ${live.pid} in ${svc.decl.target})\n`);
      return 1;
    }
    this.start(svc);
    return 0;
  }

  #unit(vm: SimVm, unit: string): SimService | undefined {
    return this.services(vm).find((s) => s.decl.manager === 'systemd' && s.decl.target === unit);
  }

  #changed(svc: SimService, daemon: Daemon, change: DaemonChange): void {
    this.#log(svc, daemon, change);
    if (change.ignored) this.#fault(svc.vm, 'service-stuck', `${svc.decl.target} (pid ${daemon.pid}) ignores ${change.signal ?? ''}`);
    if (change.state !== 'exited' || svc.daemon !== daemon) return;
    const { decl, vm } = svc;
    svc.since = this.#world.time.now();
    const clean = change.signal !== undefined && change.signal !== 'KILL';
    const pidfiles = this.#pidfiles.get(vm.name);
    if (clean && decl.pidfile !== undefined && pidfiles?.get(decl.pidfile) === daemon.pid) pidfiles.delete(decl.pidfile);
    if (change.cause === 'shutdown' || change.cause === 'unit stopped') return;
    if (decl.manager === 'systemd' && vm.running) vm.setUnit(decl.target, clean ? 'inactive' : 'failed');
    if (decl.manager === 'daemontools') superviseExit(this, svc);
  }

  #log(svc: SimService, daemon: Daemon, change: DaemonChange): void {
    const { decl, vm } = svc;
    this.#world.log.write({ type: 'service', version: 1, host: vm.name, service: decl.target, manager: decl.manager, pid: daemon.pid, ...change });
  }

  #fault(vm: SimVm, fault: string, detail: string): void {
    this.#world.log.write({ type: 'fault', host: vm.name, fault, detail });
  }
}
