/**
 * Power drivers as data: which commands power a host on, ask it to shut down, force it off and
 * report its state, and where those commands run; plus parsing their output. No I/O: the
 * executor runs the commands. Output formats: domain.md §5 (virsh, qm, govc).
 */
import type { Host } from '../topology/index.js';
import { shellJoin } from '../util/shell.js';
import { renderTemplate } from '../util/template.js';

/** Where a command runs. */
export type Target =
  | { readonly kind: 'host'; readonly host: string }
  | { readonly kind: 'hypervisor'; readonly name: string }
  | { readonly kind: 'local' };

export type PowerState = 'on' | 'off' | 'unknown';

export interface PowerCommands {
  readonly target: Target;
  /** Prints or exits with the power state; parse with `parsePowerState`. */
  readonly state?: string;
  readonly on: string;
  /** Graceful shutdown through the hypervisor (ACPI or agent). */
  readonly off?: string;
  /** Immediate power off. */
  readonly kill?: string;
  /** Hard reset of a running VM (one that hangs at boot). */
  readonly reset?: string;
  /**
   * Every VM's state on the hypervisor in one command (`virsh list --all`, `qm list`), and the
   * VM to read from it: the polls of many VMs on one hypervisor share it (parsePowerList).
   */
  readonly list?: { readonly command: string; readonly vm: string };
}

export interface CommandOutput {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The driver's commands for `host`, or undefined for driver `none`. */
export function powerCommands(host: Host, vars: Readonly<Record<string, string>>): PowerCommands | undefined {
  const p = host.power;
  switch (p.driver) {
    case 'none':
      return undefined;
    case 'virsh': {
      const virsh = (verb: string): string => shellJoin(['virsh', ...(p.uri === undefined ? [] : ['-c', p.uri]), verb, p.vm]);
      const list = shellJoin(['virsh', ...(p.uri === undefined ? [] : ['-c', p.uri]), 'list', '--all']);
      return { target: { kind: 'hypervisor', name: p.hypervisor }, state: virsh('domstate'), on: virsh('start'), off: virsh('shutdown'), kill: virsh('destroy'), reset: virsh('reset'), list: { command: list, vm: p.vm } };
    }
    case 'qm': {
      const seconds = Math.max(1, Math.round(host.timeouts.shutdownMs / 1000));
      return {
        target: { kind: 'hypervisor', name: p.hypervisor },
        state: shellJoin(['qm', 'status', p.vm]),
        on: shellJoin(['qm', 'start', p.vm]),
        off: shellJoin(['qm', 'shutdown', p.vm, '--timeout', String(seconds)]),
        kill: shellJoin(['qm', 'stop', p.vm]),
        reset: shellJoin(['qm', 'reset', p.vm]),
        list: { command: 'qm list', vm: p.vm },
      };
    }
    case 'command': {
      const render = (t: string | undefined): string | undefined => (t === undefined ? undefined : renderTemplate(t, vars));
      const state = render(p.status);
      const off = render(p.off);
      const kill = render(p.kill);
      return {
        target: p.via === 'local' ? { kind: 'local' } : { kind: 'hypervisor', name: p.via },
        on: render(p.on) ?? '',
        ...(state === undefined ? {} : { state }),
        ...(off === undefined ? {} : { off }),
        ...(kill === undefined ? {} : { kill }),
      };
    }
  }
}

const VIRSH_ON = new Set(['running', 'idle', 'blocked', 'paused', 'in shutdown', 'pmsuspended']);
const VIRSH_OFF = new Set(['shut off', 'crashed']);

/** Reads the state command's result for `driver`. */
export function parsePowerState(driver: Host['power']['driver'], out: CommandOutput): PowerState {
  switch (driver) {
    case 'virsh': {
      if (out.exitCode !== 0) return 'unknown';
      // `virsh domstate` prints one state and an empty line; `--reason` adds "(shutdown)".
      const word = (out.stdout.split('\n').find((l) => l.trim() !== '') ?? '').trim().replace(/\s*\(.*\)$/, '');
      return VIRSH_ON.has(word) ? 'on' : VIRSH_OFF.has(word) ? 'off' : 'unknown';
    }
    case 'qm': {
      if (out.exitCode !== 0) return 'unknown';
      const m = /^status:\s*(\S+)/m.exec(out.stdout);
      return m?.[1] === 'running' ? 'on' : m?.[1] === 'stopped' ? 'off' : 'unknown';
    }
    case 'command':
      if (out.exitCode === 0) return 'on';
      return out.exitCode !== null && out.exitCode < 126 ? 'off' : 'unknown';
    case 'none':
      return 'unknown';
  }
}

const VIRSH_STATES = 'running|idle|blocked|paused|in shutdown|shut off|crashed|pmsuspended|no state';
const VIRSH_ROW = new RegExp(`^\\s*(?:\\d+|-)\\s+(.+?)\\s+(${VIRSH_STATES})\\s*$`);

/**
 * Reads one VM's state from a list command's output (`virsh list --all`, `qm list`; domain.md
 * §5.1, §5.2). A VM the list does not show is `absent`: off while it shuts down (the hypervisor
 * accepted its shutdown; a transient libvirt domain disappears when it stops), unknown before.
 */
export function parsePowerList(driver: Host['power']['driver'], out: CommandOutput, vm: string, absent: PowerState = 'off'): PowerState {
  if (out.exitCode !== 0) return 'unknown';
  const lines = out.stdout.split('\n');
  if (driver === 'virsh') {
    for (const line of lines) {
      const m = VIRSH_ROW.exec(line);
      if (m?.[1] === vm) return VIRSH_ON.has(m[2] ?? '') ? 'on' : VIRSH_OFF.has(m[2] ?? '') ? 'off' : 'unknown';
    }
    return lines.some((l) => /^\s*Id\s+Name\s+State/.test(l)) ? absent : 'unknown';
  }
  if (driver === 'qm') {
    for (const line of lines) {
      const [id, , status] = line.trim().split(/\s+/);
      if (id === vm) return status === 'running' ? 'on' : status === 'stopped' ? 'off' : 'unknown';
    }
    return lines.some((l) => /^\s*VMID\s+NAME\s+STATUS/.test(l)) ? absent : 'unknown';
  }
  return 'unknown';
}

/** `virsh start` / `qm start` of a machine that is already running fail, but the goal is met. */
export function reportsAlreadyOn(out: CommandOutput): boolean {
  return /already (active|running)/i.test(out.stderr + out.stdout);
}

/** `virsh shutdown|destroy` / `qm stop` of a machine that is already off fail, but the goal is met. */
export function reportsAlreadyOff(out: CommandOutput): boolean {
  return /domain is not running|not running/i.test(out.stderr + out.stdout);
}

/** Where a step runs, for people: the host name, `hypervisor NAME` or `local`. */
export function targetLabel(target: Target): string {
  switch (target.kind) {
    case 'local':
      return 'local';
    case 'host':
      return target.host;
    case 'hypervisor':
      return `hypervisor ${target.name}`;
  }
}
