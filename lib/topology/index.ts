export { formatDiagnostic, sortDiagnostics, type Diagnostic } from './diagnostic.js';
export { hasErrors, loadTopology, type LoadOptions, type LoadResult } from './load.js';
export type {
  CheckSpec, Continuity, ContinuityProbe, Dependency, Host, Pair, PairDrbd, PairPacemaker, HostKeyPolicy, Power, PowerDriver, Role, RolePhase, ShutdownMode, SourceLocation, SshEndpoint, StepSpec, Timeouts, Topology,
} from './model.js';
export type { SourceReader } from './playbooks.js';
export { DurationSchema, TopologySchema, PlaybookSchema } from './schema.js';
export { renderTemplate } from './template.js';
export { hostVars, partnerOf, usesPartner } from './variables.js';
export { applyOverlay, type FleetOverlay } from './overlay.js';
export { parseYamlFile } from './yaml-file.js';
