/**
 * The resolved topology: what loadTopology returns once a file has passed validation. Defaults are
 * applied, durations are milliseconds, playbooks are merged into roles. Readonly; pure data.
 */

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
export interface SshEndpoint {
  /** Name in the topology; used as the connection pool key and in messages. */
  readonly name: string;
  readonly address: string;
  /** @default 22 */
  readonly port: number;
  /** @default 'root' */
  readonly user: string;
  /** Absolute path or `~/…`; undefined means ssh-agent or the usual ~/.ssh/id_* files. */
  readonly identity?: string;
  /** Offer ssh-agent keys when SSH_AUTH_SOCK is set. @default true */
  readonly agent: boolean;
  /** @default '~/.ssh/known_hosts' */
  readonly knownHosts: string;
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
  /** @default 2000 (2s) */
  readonly pollMs: number;
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

/** A command step of a role. `run` may still contain {{placeholders}}; plans render them per host. */
export interface StepSpec {
  readonly name: string;
  readonly run: string;
  readonly local: boolean;
  readonly timeoutMs?: number;
  readonly at: SourceLocation;
}

/** A check of a role: a command that must pass, retried. */
export interface CheckSpec {
  readonly name: string;
  readonly run: string;
  readonly local: boolean;
  /** Regular expression the stdout must match. */
  readonly expect?: string;
  /** 0 disables the check. @default 10 */
  readonly attempts: number;
  /** @default 1000 */
  readonly intervalMs: number;
  /** @default 1000 (the 10 × (1 s timeout + 1 s pause) convention) */
  readonly timeoutMs: number;
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
  /** @default 16 */
  readonly concurrency: number;
  /** Sorted by name. */
  readonly hosts: readonly Host[];
  readonly roles: ReadonlyMap<string, Role>;
  readonly hypervisors: ReadonlyMap<string, SshEndpoint>;
  readonly vars: Readonly<Record<string, string>>;
  /** Redundant pairs, in name order. */
  readonly pairs: readonly Pair[];
  readonly continuity: Continuity;
}
