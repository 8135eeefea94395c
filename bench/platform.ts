/**
 * A copy of spec/support/mini-platform.ts that simulates several libvirt hypervisors (medium.yaml
 * has kvm1 and kvm2): each hypervisor's `virsh` only knows the VMs placed on it. VMs are SSH
 * servers that answer once `bootMs` after `virsh start`, and go away `shutdownMs` after
 * `systemctl poweroff`. Service commands succeed with the outputs the jtel playbooks expect.
 */
import type { ExecReply, SimulatedExec, SimulatedSshHost } from '../lib/fleet/ssh-host.js';
import type { SshFixture } from '../spec/support/ssh-fixture.js';

const OUTPUTS: readonly [RegExp, string][] = [
  [/^systemctl is-system-running$/, 'running\n'],
  [/^systemctl is-active /, 'active\n'],
  [/^mysqladmin ping$/, 'mysqld is alive\n'],
  [/SELECT @@read_only/, '0\n'],
  [/SHOW SLAVE STATUS/, '*************************** 1. row ***************************\nSlave_IO_Running: Yes\nSlave_SQL_Running: Yes\nSeconds_Behind_Master: 0\n'],
  [/^mountpoint \S+$/, '/home/jtel/shared is a mountpoint\n'],
  [/^curl /, '200'],
];

export interface PlatformOptions {
  readonly bootMs: number;
  readonly shutdownMs: number;
}

export class BenchPlatform {
  readonly hypervisors = new Map<string, SimulatedSshHost>();
  readonly vms = new Map<string, SimulatedSshHost>();
  /** Commands received, to check afterwards that the run really did something. */
  commandCount = 0;
  readonly #fx: SshFixture;
  readonly #options: PlatformOptions;
  /** VMs that are powered but whose SSH does not answer (booting) or still answers (shutting down). */
  readonly #transient = new Set<string>();

  constructor(fx: SshFixture, options: PlatformOptions) {
    this.#fx = fx;
    this.#options = options;
  }

  /** Starts each hypervisor and its VMs, all VMs off. `placement` maps a VM to its hypervisor. */
  async start(placement: ReadonlyMap<string, string>): Promise<void> {
    for (const hv of new Set(placement.values())) {
      this.hypervisors.set(hv, await this.#fx.host(hv, (x) => this.#virsh(hv, placement, x)));
    }
    for (const vm of placement.keys()) {
      const host = await this.#fx.host(vm, (x) => this.#guest(x));
      this.vms.set(vm, host);
      await host.stop();
    }
  }

  /** Whether every VM is off (as it should be after `down`). */
  allOff(): boolean {
    return [...this.vms.values()].every((vm) => !vm.listening) && this.#transient.size === 0;
  }

  allOn(): boolean {
    return [...this.vms.values()].every((vm) => vm.listening);
  }

  async #virsh(hv: string, placement: ReadonlyMap<string, string>, x: SimulatedExec): Promise<ExecReply> {
    this.commandCount++;
    const m = /^virsh (domstate|start|shutdown|destroy) (\S+)$/.exec(x.command);
    const name = m?.[2] ?? '';
    const vm = m && placement.get(name) === hv ? this.vms.get(name) : undefined;
    if (!m || !vm) {
      x.write('stderr', `error: failed to get domain '${name || '?'}'\n`);
      return { code: 1 };
    }
    const on = vm.listening || this.#transient.has(name);
    switch (m[1]) {
      case 'domstate':
        x.write('stdout', `${on ? 'running' : 'shut off'}\n\n`);
        return { code: 0 };
      case 'start':
        if (on) {
          x.write('stderr', 'error: Domain is already active\n');
          return { code: 1 };
        }
        this.#later(name, this.#options.bootMs, () => vm.start());
        x.write('stdout', `Domain '${name}' started\n\n`);
        return { code: 0 };
      case 'shutdown':
        this.#later(name, this.#options.shutdownMs, () => vm.stop());
        x.write('stdout', `Domain '${name}' is being shutdown\n\n`);
        return { code: 0 };
      default:
        await vm.stop();
        x.write('stdout', `Domain '${name}' destroyed\n\n`);
        return { code: 0 };
    }
  }

  /** Marks `vm` as in transition, then runs `change` after `ms` and clears the mark. */
  #later(vm: string, ms: number, change: () => Promise<void>): void {
    this.#transient.add(vm);
    setTimeout(() => void change().finally(() => this.#transient.delete(vm)), ms);
  }

  #guest(x: SimulatedExec): Promise<ExecReply> {
    return Promise.resolve(this.#reply(x));
  }

  #reply(x: SimulatedExec): ExecReply {
    this.commandCount++;
    if (/^(sudo -n )?systemctl poweroff$/.test(x.command)) {
      const vm = this.vms.get(x.host);
      if (vm) this.#later(x.host, this.#options.shutdownMs, () => vm.stop());
      return { drop: true };
    }
    const out = OUTPUTS.find(([re]) => re.test(x.command));
    if (out) x.write('stdout', out[1]);
    return { code: 0 };
  }
}
