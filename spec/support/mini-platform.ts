/**
 * A small simulated platform for end-to-end tests over real SSH: one libvirt hypervisor and one
 * SSH server per VM. `virsh start` boots a VM (its SSH answers after `bootMs`), `systemctl
 * poweroff` cuts the session and switches it off after `shutdownMs`. Service commands succeed
 * with the outputs the jtel playbooks expect. Every command is recorded with its time, so
 * tests can assert the order. (The full simulated fleet is `orchestrate fleet`.)
 */
import type { ExecReply, SimulatedExec, SimulatedSshHost } from '../../lib/fleet/ssh-host.js';
import type { SshFixture } from './ssh-fixture.js';

export interface Record {
  readonly at: number;
  readonly host: string;
  readonly command: string;
}

const OUTPUTS: readonly [RegExp, string][] = [
  [/^systemctl is-system-running$/, 'running\n'],
  [/^systemctl is-active /, 'active\n'],
  [/^mysqladmin ping$/, 'mysqld is alive\n'],
  [/SELECT @@read_only/, '0\n'],
  [/SHOW SLAVE STATUS/, '*************************** 1. row ***************************\nSlave_IO_Running: Yes\nSlave_SQL_Running: Yes\nSeconds_Behind_Master: 0\n'],
  [/^mountpoint \S+$/, '/home/jtel/shared is a mountpoint\n'],
  [/^curl /, '200'],
];

export class MiniPlatform {
  readonly log: Record[] = [];
  readonly vms = new Map<string, SimulatedSshHost>();
  hypervisor!: SimulatedSshHost;
  readonly #fx: SshFixture;
  readonly #t0 = performance.now();
  readonly bootMs: number;
  readonly shutdownMs: number;

  constructor(fx: SshFixture, options: { bootMs?: number; shutdownMs?: number } = {}) {
    this.#fx = fx;
    this.bootMs = options.bootMs ?? 30;
    this.shutdownMs = options.shutdownMs ?? 30;
  }

  /** Starts the hypervisor and the VMs (off, unless listed in `running`). */
  async start(names: readonly string[], running: readonly string[] = []): Promise<void> {
    this.hypervisor = await this.#fx.host('kvm1', (x) => this.#virsh(x));
    for (const name of names) {
      const vm = await this.#fx.host(name, (x) => this.#guest(x));
      this.vms.set(name, vm);
      if (!running.includes(name)) await vm.stop();
    }
  }

  /** The commands `host` received, in order. */
  commands(host: string): string[] {
    return this.log.filter((r) => r.host === host).map((r) => r.command);
  }

  /** When `host` first received a command matching `pattern` (ms since start), or -1. */
  first(host: string, pattern: RegExp): number {
    return this.log.find((r) => r.host === host && pattern.test(r.command))?.at ?? -1;
  }

  last(host: string, pattern: RegExp): number {
    return this.log.filter((r) => r.host === host && pattern.test(r.command)).at(-1)?.at ?? -1;
  }

  #record(host: string, command: string): void {
    this.log.push({ at: performance.now() - this.#t0, host, command });
  }

  async #virsh(x: SimulatedExec): Promise<ExecReply> {
    this.#record('kvm1', x.command);
    const m = /^virsh (domstate|start|shutdown|destroy) (\S+)$/.exec(x.command);
    const vm = m ? this.vms.get(m[2] ?? '') : undefined;
    if (!m || !vm) {
      x.write('stderr', `error: failed to get domain '${m?.[2] ?? '?'}'\n`);
      return { code: 1 };
    }
    const on = vm.listening || this.#booting.has(vm.name);
    switch (m[1]) {
      case 'domstate':
        x.write('stdout', `${on ? 'running' : 'shut off'}\n\n`);
        return { code: 0 };
      case 'start':
        if (on) {
          x.write('stderr', 'error: Domain is already active\n');
          return { code: 1 };
        }
        this.#booting.add(vm.name);
        setTimeout(() => void vm.start().then(() => this.#booting.delete(vm.name)), this.bootMs);
        x.write('stdout', `Domain '${vm.name}' started\n\n`);
        return { code: 0 };
      case 'shutdown':
        setTimeout(() => void vm.stop(), this.shutdownMs);
        x.write('stdout', `Domain '${vm.name}' is being shutdown\n\n`);
        return { code: 0 };
      default:
        await vm.stop();
        x.write('stdout', `Domain '${vm.name}' destroyed\n\n`);
        return { code: 0 };
    }
  }

  readonly #booting = new Set<string>();

  async #guest(x: SimulatedExec): Promise<ExecReply> {
    this.#record(x.host, x.command);
    if (/^(sudo -n )?systemctl poweroff$/.test(x.command)) {
      const vm = this.vms.get(x.host);
      this.#booting.add(x.host); // still "running" for the hypervisor until it is off
      setTimeout(() => void vm?.stop().then(() => this.#booting.delete(x.host)), this.shutdownMs);
      return { drop: true };
    }
    const out = OUTPUTS.find(([re]) => re.test(x.command));
    if (out) x.write('stdout', out[1]);
    return { code: 0 };
  }
}
