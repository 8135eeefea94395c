/**
 * The resolved topology: what loadTopology returns once a file has passed validation. Defaults are
 * applied, durations are milliseconds, playbooks are merged into roles. Readonly; pure data.
 */

import type { SecretSource } from './secrets.js';
import type { SshConfigFields } from './ssh-config-fields.js';

/** Where something was written, for messages. `line` and `col` are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A name written in a `requires` or `after` list, with where it was written. */
export interface Dependency {
  readonly name: string;
  readonly at: SourceLocation;
}

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

/** How to reach one machine over SSH (a host, a hypervisor or a bastion). */
export interface SshEndpoint extends SshConfigFields {
  /** Name in the topology; used as the connection pool key and in messages. */
  readonly name: string;
  readonly address: string;
  /** @default 22 */
  readonly port: number;
  /** @default 'root' */
  readonly user: string;
  /** Absolute path or `~/…`; undefined means `identities`, else ssh-agent and the usual ~/.ssh/id_* files. */
  readonly identity?: string;
  /** Offer ssh-agent keys when SSH_AUTH_SOCK is set. @default true */
  readonly agent: boolean;
  /**
   * User known_hosts files, in order (OpenSSH's UserKnownHostsFile); every one is read, and the
   * first is where `accept-new` adds keys. Absolute paths or `~/…`.
   * @default ['~/.ssh/known_hosts', '~/.ssh/known_hosts2']
   */
  readonly knownHosts: readonly string[];
  /**
   * Global known_hosts files, read after the user files and never written (OpenSSH's
   * GlobalKnownHostsFile). @default ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']
   */
  readonly globalKnownHosts: readonly string[];
  /** `accept-new` writes hashed host names (`|1|salt|hash`), as OpenSSH's HashKnownHosts. @default false */
  readonly hashKnownHosts: boolean;
  /** @default 'strict' */
  readonly hostKeyPolicy: HostKeyPolicy;
  /** The bastion to connect through. */
  readonly jump?: SshEndpoint;
  /** The server's MaxSessions. @default 10 */
  readonly maxSessions: number;
  /** SSH connect + handshake timeout in ms. @default 10000 */
  readonly connectTimeoutMs: number;
}

export interface Timeouts {
  /** @default 600000 (10m) */
  readonly bootMs: number;
  /** @default 300000 (5m) */
  readonly shutdownMs: number;
  /** @default 300000 (5m) */
  readonly stepMs: number;
  /** @default 10000 (10s) */
  readonly connectMs: number;
  /** The longest pause between two polls (they start at 50 ms and back off). @default 2000 (2s) */
  readonly pollMs: number;
  /** Timeout of each check attempt, for checks that set none. @default 10000 (10s) */
  readonly checkMs: number;
}

export type ShutdownMode = 'guest' | 'hypervisor';

/** Power control of one host. */
export type Power =
  | { readonly driver: 'virsh'; readonly hypervisor: string; readonly vm: string; readonly uri?: string; readonly shutdown: ShutdownMode; readonly forceOff: boolean }
  | { readonly driver: 'qm'; readonly hypervisor: string; readonly vm: string; readonly shutdown: ShutdownMode; readonly forceOff: boolean }
  | {
      readonly driver: 'command';
      /** `local`, or the name of a hypervisor to run the commands on. */
      readonly via: string;
      readonly vm: string;
      readonly on: string;
      readonly off?: string;
      readonly kill?: string;
      readonly status?: string;
      readonly shutdown: ShutdownMode;
      readonly forceOff: boolean;
    }
  | { readonly driver: 'none' };

export type PowerDriver = Power['driver'];

/**
 * What a check looks at. String fields may still contain {{placeholders}}; plans render them per
 * host. Every kind but a controller-side http or tcp check runs a command (lib/checks).
 */
export type CheckProbe =
  | { readonly kind: 'command'; readonly run: string; readonly exit: number; readonly expect?: string }
  | {
      readonly kind: 'http'; readonly url: string; readonly method: string; readonly status: number; readonly body?: string;
      readonly headers: Readonly<Record<string, string>>; readonly tlsVerify: boolean;
    }
  | { readonly kind: 'tcp'; readonly host?: string; readonly port: string }
  | { readonly kind: 'systemd'; readonly unit: string }
  | { readonly kind: 'mysql-replication'; readonly maxLag: number; readonly client: string }
  | { readonly kind: 'mysql-writable'; readonly client: string }
  | { readonly kind: 'mount'; readonly path: string; readonly remedy?: string }
  | {
      readonly kind: 'drbd'; readonly resource: string; readonly minor: number; readonly version: '8.4' | '9';
      readonly connection: string; readonly role?: string; readonly disk: string;
    }
  | { readonly kind: 'pcs'; readonly resources: readonly string[] }
  | { readonly kind: 'hazelcast'; readonly url: string; readonly members: number | 'auto'; readonly memberRoles: readonly string[] };

export type CheckKind = CheckProbe['kind'];

/** How a check is tried: attempts × (timeout + interval), within a deadline, N passes in a row. */
export interface CheckShape {
  /** 0 disables the check. @default 10 */
  readonly attempts: number;
  /** @default 1000 */
  readonly intervalMs: number;
  /** Timeout of each attempt. @default the host's `timeouts.check` (10 s) */
  readonly timeoutMs?: number;
  /** Overall limit from the first attempt; none by default. */
  readonly deadlineMs?: number;
  /** Consecutive passing attempts needed. @default 1 */
  readonly successes: number;
}

/** A check of a role: a probe that must pass, retried. */
export interface CheckSpec extends CheckShape {
  readonly name: string;
  readonly probe: CheckProbe;
  /** Runs on the controller. */
  readonly local: boolean;
  readonly at: SourceLocation;
}

export type ServiceManager = 'systemd' | 'initd' | 'daemontools' | 'pidfile';

/** Service control: an action with its manager's semantics (lib/services). */
export interface ServiceSpec {
  readonly manager: ServiceManager;
  /** Unit, init script (name or path), service directory or pidfile. */
  readonly target: string;
  readonly action: string;
  /** Must pass before a start or restart is done. */
  readonly health?: CheckSpec;
  /** Start attempts in all (1 = no restart), and the window that resets the count. */
  readonly restart: { readonly attempts: number; readonly windowMs: number };
  /** How long a graceful stop may take before it is forced. @default 30000 */
  readonly graceMs: number;
  /** initd: verb of the graceful stop. @default 'stop' */
  readonly graceful: string;
  /** pidfile: graceful stop signal. @default 'QUIT' */
  readonly signal: string;
  /** pidfile: start command. */
  readonly command?: string;
  /** initd: pidfile to signal when forcing a stop. */
  readonly killPidfile?: string;
}

/** A step of a role: a command, or service control. Strings may contain {{placeholders}}. */
export interface StepSpec {
  readonly name: string;
  /** The command; for a service step, a one-line summary of what it does. */
  readonly run: string;
  readonly service?: ServiceSpec;
  readonly local: boolean;
  readonly timeoutMs?: number;
  /** `safe_to_repeat`: running it again does no harm (resume may re-run it). Service steps always are. */
  readonly safeToRepeat: boolean;
  readonly at: SourceLocation;
}

export interface RolePhase {
  readonly steps: readonly StepSpec[];
  readonly checks: readonly CheckSpec[];
}

export interface Role {
  readonly name: string;
  readonly description?: string;
  /** Roles that must be up (checks passed) before this role starts. */
  readonly requires: readonly Dependency[];
  /** Roles that must have been started (not necessarily up) before this role starts. */
  readonly after: readonly Dependency[];
  /** Quorum: dependants start once this many of the role's hosts are up. */
  readonly gate?: { readonly min: number; readonly at: SourceLocation };
  /** Defaults from the playbook: the lowest precedence. */
  readonly defaults: Readonly<Record<string, string>>;
  /** The role's `vars` in the topology: over the topology's vars, under the host's. */
  readonly vars: Readonly<Record<string, string>>;
  readonly up: RolePhase;
  readonly down: RolePhase;
  /** On each host of the side that leaves in a failover, before it is shut down. */
  readonly failover: RolePhase;
  /** On each host of the side that returns in a failback, once it is up. */
  readonly failback: RolePhase;
  /** The playbook file merged into this role, if any. */
  readonly playbook?: string;
  readonly at: SourceLocation;
}

export interface Host {
  readonly name: string;
  readonly ssh: SshEndpoint;
  /** In the order written; the host's own step order follows the role dependencies. */
  readonly roles: readonly string[];
  readonly power: Power;
  /** Extra dependencies on hosts, resolved from host or role names to host names. */
  readonly requires: readonly Dependency[];
  readonly after: readonly Dependency[];
  readonly vars: Readonly<Record<string, string>>;
  readonly timeouts: Timeouts;
  readonly bootCheck: 'systemd' | 'ssh';
  readonly side?: string;
  readonly at: SourceLocation;
}

/** DRBD on a pair. */
export interface PairDrbd {
  readonly resource: string;
  /** @default 0 */
  readonly minor: number;
  /** @default 'dual-primary' */
  readonly mode: 'dual-primary' | 'single-primary';
  /** @default '8.4' */
  readonly version: '8.4' | '9';
  /** Deadline of each DRBD state wait. @default 1800000 (30m) */
  readonly timeoutMs: number;
}

/** Pacemaker on a pair. */
export interface PairPacemaker {
  /** @default '1.1' */
  readonly version: '1.1' | '2';
  /** Resources that must be started; empty means all. */
  readonly resources: readonly string[];
  readonly vip?: string;
  /** Deadline of each cluster state wait. @default 300000 (5m) */
  readonly timeoutMs: number;
}

/** A redundant pair: two hosts with DRBD and/or a Pacemaker cluster, started and stopped by their procedures. */
export interface Pair {
  readonly name: string;
  readonly hosts: readonly [string, string];
  /** Roles whose own steps the procedure replaces on the pair's hosts. */
  readonly replaces: readonly string[];
  readonly drbd?: PairDrbd;
  readonly pacemaker?: PairPacemaker;
  readonly at: SourceLocation;
}

/** A probe of the service during failover and failback. */
export interface ContinuityProbe {
  readonly name: string;
  readonly run: string;
  /** Runs on a running host of this role on the staying side… */
  readonly role?: string;
  /** …or on this host… */
  readonly host?: string;
  /** …or on the controller. */
  readonly local: boolean;
  /** @default 5000 */
  readonly timeoutMs: number;
}

export interface Continuity {
  /** @default 1000 */
  readonly intervalMs: number;
  readonly probes: readonly ContinuityProbe[];
}

export interface Topology {
  readonly name: string;
  readonly description?: string;
  /** The file it was loaded from, as given. */
  readonly file: string;
  /** Commands in flight at once (work-limit.ts); Infinity: no limit. @default Infinity */
  readonly concurrency: number;
  /** Sorted by name. */
  readonly hosts: readonly Host[];
  readonly roles: ReadonlyMap<string, Role>;
  readonly hypervisors: ReadonlyMap<string, SshEndpoint>;
  readonly vars: Readonly<Record<string, string>>;
  /** Secret variables (their `vars` entry is the `{{secret:NAME}}` placeholder) and where each value is read. */
  readonly secrets?: ReadonlyMap<string, SecretSource>;
  /** Redundant pairs, in name order. */
  readonly pairs: readonly Pair[];
  readonly continuity: Continuity;
}
