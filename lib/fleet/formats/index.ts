/**
 * How the simulated fleet prints what the real tools print, byte for byte where the source is
 * known: /proc/drbd and drbdadm, pcs and crm_mon, the mysql client, Hazelcast REST, virsh, qm.
 * Pure functions of the state they are given (types from lib/parsers); no clock, no I/O.
 */
export { drbdCounters, formatDrbdDevice, formatProcDrbd, groupThousands, type ProcDrbdOptions } from './drbd.js';
export {
  drbdStatusFrom84, formatDrbdAlreadyConfigured, formatDrbdadmCstate, formatDrbdadmDstate, formatDrbdadmRole, formatDrbdadmStatus,
  formatDrbdFailure, formatDrbdNotFound, formatDrbdStateChangeFailed, type DrbdErrorOptions,
} from './drbd.js';
export { formatCtime, formatPcsStatus, pcsNotRunning, type PcsStatusOptions } from './pcs.js';
export {
  formatPcsClusterStart, formatPcsClusterStop, formatPcsError, formatPcsResourceCleanup,
  type PcsCleanupOptions, type PcsClusterOptions, type PcsError, type PcsVersion,
} from './pcs.js';
export { crmMonFromPcs, formatCrmMonXml } from './crm-mon.js';
export { formatMysqladminPing, formatSlaveStatus, type SlaveStatusOptions } from './mysql.js';
export { formatHazelcastHealth, formatHazelcastMembers, type HazelcastOptions } from './hazelcast.js';
export {
  formatVirshAction, formatVirshDomstate, formatVirshError, formatVirshList,
  type LibvirtGeneration, type VirshAction, type VirshDomain, type VirshError, type VirshListOptions, type VirshState,
} from './virsh.js';
export { formatQmError, formatQmList, formatQmStatus, type QmError, type QmStatus, type QmVm } from './qm.js';
