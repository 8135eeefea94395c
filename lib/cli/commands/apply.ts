/**
 * `orchestrate apply PLAN.json`: runs exactly the plan that was saved (orchestrate plan … -o),
 * after checking that the files it was made from have not changed since (by content hash).
 * A stale plan is refused (exit 3) with what changed; nothing runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../errors.js';
import { planFromDocument, type Plan } from '../../plan/index.js';
import { executePlan } from '../execute.js';
import { EXIT } from '../exit.js';
import { readText } from '../files.js';
import type { CliIO } from '../io.js';
import { sha256 } from '../load.js';
import type { SessionOptions } from '../run-session.js';
import { runCheckPlan } from './check.js';

export interface ApplyCommandOptions extends SessionOptions {
  readonly file: string;
}

export function readPlanFile(file: string, io: CliIO): Plan {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path.resolve(io.cwd, file), 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new CliError(`cannot read the plan ${file}: ${why}`, { exitCode: EXIT.invalid, suggestions: ['orchestrate plan TOPOLOGY --action up -o plan.json'] });
  }
  const plan = planFromDocument(value);
  if ('error' in plan) throw new CliError(`${file} is not a plan: ${plan.error}`, { exitCode: EXIT.invalid, suggestions: ['orchestrate plan TOPOLOGY --action up -o plan.json'] });
  return plan;
}

/** What changed in the files a plan was made from; empty when none did. */
export function staleSources(plan: Plan): string[] {
  return plan.sources.flatMap((s) => {
    const text = readText(s.file);
    if (text === undefined) return [`${s.file}: gone`];
    return sha256(text) === s.sha256 ? [] : [`${s.file}: changed (sha256 ${s.sha256.slice(0, 12)} in the plan, ${sha256(text).slice(0, 12)} now)`];
  });
}

export async function applyCommand(options: ApplyCommandOptions, io: CliIO): Promise<number> {
  const plan = readPlanFile(options.file, io);
  const stale = staleSources(plan);
  if (stale.length > 0) {
    throw new CliError(`${options.file} is stale: ${stale.length === 1 ? 'a file it was made from has' : `${stale.length} files it was made from have`} changed since\n${stale.map((s) => `  ${s}`).join('\n')}`, {
      exitCode: EXIT.refused,
      suggestions: [`make the plan again: orchestrate plan ${plan.file} --action ${plan.action}${plan.side ? ` --side ${plan.side.side}` : ''} -o ${options.file}`],
    });
  }
  if (plan.sources.length === 0) io.err(`note: ${options.file} names no source files: it cannot be checked for staleness`);
  if (plan.action === 'check') {
    return runCheckPlan(plan, { json: options.json, verbose: options.verbose, retry: false, signal: options.signal, concurrency: options.concurrency }, io);
  }
  return executePlan(plan, options, io);
}
