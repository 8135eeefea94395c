/**
 * The redundant-pair procedures as data: each step says on which node it runs — the primary or
 * the secondary, decided when the run knows them — and what it runs or waits for. The same
 * lists are printed by `plan` and executed by the pair runner.
 */

/** Which node of the pair a step runs on, once the run has decided who is who. */
export type PairNode = 'primary' | 'secondary';

/** What a DRBD wait expects, seen from the node it runs on (`self/peer`). */
export interface DrbdExpectation {
  readonly connected: boolean;
  /** `Secondary/Secondary`, `Primary/Primary`, `Primary/Secondary`; `Primary/*` matches any peer role; `A|B`: either (a rerun may find the pair a step further on). */
  readonly roles: string;
  /** `UpToDate/UpToDate`, or `UpToDate/*` while the peer is away. */
  readonly disks: string;
}

interface Base {
  readonly id: string;
  readonly name: string;
  readonly on: PairNode;
  /** Deadline (waits) or command timeout, ms. */
  readonly timeoutMs: number;
}

/**
 * - `run`: a command (`drbdadm up`, `pcs cluster start --all`); `pcs resource cleanup`.
 * - `promote`: `drbdadm primary`, but only after the node was seen UpToDate and not StandAlone.
 * - `drbd-wait`: reads /proc/drbd (8.4) or `drbdadm status` (9) until the expectation holds; a resync is waited out; split brain fails at once.
 * - `pcs-wait`: reads `pcs status` until the nodes are online and the resources started, without failed actions.
 * - `find-primary`: reads `pcs status` (else DRBD) to learn which node is active; it becomes the primary.
 * - `shutdown`: the node's own shutdown steps (graceful, wait until off, forced off).
 */
export type PairStep =
  /** `unless`: skipped when the DRBD resource is already up (`drbdadm up`) or already down (`drbdadm down`), so a rerun can continue a half-done procedure. */
  /** `alone`: the command instead when the other node is already off (`pcs cluster stop --all` cannot reach it: `pcs cluster stop`). */
  | (Base & { readonly kind: 'run'; readonly command: string; readonly unless?: 'drbd-up' | 'drbd-down'; readonly alone?: string })
  | (Base & { readonly kind: 'promote'; readonly command: string; readonly read: string })
  | (Base & { readonly kind: 'drbd-wait'; readonly read: string; readonly expect: DrbdExpectation; readonly pollMs: number })
  | (Base & { readonly kind: 'pcs-wait'; readonly read: string; readonly resources: readonly string[]; readonly nodes: 'both' | 'self'; readonly pollMs: number })
  | (Base & { readonly kind: 'find-primary'; readonly read: string })
  | (Base & { readonly kind: 'shutdown' });

export type PairStepKind = PairStep['kind'];

/** Which procedure of a pair: the runner picks from what it finds (see pair-runner). */
export type PairProcedure = 'both-up' | 'one-up' | 'both-down' | 'one-down';
