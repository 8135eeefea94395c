/**
 * Reads Hazelcast's REST answers: `GET /hazelcast/health` in the 3.x text form
 * (`Hazelcast::NodeState=ACTIVE` …) and the 4.x/5.x JSON form, and the 3.x member list of
 * `GET /hazelcast/rest/cluster`. domain.md §4.
 */
import type { HazelcastClusterState, HazelcastHealth, HazelcastMember, HazelcastMembers, HazelcastNodeState } from './types.js';

const NODE_STATES: readonly HazelcastNodeState[] = ['ACTIVE', 'PASSIVE', 'SHUT_DOWN'];
const CLUSTER_STATES: readonly HazelcastClusterState[] = ['ACTIVE', 'NO_MIGRATION', 'FROZEN', 'PASSIVE', 'IN_TRANSITION'];

function health(fields: Readonly<Record<string, unknown>>): HazelcastHealth | undefined {
  const nodeState = NODE_STATES.find((s) => s === fields['nodeState']);
  const clusterState = CLUSTER_STATES.find((s) => s === fields['clusterState']);
  const safe = fields['clusterSafe'];
  const queue = Number(fields['migrationQueueSize']);
  const size = Number(fields['clusterSize']);
  if (nodeState === undefined || clusterState === undefined || typeof safe !== 'boolean' || Number.isNaN(queue) || Number.isNaN(size)) return undefined;
  return { nodeState, clusterState, clusterSafe: safe, migrationQueueSize: queue, clusterSize: size };
}

/** The health body, either form; undefined when it is neither (HTML error page, empty …). */
export function parseHazelcastHealth(body: string): HazelcastHealth | undefined {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const json: unknown = JSON.parse(trimmed);
      return typeof json === 'object' && json !== null ? health(json as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  }
  const fields: Record<string, unknown> = {};
  for (const m of trimmed.matchAll(/^Hazelcast::(\w+)=(.*)$/gm)) {
    const key = (m[1] ?? '').replace(/^./, (c) => c.toLowerCase());
    const value = (m[2] ?? '').trim();
    fields[key] = value === 'TRUE' ? true : value === 'FALSE' ? false : value;
  }
  return health(fields);
}

/**
 * `GET /hazelcast/rest/cluster` (3.x): `Members [n] {` with one `Member […]` per line, then the
 * connection counts. Accepts `Member [host:port]`, `Member [host]:port` and a ` - uuid` suffix.
 */
export function parseHazelcastMembers(body: string): HazelcastMembers | undefined {
  if (!/Members \[\d+\] \{/.test(body)) return undefined;
  const members: HazelcastMember[] = [];
  for (const m of body.matchAll(/^\s*Member \[([^\]]+?)(?::(\d+))?\](?::(\d+))?(?: - ([0-9a-f-]+))?( this)?\s*$/gm)) {
    members.push({
      host: m[1] ?? '',
      port: Number(m[2] ?? m[3] ?? 0),
      ...(m[4] === undefined ? {} : { uuid: m[4] }),
      self: m[5] !== undefined,
    });
  }
  const count = (name: string): number => Number(new RegExp(`^${name}: (\\d+)`, 'm').exec(body)?.[1] ?? 0);
  return { members, connectionCount: count('ConnectionCount'), allConnectionCount: count('AllConnectionCount') };
}
