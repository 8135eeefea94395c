export { Emitter, systemClock, type Clock, type Listener } from './emitter.js';
export { EVENTS_VERSION, type Failure, type ProbeSummary, type HostStatus, type RunEvent, type RunEventBody, type RunEventType, type RunStatus, type RunSummary, type StepStatus } from './types.js';
