/**
 * An in-memory transport for engine tests. It plays a small world (VMs on or off behind virsh,
 * systemd saying running) and records every command. A test can hold commands matching a
 * pattern and release them one at a time, which makes ordering and parallelism deterministic.
 */
import type { SshEndpoint } from '../../lib/topology/index.js';
import type { CommandResult, Endpoint, ExecOptions, ProbeOptions, ProbeResult, Transport } from '../../lib/transport/index.js';

export interface Call {
  readonly seq: number;
  readonly on: string;
  readonly command: string;
}

type Reply = Partial<CommandResult>;

interface Held {
  readonly call: Call;
  readonly release: (reply?: Reply) => void;
}

export class FakeTransport implements Transport {
  readonly calls: Call[] = [];
  /** VM power state by name; absent means off. */
  readonly on = new Set<string>();
  /** Return a reply to override the world's answer for a command. */
  override: (call: Call) => Reply | undefined = () => undefined;
  #hold: ((call: Call) => boolean) | undefined;
  readonly #held: Held[] = [];
  readonly #waiters: { pred: (c: Call) => boolean; resolve: (h: Held) => void }[] = [];
  #seq = 0;

  /** Commands matching `pred` wait until released. */
  hold(pred: (call: Call) => boolean): void {
    this.#hold = pred;
  }

  /** Resolves with the first held command matching `pred`, now or when it arrives. */
  held(pred: (call: Call) => boolean): Promise<Held> {
    const found = this.#held.find((h) => pred(h.call));
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ pred, resolve }));
  }

  commandsOn(name: string): string[] {
    return this.calls.filter((c) => c.on === name).map((c) => c.command);
  }

  exec(endpoint: Endpoint, command: string, options: ExecOptions): Promise<CommandResult> {
    const call: Call = { seq: ++this.#seq, on: endpoint === 'local' ? 'local' : endpoint.name, command };
    this.calls.push(call);
    const answer = (): CommandResult => this.#answer(call);
    if (!this.#hold?.(call)) return Promise.resolve(answer());
    return new Promise((resolve) => {
      const held: Held = {
        call,
        release: (reply) => {
          this.#held.splice(this.#held.indexOf(held), 1);
          resolve(reply ? { ...answer(), ...reply } : answer());
        },
      };
      options.signal.addEventListener('abort', () => held.release({ outcome: 'cancelled', killed: true }), { once: true });
      this.#held.push(held);
      const w = this.#waiters.findIndex((x) => x.pred(call));
      if (w >= 0) this.#waiters.splice(w, 1)[0]?.resolve(held);
    });
  }

  #answer(call: Call): CommandResult {
    const base: CommandResult = { outcome: 'exited', exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1 };
    const custom = this.override(call);
    if (custom) return { ...base, ...custom };
    if (call.command === 'virsh list --all') {
      // Every VM that is on, as running; one that is not listed is off (see parsePowerList).
      return { ...base, stdout: ` Id   Name   State\n----------------------\n${[...this.on].map((vm, i) => ` ${i + 1}    ${vm}   running\n`).join('')}\n` };
    }
    const virsh = /^virsh (\w+) (\S+)$/.exec(call.command);
    if (virsh) {
      const [, verb, vm] = virsh as unknown as [string, string, string];
      if (verb === 'domstate') return { ...base, stdout: `${this.on.has(vm) ? 'running' : 'shut off'}\n\n` };
      if (verb === 'start') this.on.add(vm);
      if (verb === 'destroy' || verb === 'shutdown') this.on.delete(vm);
      return base;
    }
    if (call.command === 'systemctl is-system-running') {
      return this.on.has(call.on) ? { ...base, stdout: 'running\n' } : { ...base, outcome: 'connect-failed', exitCode: null, connectError: { kind: 'unreachable', message: 'ECONNREFUSED' } };
    }
    if (call.command === 'systemctl poweroff') {
      this.on.delete(call.on);
      return { ...base, outcome: 'connection-lost', exitCode: null };
    }
    return base;
  }

  /** Hosts whose SSH port was probed, in order. */
  readonly probes: string[] = [];

  /** SSH answers on a host that is on (the same rule as `systemctl is-system-running`). */
  probe(endpoint: SshEndpoint, _options: ProbeOptions): Promise<ProbeResult> {
    this.probes.push(endpoint.name);
    const answers = this.on.has(endpoint.name);
    return Promise.resolve({ answers, observed: answers ? 'SSH-2.0-Fake' : `${endpoint.address}:22: ECONNREFUSED` });
  }

  prepare(_endpoint: SshEndpoint): Promise<void> {
    return Promise.resolve();
  }

  closed(_endpoint: SshEndpoint): Promise<void> | undefined {
    return undefined;
  }

  forget(_endpoint: SshEndpoint): void {}

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A sleep that returns at once (polls and check intervals in tests). */
export const instant = (_ms: number, signal: AbortSignal): Promise<void> =>
  signal.aborted ? Promise.reject(signal.reason as Error) : Promise.resolve();
