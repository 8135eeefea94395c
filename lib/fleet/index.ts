export { FAULT_KINDS, FleetFileSchema, parseFault, type Fault, type FleetFile } from './config.js';
export { fleetStatus, type FleetStatus } from './control.js';
export { startFleet, type FleetOptions, type RunningFleet } from './fleet.js';
export { generateEd25519, type KeyPair } from './keys.js';
export { parseFleetLog, type FleetEvent } from './log.js';
export { SimulatedSshHost, untilAborted, type ExecHandler, type ExecReply, type SimulatedExec } from './ssh-host.js';
export { verifyRun, type Violation } from './verify.js';
