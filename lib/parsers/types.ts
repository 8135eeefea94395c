/**
 * State shared by the output parsers (the engine reads real tools with them) and the simulated
 * fleet's formatters (which print the same state the way the real tools do). Plain data only.
 * Vocabularies and formats: domain.md §1 (DRBD), §2 (pcs, in pcs-types.ts), §3 (MySQL), §4 (Hazelcast).
 */

export type * from './pcs-types.js';

/** What a command printed and how it exited. */
export interface ToolOutput {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

// ---------------------------------------------------------------- DRBD (domain.md §1)

/** DRBD role (`ro:` in /proc/drbd, `role:` in `drbdadm status`). */
export type DrbdRole = 'Primary' | 'Secondary' | 'Unknown';

/** DRBD disk state, exact spellings (§1.6). */
export type DrbdDisk = 'Diskless' | 'Attaching' | 'Failed' | 'Negotiating' | 'Inconsistent' | 'Outdated' | 'DUnknown' | 'Consistent' | 'UpToDate';

/** DRBD 8.4 connection state (`cs:`), exact spellings (§1.6). */
export type DrbdConnection =
  | 'StandAlone' | 'Disconnecting' | 'Unconnected' | 'Timeout' | 'BrokenPipe' | 'NetworkFailure' | 'ProtocolError'
  | 'WFConnection' | 'WFReportParams' | 'TearDown' | 'Connected' | 'StartingSyncS' | 'StartingSyncT' | 'WFBitMapS'
  | 'WFBitMapT' | 'WFSyncUUID' | 'SyncSource' | 'SyncTarget' | 'PausedSyncS' | 'PausedSyncT' | 'VerifyS' | 'VerifyT'
  | 'Ahead' | 'Behind';

/** DRBD 9 connection state (`connection:`); drbd-utils 9 shows 8.4's WFConnection as `Connecting`. */
export type Drbd9Connection =
  | 'StandAlone' | 'Disconnecting' | 'Unconnected' | 'Timeout' | 'BrokenPipe' | 'NetworkFailure' | 'ProtocolError'
  | 'TearDown' | 'Connecting' | 'Connected';

/** DRBD 9 per-peer replication state (`replication:`). */
export type DrbdReplication =
  | 'Off' | 'Established' | 'StartingSyncS' | 'StartingSyncT' | 'WFBitMapS' | 'WFBitMapT' | 'WFSyncUUID' | 'SyncSource'
  | 'SyncTarget' | 'VerifyS' | 'VerifyT' | 'PausedSyncS' | 'PausedSyncT' | 'Ahead' | 'Behind';

/** Resync / online-verify progress, the two extra /proc/drbd lines while syncing or verifying. */
export interface DrbdSync {
  /** Done, one decimal (`17.9`); the bar is drawn from it. */
  readonly percent: number;
  /** Still to sync, in `unit`. */
  readonly left: number;
  /** Total to sync, in `unit`. */
  readonly total: number;
  /** `M` (MiB) when the total is above 4 GiB, otherwise `K` (KiB). */
  readonly unit: 'K' | 'M';
  /** `finish:` estimate, in seconds. */
  readonly finishSeconds: number;
  /** Current speed, KiB/s. */
  readonly speedKiBs: number;
  /** Long-term average speed (the number in parentheses), KiB/s. */
  readonly averageKiBs: number;
  /** `want:` (configured resync rate), KiB/s; printed by SyncTarget and VerifyS only. */
  readonly wantKiBs?: number;
  /** ` (stalled)` after `K/sec`. */
  readonly stalled?: boolean;
}

/** One configured minor in /proc/drbd (DRBD 8.4). */
export interface DrbdMinor {
  readonly kind: 'configured';
  readonly minor: number;
  readonly cstate: DrbdConnection;
  readonly role: DrbdRole;
  readonly peerRole: DrbdRole;
  readonly disk: DrbdDisk;
  readonly peerDisk: DrbdDisk;
  /** Wire protocol; absent when there is no net config (StandAlone): the line then has a blank. */
  readonly protocol?: 'A' | 'B' | 'C';
  /** The six flag characters, e.g. `r-----` (running, no pauses, no congestion). */
  readonly flags: string;
  /** `ns nr dw dr al bm lo pe ua ap ep wo oos`, numbers except `wo` (f, d, b or n). */
  readonly counters: Readonly<Record<string, number | string>>;
  /** Present while syncing or verifying. */
  readonly sync?: DrbdSync;
}

/** A minor that exists but is down: `%2d: cs:Unconfigured`. */
export interface DrbdUnconfigured {
  readonly kind: 'unconfigured';
  readonly minor: number;
}

export type DrbdDevice = DrbdMinor | DrbdUnconfigured;

/** The version lines at the top of /proc/drbd. */
export interface ProcDrbdHeader {
  /** `8.4.11`, `9.0.6-1`. */
  readonly version: string;
  /** `api:1` on 8.4, `api:2` on 9. */
  readonly api: number;
  readonly protoMin: number;
  readonly protoMax: number;
  /** The whole second line: `GIT-hash: … build by …, date` or `srcversion: …`. */
  readonly buildTag: string;
  /** DRBD 9 only: the whole third line, `Transports (api:15): tcp (1.0.0)`. */
  readonly transports?: string;
}

/** `cat /proc/drbd`. DRBD 9 lists no devices there. */
export interface ProcDrbd extends ProcDrbdHeader {
  readonly devices: readonly DrbdDevice[];
}

/** Tokens a `drbdadm status` line carried beyond the modelled ones (`suspended`, `quorum`, `open` …), in order. */
export type DrbdExtra = Readonly<Record<string, string>>;

/** A local volume line of `drbdadm status`. */
export interface DrbdStatusVolume {
  /** Printed only with several volumes (or `--verbose`). */
  readonly volume?: number;
  readonly disk: DrbdDisk;
  readonly extra?: DrbdExtra;
}

/** A peer-device line of `drbdadm status`. */
export interface DrbdStatusPeerVolume {
  readonly volume?: number;
  /** Printed only beyond Established (syncing, paused, verifying) — or always by the 8.4 compat code. */
  readonly replication?: DrbdReplication;
  readonly peerDisk?: DrbdDisk;
  /** `done:` while syncing, two decimals. */
  readonly donePercent?: number;
  readonly extra?: DrbdExtra;
}

/** A connection line of `drbdadm status` (the literal name `peer` with an 8.4 kernel). */
export interface DrbdStatusPeer {
  readonly name: string;
  /** Printed when not Connected. */
  readonly connection?: Drbd9Connection;
  /** Printed when Connected. */
  readonly role?: DrbdRole;
  /** Peer devices; printed only when Connected. */
  readonly volumes: readonly DrbdStatusPeerVolume[];
  readonly extra?: DrbdExtra;
}

/** One resource of `drbdadm status` (drbd-utils 9, both kernels). */
export interface DrbdStatus {
  readonly resource: string;
  readonly role: DrbdRole;
  readonly volumes: readonly DrbdStatusVolume[];
  readonly peers: readonly DrbdStatusPeer[];
  readonly extra?: DrbdExtra;
}

// ---------------------------------------------------------------- MySQL / MariaDB (domain.md §3)

/** Column set and names: 5.7 (`Slave_*`), 8.0.22+ (`Replica_*`/`Source_*`), MariaDB 10.5/10.6 (`Slave_*`). */
export type MysqlFlavour = 'mysql57' | 'mysql80' | 'mariadb';

/**
 * One row of `SHOW SLAVE STATUS\G` / `SHOW REPLICA STATUS\G`. Field names follow the old
 * (`Master`/`Slave`) columns whatever the server printed.
 */
export interface ReplicaStatus {
  readonly flavour: MysqlFlavour;
  /** `replica` when the server printed 8.0.22+ names. */
  readonly naming: 'slave' | 'replica';
  readonly ioState: string;
  readonly masterHost: string;
  readonly masterUser: string;
  readonly masterPort: number;
  readonly connectRetry: number;
  readonly masterLogFile: string;
  readonly readMasterLogPos: number;
  readonly relayLogFile: string;
  readonly relayLogPos: number;
  readonly relayMasterLogFile: string;
  /** `Connecting`: thread running, not connected to the master. */
  readonly ioRunning: 'Yes' | 'No' | 'Connecting';
  readonly sqlRunning: 'Yes' | 'No';
  readonly lastErrno: number;
  readonly lastError: string;
  readonly execMasterLogPos: number;
  /** `NULL` (null) when the SQL thread is stopped or the IO thread not connected. */
  readonly secondsBehind: number | null;
  readonly lastIoErrno: number;
  readonly lastIoError: string;
  readonly lastSqlErrno: number;
  readonly lastSqlError: string;
  readonly masterServerId: number;
  readonly sqlRunningState: string;
  /** Other columns whose value is not the column's default, by 5.7 name; null is `NULL`. */
  readonly extra?: Readonly<Record<string, string | null>>;
}

// ---------------------------------------------------------------- Hazelcast (domain.md §4)

export type HazelcastNodeState = 'ACTIVE' | 'PASSIVE' | 'SHUT_DOWN';
export type HazelcastClusterState = 'ACTIVE' | 'NO_MIGRATION' | 'FROZEN' | 'PASSIVE' | 'IN_TRANSITION';

/** `GET /hazelcast/health`: 3.x text (`Hazelcast::NodeState=ACTIVE` …) or 4.x/5.x JSON. */
export interface HazelcastHealth {
  readonly nodeState: HazelcastNodeState;
  readonly clusterState: HazelcastClusterState;
  readonly clusterSafe: boolean;
  readonly migrationQueueSize: number;
  readonly clusterSize: number;
}

/** One member of `GET /hazelcast/rest/cluster`. */
export interface HazelcastMember {
  readonly host: string;
  readonly port: number;
  /** Newer 3.x print `Member [host]:port - uuid`. */
  readonly uuid?: string;
  /** The member that answered (` this`). */
  readonly self: boolean;
}

/** `GET /hazelcast/rest/cluster` (3.x text). */
export interface HazelcastMembers {
  readonly members: readonly HazelcastMember[];
  readonly connectionCount: number;
  readonly allConnectionCount: number;
}
