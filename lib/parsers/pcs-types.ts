/**
 * Pacemaker / pcs state shared by the parsers and the simulated fleet's formatters: `pcs status`
 * text (both layouts) and `crm_mon` XML (domain.md §2). Plain data only; re-exported by types.ts.
 */

/**
 * Text layout of `pcs status`: `1.1-early` is the pacemaker 1.1.12 era (Clusters from Scratch 1.1:
 * `Last updated` first, `Version:` line, `N Nodes configured`, a blank after the node name on
 * resource lines), `1.1` the 1.1.18+ layout (CentOS 7 late), `2` the pacemaker 2.1 bullet layout.
 */
export type PcsLayout = '1.1-early' | '1.1' | '2';

/** How a node shows: in the `Online:`/`OFFLINE:` lists, or on a line of its own. */
export type PcsNodeState =
  | 'online' | 'offline' | 'standby' | 'standby-offline' | 'standby-on-fail' | 'maintenance' | 'pending'
  | 'unclean-online' | 'unclean-offline';

export interface PcsNode {
  readonly name: string;
  /** Shown as `Node pcmk-1 (1): standby` when present. */
  readonly id?: string;
  readonly state: PcsNodeState;
}

/** Resource state in pacemaker 2.1 words; 1.1 prints Promoted/Unpromoted as Master/Slave. */
export type PcsResourceState =
  | 'Started' | 'Stopped' | 'Starting' | 'Stopping' | 'FAILED' | 'FAILED Promoted' | 'Promoted' | 'Unpromoted'
  | 'Migrating' | 'Promoting' | 'Demoting';

/** A primitive resource line. */
export interface PcsPrimitive {
  readonly kind: 'primitive';
  readonly id: string;
  /** `class:provider:type` (`ocf:heartbeat:IPaddr2`) or `class:type` (`systemd:smb`); 1.1 prints `ocf::heartbeat:…`. */
  readonly agent: string;
  readonly state: PcsResourceState;
  readonly node?: string;
  /** Parenthesised flags: `disabled`, `blocked`, `unmanaged`, `UNCLEAN` … */
  readonly flags?: readonly string[];
}

/** A resource group and its members. */
export interface PcsGroup {
  readonly kind: 'group';
  readonly id: string;
  readonly members: readonly PcsPrimitive[];
}

/** One summary line of a clone: `Started: [ a b ]`, `Masters:`/`Promoted:`, `Slaves:`/`Unpromoted:`, `Stopped:`. */
export interface PcsCloneInstances {
  readonly role: 'started' | 'promoted' | 'unpromoted' | 'stopped';
  readonly nodes: readonly string[];
}

/** A clone set; `promotable` is a Master/Slave set on 1.1. */
export interface PcsClone {
  readonly kind: 'clone';
  readonly id: string;
  /** The cloned resource (`[WebData]`). */
  readonly child: string;
  readonly promotable: boolean;
  readonly instances: readonly PcsCloneInstances[];
}

export type PcsResource = PcsPrimitive | PcsGroup | PcsClone;

/** One `Failed Actions:` / `Failed Resource Actions:` entry. */
export interface PcsFailedAction {
  readonly resource: string;
  readonly operation: string;
  /** Operation interval in ms (the `_0` / `_30000` suffix). */
  readonly interval: number;
  readonly node: string;
  /** `unknown error`, `not running`, `Unimplemented` … */
  readonly rcText: string;
  readonly rc: number;
  readonly call?: number;
  /** `complete`, `Done`, `Timed Out` … */
  readonly status?: string;
  readonly exitReason?: string;
  readonly lastRcChange?: string;
  readonly queuedMs?: number;
  readonly execMs?: number;
}

/** The cluster summary at the top of `pcs status`. */
export interface PcsHeader {
  /** `corosync`. */
  readonly stack: string;
  /** The DC; absent prints `Current DC: NONE`. */
  readonly dc?: { readonly name: string; readonly id?: string };
  readonly quorum: boolean;
  /** Pacemaker version (`1.1.23-1.el7_9.1-9acf116022`). */
  readonly version?: string;
  /** `Last updated:` text (ctime form); a formatter's `now` replaces it. */
  readonly lastUpdated?: string;
  /** `Last change:` text, e.g. `Mon Mar  3 09:55:12 2025 by root via cibadmin on acd-store1`. */
  readonly lastChange?: string;
  readonly nodesConfigured: number;
  /** Resource instances configured (a clone counts once per instance). */
  readonly resourcesConfigured: number;
  readonly disabled?: number;
  readonly blocked?: number;
}

/** `pcs status`, either layout. */
export interface PcsStatus {
  readonly layout: PcsLayout;
  /** False when pcs says the cluster is not running on this node; everything else is then empty. */
  readonly stackRunning: boolean;
  readonly clusterName?: string;
  readonly header?: PcsHeader;
  readonly nodes: readonly PcsNode[];
  readonly resources: readonly PcsResource[];
  readonly failedActions: readonly PcsFailedAction[];
  /** `PCSD Status:` lines (`Online`, `Offline`). */
  readonly pcsd?: readonly { readonly node: string; readonly status: string }[];
  /** `Daemon Status:` lines (`active/enabled`). */
  readonly daemons?: readonly { readonly name: string; readonly status: string }[];
}

/** A node of `crm_mon` XML. */
export interface CrmMonNode {
  readonly name: string;
  readonly id: string;
  readonly online: boolean;
  readonly standby: boolean;
  readonly standbyOnFail: boolean;
  readonly maintenance: boolean;
  readonly pending: boolean;
  readonly unclean: boolean;
  readonly shutdown: boolean;
  readonly expectedUp: boolean;
  readonly isDc: boolean;
  readonly resourcesRunning: number;
  /** `member`, `remote`, `ping`. */
  readonly type: string;
}

/** A primitive of `crm_mon` XML, wherever it sits (top level, group, clone). */
export interface CrmMonResource {
  readonly id: string;
  /** As printed: `ocf::heartbeat:IPaddr2` on 1.1, `ocf:heartbeat:IPaddr2` on 2. */
  readonly agent: string;
  /** `Started`, `Stopped`, `Master`, `Promoted` … */
  readonly role: string;
  readonly active: boolean;
  readonly orphaned: boolean;
  readonly blocked: boolean;
  readonly managed: boolean;
  readonly failed: boolean;
  readonly failureIgnored: boolean;
  /** Names of the nodes it runs on (`nodes_running_on` is their count). */
  readonly nodes: readonly string[];
  /** The enclosing group / clone / bundle. */
  readonly parent?: { readonly kind: 'group' | 'clone' | 'bundle'; readonly id: string };
}

/** `crm_mon -1 -X` (1.1, root `<crm_mon>`) or `crm_mon -1 --output-as=xml` (2, root `<pacemaker-result>`). */
export interface CrmMonResult {
  readonly layout: '1.1' | '2';
  /** `version` of `<crm_mon>` (1.1) or `api-version` of `<pacemaker-result>` (2). */
  readonly version: string;
  readonly stack?: string;
  readonly dc?: { readonly name: string; readonly id: string; readonly version: string; readonly withQuorum: boolean };
  readonly lastUpdate?: string;
  readonly lastChange?: { readonly time: string; readonly user: string; readonly client: string; readonly origin: string };
  readonly nodes: readonly CrmMonNode[];
  readonly resources: readonly CrmMonResource[];
}
