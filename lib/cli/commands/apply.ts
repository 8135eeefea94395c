/**
 * `orchestrate apply PLAN.json`: runs exactly the plan that was saved (orchestrate plan … -o),
 * after checking that the files it was made from have not changed since (by content hash).
 * A stale plan is refused (exit 3) with what changed; nothing runs.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../../errors.js';
import { planFromDocument, type Plan } from '../../plan/index.js';
import { executePlan } from '../execute.js';
import { EXIT } from '../exit.js';
import { readSource, readText } from '../files.js';
import type { CliIO } from '../io.js';
import { sha256 } from '../load.js';
import type { SessionOptions } from '../run-session.js';
import { runCheckPlan } from './check.js';

export interface ApplyCommandOptions extends SessionOptions {
  readonly file: string;
}

/** A plan document's size at most (the plan of a 1 MiB topology, 12,000 hosts, is about 70 MB). */
const PLAN_MAX_BYTES = 256 * 1024 * 1024;

export function readPlanFile(file: string, io: CliIO): Plan {
  let value: unknown;
  const fail = (why: string): never => {
    throw new CliError(`cannot read the plan ${file}: ${why}`, { exitCode: EXIT.invalid, suggestions: ['orchestrate plan TOPOLOGY --action up -o plan.json'] });
  };
  // Looked at before it is read, like a topology: a FIFO or a device is refused unread.
  const text = readSource(path.resolve(io.cwd, file), PLAN_MAX_BYTES);
  if (text === undefined) fail(existsSync(path.resolve(io.cwd, file)) ? 'not readable' : 'no such file');
  if (typeof text === 'object') fail(text.refused);
  try {
    value = JSON.parse(text as string);
  } catch (e) {
    fail((e as Error).message);
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
    const now = sha256(text);
    return now === s.sha256 ? [] : [`${s.file}: changed (sha256 ${s.sha256.slice(0, 12)} in the plan, ${now.slice(0, 12)} now)`];
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
    return runCheckPlan(plan, { json: options.json, verbose: options.verbose, retry: false, signal: options.signal, concurrency: options.concurrency, reports: options.reports }, io);
  }
  return executePlan(plan, options, io);
}
