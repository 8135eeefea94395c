/**
 * Hazelcast REST bodies: `GET /hazelcast/health` as 3.x text (HttpGetCommandProcessor: one
 * `Hazelcast::Key=VALUE` line each, booleans upper-cased) or 4.x/5.x compact JSON, and the 3.x
 * member list of `GET /hazelcast/rest/cluster` (leading blank lines and TAB-indented members, as
 * ClusterServiceImpl builds it). Bodies only; the HTTP status is the caller's. domain.md §4.
 */
import type { HazelcastHealth, HazelcastMember, HazelcastMembers } from '../../parsers/index.js';

/** Options of `formatHazelcastHealth`. */
export interface HazelcastOptions {
  /** 3: text; 4 and 5: JSON. */
  readonly version: 3 | 4 | 5;
}

/** The body of `GET /hazelcast/health`. */
export function formatHazelcastHealth(h: HazelcastHealth, options: HazelcastOptions): string {
  if (options.version !== 3) {
    return JSON.stringify({ nodeState: h.nodeState, clusterState: h.clusterState, clusterSafe: h.clusterSafe, migrationQueueSize: h.migrationQueueSize, clusterSize: h.clusterSize });
  }
  return [
    `Hazelcast::NodeState=${h.nodeState}`,
    `Hazelcast::ClusterState=${h.clusterState}`,
    `Hazelcast::ClusterSafe=${String(h.clusterSafe).toUpperCase()}`,
    `Hazelcast::MigrationQueueSize=${h.migrationQueueSize}`,
    `Hazelcast::ClusterSize=${h.clusterSize}`,
  ].map((l) => `${l}\n`).join('');
}

/** `Member [host:port]` (the docs' form), or `Member [host]:port - uuid` when a uuid is known. */
function memberText(m: HazelcastMember): string {
  const address = m.uuid === undefined ? `[${m.host}:${m.port}]` : `[${m.host}]:${m.port} - ${m.uuid}`;
  return `Member ${address}${m.self ? ' this' : ''}`;
}

/** The body of `GET /hazelcast/rest/cluster` (3.x). */
export function formatHazelcastMembers(list: HazelcastMembers): string {
  const members = list.members.map((m) => `\n\t${memberText(m)}`).join('');
  return `\n\nMembers [${list.members.length}] {${members}\n}\n\nConnectionCount: ${list.connectionCount}\nAllConnectionCount: ${list.allConnectionCount}\n`;
}
