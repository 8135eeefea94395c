/** Running `orchestrate ARGS` in this process, for specs: what it printed and how it ended. */
import { main } from '../../lib/cli/main.js';
import { NO_COLOURS } from '../../lib/reporters/index.js';
import { ROOT } from './topologies.js';

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** `main(args)` without colours, in `cwd` (the repository unless told) with `env` (empty unless told). */
export async function runMain(args: readonly string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), style: NO_COLOURS, errStyle: NO_COLOURS, env: options.env ?? {}, cwd: options.cwd ?? ROOT };
  const code = await main([...args], io, new AbortController().signal);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
