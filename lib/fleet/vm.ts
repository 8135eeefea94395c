/**
 * One simulated VM: power (off → booting → running → stopping → off), its SSH server, its
 * systemd units, and what it mounts. What its services do to each other (replication, shares,
 * clusters) lives in the world's models; this file is only the machine.
 */
import type { Host } from '../topology/index.js';
import type { Fault, HostBehaviour } from './config.js';
import type { PowerState, UnitState } from './log.js';
import type { SimulatedSshHost } from './ssh-host.js';
import type { World } from './world.js';

export interface Unit {
  state: UnitState;
  /** The role the unit serves (`db-master`, `web` …). */
  readonly role: string;
  /** Started at boot. */
  readonly enabled: boolean;
  /** When it last became active (real ms since the fleet started). */
  activeSince?: number;
  /** systemd's Result of its last run: `success`, `exit-code`, `start-limit-hit`. */
  result: string;
  /** The start rate limit: starts counted since `begin` (real ms), as systemd's ratelimit does. */
  readonly startLimit: { begin: number; count: number };
}

/** systemd's DefaultStartLimitBurst and DefaultStartLimitIntervalSec (simulated ms). */
export const START_LIMIT = { burst: 5, intervalMs: 10_000 } as const;

export class SimVm {
  readonly name: string;
  readonly host: Host;
  behaviour: HostBehaviour;
  readonly units = new Map<string, Unit>();
  readonly mounts = new Set<string>();
  power: PowerState = 'off';
  /** When `is-system-running` stops saying `starting` (real ms since the fleet started). */
  settledAt = 0;
  ssh!: SimulatedSshHost;
  readonly #world: World;
  #cancelPending: (() => void) | undefined;
  /** Counts power-ons, so that a boot finishing late knows whether it is still the current one. */
  #boot = 0;
  /** Failed attempts of sshd to listen during this boot. */
  #sshdFailures = 0;

  constructor(world: World, host: Host, behaviour: HostBehaviour, units: ReadonlyMap<string, { role: string; enabled: boolean }>) {
    this.#world = world;
    this.name = host.name;
    this.host = host;
    this.behaviour = behaviour;
    for (const [name, u] of units) this.units.set(name, { state: 'inactive', role: u.role, enabled: u.enabled, result: 'success', startLimit: { begin: -Infinity, count: 0 } });
  }

  /** Replaces the machine's faults (a rehearsal clears them before the rerun). */
  setFaults(faults: readonly Fault[]): void {
    this.behaviour = { ...this.behaviour, faults };
    this.ssh.refuseAuth = this.fault('auth-refused') !== undefined;
  }

  fault<K extends Fault['kind']>(kind: K): Extract<Fault, { kind: K }> | undefined {
    return this.behaviour.faults.find((f): f is Extract<Fault, { kind: K }> => f.kind === kind);
  }

  get running(): boolean {
    return this.power === 'running';
  }

  /** Powers on (`virsh start`). Returns false when it was not off. */
  powerOn(cause: string): boolean {
    if (this.power !== 'off') return false;
    this.#boot++;
    this.#sshdFailures = 0;
    this.#setPower('booting', cause);
    if (this.fault('never-boots')) {
      this.#world.log.write({ type: 'fault', host: this.name, fault: 'never-boots', detail: 'powered on, but it will never answer SSH' });
      return true;
    }
    const bootMs = this.fault('slow-boot')?.ms ?? this.behaviour.timings.bootMs;
    this.#cancelPending = this.#world.time.after(bootMs, () => this.#finishBoot());
    return true;
  }

  /**
   * Running as if it had been for a long time (a warm fleet): SSH answers and every enabled unit
   * is active. The world then tells the models (World.warmUp), once every VM is running.
   */
  async startWarm(): Promise<void> {
    this.ssh.refuseAuth = this.fault('auth-refused') !== undefined;
    await this.ssh.start();
    this.#world.log.write({ type: 'ssh', host: this.name, listening: true });
    this.#setPower('running', 'warm start');
    this.settledAt = 0;
    for (const unit of this.units.values()) {
      if (!unit.enabled) continue;
      unit.state = 'active';
      unit.activeSince = -Infinity;
    }
  }

  /**
   * The boot time is over: sshd takes the VM's port. When another process holds that port (the
   * kernel gave it to someone while this VM was off, e.g. another fleet on the same loopback
   * address), sshd tries again every 100 ms (real time: the conflict is real), logging a fault
   * once; the VM stays `booting` meanwhile, and a shutdown or power-off stops the retries.
   */
  #finishBoot(): void {
    this.#cancelPending = undefined;
    const boot = this.#boot;
    this.ssh.refuseAuth = this.fault('auth-refused') !== undefined;
    this.ssh.start().then(() => this.#booted(boot), (e: unknown) => this.#sshdFailed(boot, e));
  }

  #sshdFailed(boot: number, e: unknown): void {
    if (boot !== this.#boot || this.power !== 'booting') return;
    if (this.#sshdFailures++ === 0) {
      const why = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
      this.#world.log.write({ type: 'fault', host: this.name, fault: 'ssh-port-busy', detail: `sshd cannot listen on ${this.ssh.address}:${this.ssh.port} (${why}); it tries again every 100 ms` });
    }
    this.#cancelPending = this.#world.time.afterReal(100, () => this.#finishBoot());
  }

  #booted(boot: number): void {
    // Switched off (or off and on again) while sshd was starting: that boot is over.
    if (boot !== this.#boot || this.power !== 'booting') return;
    this.#sshdFailures = 0;
    this.#world.log.write({ type: 'ssh', host: this.name, listening: true });
    this.#setPower('running', 'boot finished');
    this.settledAt = this.#world.time.now() + this.#world.time.real(this.behaviour.timings.settleMs);
    this.#world.onBoot(this);
    for (const [name, unit] of this.units) if (unit.enabled) void this.startUnit(name);
  }

  /** Graceful shutdown (in the guest or through the hypervisor). */
  shutdown(cause: string): boolean {
    if (this.power === 'off' || this.power === 'stopping') return false;
    this.#cancelPending?.();
    this.#setPower('stopping', cause);
    for (const name of this.units.keys()) this.#setUnit(name, 'inactive');
    this.#world.onShutdown(this);
    void this.#stopSsh();
    if (this.fault('shutdown-hangs')) {
      this.#world.log.write({ type: 'fault', host: this.name, fault: 'shutdown-hangs', detail: 'the shutdown hangs; only a forced power-off ends it' });
      return true;
    }
    this.#cancelPending = this.#world.time.after(this.behaviour.timings.shutdownMs, () => this.#off('shutdown finished'));
    return true;
  }

  /** Pulls the plug (`virsh destroy`, `qm stop`). */
  destroy(cause: string): boolean {
    if (this.power === 'off') return false;
    this.#cancelPending?.();
    for (const name of this.units.keys()) this.#setUnit(name, 'inactive');
    this.#world.onShutdown(this);
    void this.#stopSsh();
    this.#off(cause);
    return true;
  }

  #off(cause: string): void {
    this.#cancelPending = undefined;
    this.mounts.clear();
    this.#setPower('off', cause);
  }

  async #stopSsh(): Promise<void> {
    if (!this.ssh.listening) return;
    await this.ssh.stop();
    this.#world.log.write({ type: 'ssh', host: this.name, listening: false });
  }

  /**
   * `systemctl start`: activating, then active (or failed) after the unit's start time. More than
   * StartLimitBurst starts within StartLimitIntervalSec are refused (failed, `start-limit-hit`),
   * manual starts too, until the interval has passed or `systemctl reset-failed`.
   */
  startUnit(name: string): Promise<UnitState> {
    const unit = this.units.get(name);
    if (!unit) return Promise.resolve('failed');
    if (unit.state === 'active' || unit.state === 'activating') return Promise.resolve(unit.state);
    if (!this.#belowStartLimit(unit)) {
      unit.result = 'start-limit-hit';
      this.#world.log.write({ type: 'fault', host: this.name, fault: 'start-limit', detail: `${name}.service: Start request repeated too quickly.` });
      this.#setUnit(name, 'failed');
      return Promise.resolve('failed');
    }
    unit.result = 'success';
    this.#setUnit(name, 'activating');
    const settle = (): UnitState => {
      if (!this.running || unit.state !== 'activating') return unit.state;
      const ok = this.#world.canStart(this, name);
      this.#setUnit(name, ok ? 'active' : 'failed');
      return unit.state;
    };
    return this.#world.time.wait(this.behaviour.timings.unitStartMs).then(settle, () => unit.state);
  }

  /** systemd's ratelimit_below(): a fixed window from its first start. */
  #belowStartLimit(unit: Unit): boolean {
    const now = this.#world.time.now();
    const r = unit.startLimit;
    if (now - r.begin > this.#world.time.real(START_LIMIT.intervalMs)) {
      r.begin = now;
      r.count = 0;
    }
    if (r.count >= START_LIMIT.burst) return false;
    r.count++;
    return true;
  }

  /** `systemctl reset-failed`: failed → inactive, and the start limit counts again from zero. */
  resetFailed(name: string): void {
    const unit = this.units.get(name);
    if (!unit) return;
    unit.startLimit.begin = -Infinity;
    unit.startLimit.count = 0;
    if (unit.state === 'failed') this.#setUnit(name, 'inactive');
    unit.result = 'success';
  }

  /** Sets a unit's state directly, as a cluster manager starting or stopping it would. */
  setUnit(name: string, state: UnitState): void {
    if (this.units.has(name)) this.#setUnit(name, state);
  }

  #setUnit(name: string, state: UnitState): void {
    const unit = this.units.get(name);
    if (!unit || unit.state === state) return;
    unit.state = state;
    if (state === 'active') unit.activeSince = this.#world.time.now();
    if (state === 'failed' && unit.result === 'success') unit.result = 'exit-code';
    this.#world.log.write({ type: 'unit', host: this.name, unit: name, state });
    this.#world.onUnit(this, name, state);
  }

  #setPower(state: PowerState, cause: string): void {
    this.power = state;
    this.#world.log.write({ type: 'power', host: this.name, state, cause });
  }

  /** `running`, `degraded` or `starting`, as `systemctl is-system-running` says. */
  systemState(): 'starting' | 'running' | 'degraded' {
    const units = [...this.units.values()];
    if (this.#world.time.now() < this.settledAt || units.some((u) => u.state === 'activating')) return 'starting';
    return this.fault('degraded') || units.some((u) => u.state === 'failed') ? 'degraded' : 'running';
  }
}
