/**
 * A small simulated platform for end-to-end tests and benchmarks over real SSH: libvirt
 * hypervisors and one SSH server per VM. `virsh start` boots a VM (its SSH answers after
 * `bootMs`); `systemctl poweroff` cuts the session and switches it off after `shutdownMs`.
 * Service commands succeed with the outputs the jtel playbooks expect. Every command is
 * recorded with its time, so tests can assert the order. (The full simulated fleet is
 * `orchestrate fleet`.)
 */
import type { ExecReply, SimulatedExec, SimulatedSshHost } from '../../lib/fleet/ssh-host.js';
import type { SshFixture } from './ssh-fixture.js';

export interface Record {
  /** Milliseconds since the platform was created. */
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
  [/^curl /, '<html><title>jtel ACD - Login</title></html>\n200'],
];

export class MiniPlatform {
  readonly log: Record[] = [];
  readonly hypervisors = new Map<string, SimulatedSshHost>();
  readonly vms = new Map<string, SimulatedSshHost>();
  readonly bootMs: number;
  readonly shutdownMs: number;
  readonly #fx: SshFixture;
  readonly #t0 = performance.now();
  /** VMs that are powered but whose SSH does not answer yet (booting) or still answers (shutting down). */
  readonly #transient = new Set<string>();

  /** Takes over a guest command when it returns a reply (e.g. to make it hang until killed). */
  readonly #override: ((x: SimulatedExec) => Promise<ExecReply> | undefined) | undefined;

  constructor(fx: SshFixture, options: { bootMs?: number; shutdownMs?: number; override?: (x: SimulatedExec) => Promise<ExecReply> | undefined } = {}) {
    this.#fx = fx;
    this.#override = options.override;
    this.bootMs = options.bootMs ?? 30;
    this.shutdownMs = options.shutdownMs ?? 30;
  }

  /** Starts the hypervisors and their VMs, all off. A list of names puts every VM on `kvm1`. */
  async start(placement: ReadonlyMap<string, string> | readonly string[]): Promise<void> {
    const where = Array.isArray(placement) ? new Map(placement.map((vm) => [vm, 'kvm1'])) : (placement as ReadonlyMap<string, string>);
    for (const hv of new Set(where.values())) this.hypervisors.set(hv, await this.#fx.host(hv, (x) => this.#virsh(hv, where, x)));
    for (const vm of where.keys()) {
      const host = await this.#fx.host(vm, (x) => this.#guest(x));
      this.vms.set(vm, host);
      await host.stop();
    }
  }

  /** The first hypervisor (the only one when started from a list). */
  get hypervisor(): SimulatedSshHost {
    const first = this.hypervisors.values().next().value;
    if (!first) throw new Error('the platform has not been started');
    return first;
  }

  allOn(): boolean {
    return [...this.vms.values()].every((vm) => vm.listening);
  }

  allOff(): boolean {
    return [...this.vms.values()].every((vm) => !vm.listening) && this.#transient.size === 0;
  }

  /** The commands `host` received, in order. */
  commands(host: string): string[] {
    return this.log.filter((r) => r.host === host).map((r) => r.command);
  }

  /** When `host` first received a command matching `pattern`, or -1. */
  first(host: string, pattern: RegExp): number {
    return this.log.find((r) => r.host === host && pattern.test(r.command))?.at ?? -1;
  }

  /** When `host` last received a command matching `pattern`, or -1. */
  last(host: string, pattern: RegExp): number {
    return this.log.filter((r) => r.host === host && pattern.test(r.command)).at(-1)?.at ?? -1;
  }

  #record(host: string, command: string): void {
    this.log.push({ at: performance.now() - this.#t0, host, command });
  }

  async #virsh(hv: string, where: ReadonlyMap<string, string>, x: SimulatedExec): Promise<ExecReply> {
    this.#record(hv, x.command);
    if (x.command === 'virsh list --all') {
      const rows = [...where].filter(([, h]) => h === hv).map(([name], i) => {
        const on = this.vms.get(name)?.listening === true || this.#transient.has(name);
        return ` ${on ? String(i + 1).padEnd(4) : '-   '} ${name.padEnd(12)} ${on ? 'running' : 'shut off'}\n`;
      });
      x.write('stdout', ` Id   Name         State\n-----------------------------\n${rows.join('')}\n`);
      return { code: 0 };
    }
    const m = /^virsh (domstate|start|shutdown|destroy) (\S+)$/.exec(x.command);
    const name = m?.[2] ?? '';
    const vm = m && where.get(name) === hv ? this.vms.get(name) : undefined;
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
        this.#later(name, this.bootMs, () => vm.start());
        x.write('stdout', `Domain '${name}' started\n\n`);
        return { code: 0 };
      case 'shutdown':
        this.#later(name, this.shutdownMs, () => vm.stop());
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
    this.#record(x.host, x.command);
    return this.#override?.(x) ?? Promise.resolve(this.#reply(x));
  }

  #reply(x: SimulatedExec): ExecReply {
    if (/^(sudo -n )?systemctl poweroff$/.test(x.command)) {
      const vm = this.vms.get(x.host);
      if (vm) this.#later(x.host, this.shutdownMs, () => vm.stop());
      return { drop: true };
    }
    if (/^curl .*hazelcast\/health/.test(x.command)) {
      // Every telephony and web VM (acd-tel*, acd-jb*) is a member of one cluster.
      const size = [...this.vms.keys()].filter((n) => /-(tel|jb)\d/.test(n)).length;
      x.write('stdout', `{"nodeState":"ACTIVE","clusterState":"ACTIVE","clusterSafe":true,"migrationQueueSize":0,"clusterSize":${size}}\n200`);
      return { code: 0 };
    }
    const out = OUTPUTS.find(([re]) => re.test(x.command));
    if (out) x.write('stdout', out[1]);
    return { code: 0 };
  }
}
