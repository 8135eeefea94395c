/**
 * `orchestrate graph TOPOLOGY [--format mermaid|dot] [-a up|down]`: the dependency graph of the
 * up (or down) plan, as a Mermaid flowchart or Graphviz DOT on stdout (reporters/graph-text.ts).
 */
import type { Action } from '../../plan/index.js';
import { formatGraph, type GraphFormat } from '../../reporters/index.js';
import { EXIT } from '../exit.js';
import type { CliIO } from '../io.js';
import { loadOrFail } from '../load.js';
import { makePlan } from '../make-plan.js';

export interface GraphCommandOptions {
  readonly format: GraphFormat;
  readonly action: Action;
  readonly stateDir: string;
}

export function graphCommand(file: string, options: GraphCommandOptions, io: CliIO): number {
  const loaded = loadOrFail(file, io);
  const plan = makePlan(loaded, { action: options.action, stateDir: options.stateDir, file });
  for (const line of formatGraph(plan, options.format)) io.out(line);
  return EXIT.ok;
}
