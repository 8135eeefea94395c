export { buildGraph, type GraphResult } from './build.js';
export type { EdgeKind, HostGraph, HostLink } from './model.js';
