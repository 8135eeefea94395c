/** `orchestrate plan TOPOLOGY [--action up|down] [--json]`: what up or down would do, in order. */
import { buildPlan, planDocumentText, planOutline, type Action } from '../../plan/index.js';
import { formatPlan } from '../../reporters/index.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { knownPrimaries } from '../primaries.js';

export function planCommand(file: string, options: { action: Action; json: boolean; fleet?: string | undefined; stateDir: string; primary?: readonly string[] | undefined }, io: CliIO): number {
  const { topology, graph } = loadOrFail(file, io, { fleet: options.fleet });
  const planOptions = { primaries: knownPrimaries(topology, options) };
  // The JSON document is written host by host, each host planned only when its turn comes.
  if (options.json) for (const chunk of planDocumentText(planOutline(topology, graph, options.action, planOptions))) io.out(chunk);
  else for (const line of formatPlan(buildPlan(topology, graph, options.action, planOptions), io.style)) io.out(line);
  return 0;
}
