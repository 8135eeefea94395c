/**
 * Parsers for the output of the tools the orchestrator drives (DRBD, pcs/crm_mon, MySQL,
 * Hazelcast) and the state types they produce. Pure: text in, data out. The simulated fleet
 * formats the same types back into text (lib/fleet/formats).
 */
export type * from './types.js';
export { DRBD_CONNECTIONS, DRBD_DISKS, DRBD_ROLES, parseDrbdDevices, parseProcDrbd, ungroup } from './drbd.js';
export {
  DRBD9_CONNECTIONS, DRBD_FAILURES, DRBD_REPLICATIONS, DRBD_STATE_ERRORS, drbdStateChangeExit, parseDrbdError,
  parseDrbdadmCstate, parseDrbdadmDstate, parseDrbdadmRole, parseDrbdadmStatus,
  type DrbdError, type DrbdFailureCode, type DrbdStateChangeCode,
} from './drbdadm.js';
export { agentFrom11, agentTo11, parsePcsStatus, pcsPrimitives, PCS_NODE_TEXT } from './pcs.js';
export { parseCrmMonXml, xmlElements, type XmlElement } from './crm-mon.js';
export { parseReplicaStatus, replicaColumns, REPLICA_DEFAULTS, REPLICA_FIELDS, type ReplicaColumn } from './mysql.js';
export { parseHazelcastHealth, parseHazelcastMembers } from './hazelcast.js';
