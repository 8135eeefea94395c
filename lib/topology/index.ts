export { formatDiagnostic, sortDiagnostics, type Diagnostic } from './diagnostic.js';
export { hasErrors, loadTopology, type LoadOptions, type LoadResult } from './load.js';
export type {
  CheckKind, CheckProbe, CheckShape, CheckSpec, ServiceManager, ServiceSpec, Continuity, ContinuityProbe, Dependency, Host, Pair, PairDrbd, PairPacemaker, HostKeyPolicy, Power, PowerDriver, Role, RolePhase, ShutdownMode, SourceLocation, SshEndpoint, StepSpec, Timeouts, Topology,
} from './model.js';
export type { SourceReader, SourceText } from './playbooks.js';
export type { SecretSource } from './secrets.js';
export { describeBytes, LIMITS } from './limits.js';
export { DurationSchema, TopologySchema, PlaybookSchema } from './schema.js';
export { renderTemplate } from './template.js';
export { renderCheck, renderProbe, renderService, specTexts } from './spec-texts.js';
export { CHECK_DEFAULTS, SERVICE_DEFAULTS } from './resolve-check.js';
export { hostVars, needsMissingPartner } from './variables.js';
export { applyOverlay, type FleetOverlay } from './overlay.js';
export { parseYamlFile } from './yaml-file.js';
