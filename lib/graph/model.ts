/** The host dependency graph: which host waits for which, and why. Readonly data. */

/**
 * `requires`: wait until the dependency is up and its checks passed.
 * `after`: wait only until the dependency has been started (powered on), not until it is up.
 */
export type EdgeKind = 'requires' | 'after';

/** One edge seen from one side: the other host, the kind, and the role dependencies behind it. */
export interface HostLink {
  readonly host: string;
  readonly kind: EdgeKind;
  /** Human-readable reasons, e.g. `web requires db-slave`. */
  readonly reasons: readonly string[];
  /** The roles depended on behind the link (empty for a host dependency). */
  readonly roles: readonly string[];
  /** Written as a host dependency (`requires: [acd-dbm]` on a host). */
  readonly direct: boolean;
}

export interface HostGraph {
  /** All hosts, in natural name order. */
  readonly hosts: readonly string[];
  /** What `host` waits for on the way up. */
  dependencies(host: string): readonly HostLink[];
  /** What waits for `host` on the way up (and what `host` waits for on the way down). */
  dependants(host: string): readonly HostLink[];
}
