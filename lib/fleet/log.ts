/**
 * The fleet's evidence: every command a simulated host receives and every power or state
 * transition, as JSON lines with monotonic timestamps. `orchestrate fleet verify` reads it back.
 * A versioned contract (docs/fleet.md): add fields freely, never rename or remove one.
 */
import { appendFileSafe, PRIVATE } from '../util/safe-write.js';
import type { Secrets } from '../util/secrets.js';

export type PowerState = 'off' | 'booting' | 'running' | 'stopping';
export type UnitState = 'inactive' | 'activating' | 'active' | 'deactivating' | 'failed';
/** A simulated daemon: starting, then running (ready) after its start time, stopping once signalled, exited. */
export type ServiceState = 'starting' | 'running' | 'stopping' | 'exited';
export type ServiceManager = 'systemd' | 'initd' | 'daemontools' | 'pidfile';

export type FleetEventBody =
  /** The fleet is up: which hosts it simulates. `warm`: VMs started running. */
  | { readonly type: 'fleet-started'; readonly version: 1; readonly topology: string; readonly hosts: readonly string[]; readonly hypervisors: readonly string[]; readonly timeScale: number; readonly warm: boolean }
  /** A command arrived at a simulated host (or hypervisor); `id` pairs it with its `command-done`. */
  | { readonly type: 'command'; readonly host: string; readonly id: number; readonly command: string }
  /** How the command ended: `exit` code, or `signal` (killed), or `dropped` (the connection was cut). */
  | { readonly type: 'command-done'; readonly host: string; readonly id: number; readonly exit: number | null; readonly signal?: string; readonly dropped?: boolean }
  /** A VM's power changed. `cause` says what did it (`virsh start`, `systemctl poweroff`, `boot finished` …). */
  | { readonly type: 'power'; readonly host: string; readonly state: PowerState; readonly cause: string }
  /** Whether the VM's sshd accepts connections. */
  | { readonly type: 'ssh'; readonly host: string; readonly listening: boolean }
  /** A systemd unit changed state. */
  | { readonly type: 'unit'; readonly host: string; readonly unit: string; readonly state: UnitState }
  /** A DRBD resource changed on a node. */
  | { readonly type: 'drbd'; readonly host: string; readonly resource: string; readonly role: string; readonly cstate: string; readonly disk: string; readonly peerDisk: string }
  /** A pcs cluster resource moved or changed. */
  | { readonly type: 'pcs'; readonly cluster: string; readonly resource: string; readonly state: string; readonly node?: string }
  /** A pcs cluster node was put in standby (`pcs node standby`) or taken out of it: its resources move away, or may come back. */
  | { readonly type: 'pcs-node'; readonly cluster: string; readonly node: string; readonly standby: boolean }
  /** A fault was injected or fired. */
  | { readonly type: 'fault'; readonly host: string; readonly fault: string; readonly detail: string }
  | { readonly type: 'fleet-stopped' }
  /**
   * orchestrate began a run against the fleet (it says so through the control endpoint before its
   * first command): `action` (up, down, failover, failback, apply), its `run` id, the `side` of a
   * failover or failback. `fleet verify` splits the log into runs at these.
   */
  | { readonly type: 'run'; readonly version: 1; readonly action: string; readonly run: string; readonly side?: string }
  /**
   * A service declared by a service step changed, or got a signal (version 1). `service` is its
   * target (unit, init script, service directory, pidfile). `signal`: what made it change (QUIT or
   * TERM: graceful, KILL: forced); `ignored`: the process ignored that signal; `cause`:
   * `crashed`, `shutdown` (the VM went down), `timeout` (systemd's TimeoutStopSec ran out).
   */
  | {
      readonly type: 'service'; readonly version: 1; readonly host: string; readonly service: string; readonly manager: ServiceManager;
      readonly state: ServiceState; readonly pid: number; readonly signal?: string; readonly ignored?: boolean; readonly cause?: string;
    }
  /** A MySQL server's `read_only` changed (`SET GLOBAL read_only`): which master takes writes. */
  | { readonly type: 'mysql'; readonly host: string; readonly readOnly: boolean };

/** `seq` counts from 1; `t` is milliseconds since the fleet started (monotonic clock, 0.001 ms). */
export type FleetEvent = { readonly seq: number; readonly t: number } & FleetEventBody;

export interface FleetLog {
  write(event: FleetEventBody): void;
  readonly events: readonly FleetEvent[];
  /** Writes what is not in the file yet (done by itself at the end of each turn of the event loop). */
  flush(): void;
}

/**
 * Keeps events in memory and, with a file, appends them as JSON lines: the events of one turn of
 * the event loop together, in one write, right after it (setImmediate), and at `flush()`. A write
 * per event made the log a tenth of a 1,000-VM fleet's CPU; batching keeps the file as current
 * as anything reading it can notice (a reader learns of an event only in a later turn).
 */
export function createFleetLog(options: { file?: string; now?: () => number; secrets?: Secrets } = {}): FleetLog {
  const now = options.now ?? ((): number => performance.now());
  const start = now();
  const events: FleetEvent[] = [];
  let pending: string[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0 || options.file === undefined) return;
    const text = pending.join('');
    pending = [];
    try {
      // 0600: every command the machines received; never appended through a symlink.
      appendFileSafe(options.file, text, PRIVATE);
    } catch {
      // The fleet's directory is gone (removed after the fleet stopped, with the last events of
      // sessions being cut), or the log is a symlink: there is nowhere to write them; they stay in `events`.
    }
  };
  return {
    events,
    flush,
    write(body) {
      // A command arrives with the secrets' values in it: the log keeps them masked (`***`).
      const safe = options.secrets ? options.secrets.maskDeep(body) : body;
      const event = { seq: events.length + 1, t: Math.round((now() - start) * 1000) / 1000, ...safe } as FleetEvent;
      events.push(event);
      if (options.file === undefined) return;
      pending.push(`${JSON.stringify(event)}\n`);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}

/** Reads a log file back; malformed lines are reported with their line number. */
export function parseFleetLog(text: string): { events: FleetEvent[]; problems: string[] } {
  const events: FleetEvent[] = [];
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const e = JSON.parse(line) as FleetEvent;
      if (typeof e.type !== 'string' || typeof e.t !== 'number') throw new Error('not a fleet event');
      events.push(e);
    } catch (err) {
      problems.push(`line ${i + 1}: ${(err as Error).message}`);
    }
  });
  return { events, problems };
}
