/**
 * The question before `down`, `failover` and `failback` change anything: the plan in a few lines,
 * then "Go on? [y/N]", on stdout. Asked only when stdin and stdout are both terminals (io.tty.input); never
 * in a pipe, in CI, with --yes or with --dry-run (docs/cli.md, "Confirmation"). Anything but y or
 * yes is a no: the command stops with exit 3 (refused), having changed nothing.
 */
import { createInterface } from 'node:readline/promises';
import { CliError } from '../errors.js';
import type { Plan } from '../plan/index.js';
import type { Style } from '../reporters/index.js';
import { EXIT } from './exit.js';
import type { CliIO } from './io.js';

/** Actions that take hosts down or move services: asked on a terminal. */
export const ASKED: ReadonlySet<string> = new Set(['down', 'failover', 'failback']);

/** What the question shows: the action, the hosts per wave, and where the full plan is. */
export function confirmSummary(plan: Plan, s: Style): string[] {
  const n = plan.hosts.length;
  const hosts = `${n} host${n === 1 ? '' : 's'} in ${plan.waves.length} wave${plan.waves.length === 1 ? '' : 's'}`;
  const side = plan.side;
  const what = plan.action === 'down' ? `stops and powers off ${hosts}`
    : plan.action === 'failover' ? `takes side ${side?.side ?? '?'} out of service: stops and powers off ${hosts}`
    : `brings side ${side?.side ?? '?'} back: boots ${hosts}`;
  const lines = [`${s.bold(`${plan.action} ${plan.topology}`)} (${plan.file}) ${what}:`];
  plan.waves.forEach((wave, i) => lines.push(`  wave ${i + 1}: ${wave.join(', ')}`));
  if (side && side.pairs.length > 0) {
    lines.push(plan.action === 'failover'
      ? `  the services of ${side.pairs.map((p) => p.pair.name).join(', ')} move to ${side.pairs.map((p) => p.staying).join(', ')}`
      : `  ${side.pairs.map((p) => p.moving).join(', ')} rejoin${side.pairs.length === 1 ? 's' : ''} ${side.pairs.map((p) => p.pair.name).join(', ')}`);
  }
  for (const w of side?.warnings ?? []) lines.push(s.yellow(`  warning: ${w.host === undefined ? '' : `${w.host}: `}${w.message}`));
  const flags = side ? ` -a ${plan.action} -s ${side.side}` : ` -a ${plan.action}`;
  lines.push(s.dim(`  every step: orchestrate plan ${plan.file}${flags}; skip this question with --yes`));
  return lines;
}

/** y or yes, in any case, is a yes; anything else (an empty line too) a no. */
export const isYes = (answer: string): boolean => /^\s*y(es)?\s*$/i.test(answer);

/**
 * Asks on the terminal; throws CliError (exit 3) on a no and (exit 130) on Ctrl-C or end of input.
 * Does nothing without a terminal on both stdin and stdout.
 */
export async function confirmPlan(plan: Plan, io: CliIO, signal: AbortSignal): Promise<void> {
  const input = io.tty?.input;
  if (input === undefined || !ASKED.has(plan.action)) return;
  // On the terminal (stdout): stderr may be redirected to a file while a person sits at stdin and stdout.
  for (const line of confirmSummary(plan, io.style)) io.out(line);
  const rl = createInterface({ input, output: io.tty?.output, terminal: true });
  // Ctrl-C at the prompt (readline takes it from the terminal) and Ctrl-D both end the question unanswered.
  const gone = new AbortController();
  rl.on('SIGINT', () => gone.abort());
  rl.on('close', () => gone.abort());
  let answer: string | undefined;
  try {
    answer = await rl.question(`Go on with ${plan.action}? [y/N] `, { signal: AbortSignal.any([signal, gone.signal]) });
  } catch {
    answer = undefined;
  } finally {
    rl.close();
  }
  if (answer === undefined) throw new CliError(`${plan.action}: no answer; nothing was done`, { exitCode: EXIT.cancelled });
  if (!isYes(answer)) {
    throw new CliError(`${plan.action}: you answered no; nothing was done`, { exitCode: EXIT.refused, suggestions: [`to run it without this question: orchestrate ${plan.action} … --yes`] });
  }
}
