/** The terminal edge: where output goes and whether it is coloured. Injected so commands are testable. */
import { COLOURS, NO_COLOURS, useColour, type LiveStream, type Style } from '../reporters/index.js';

export interface CliIO {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly style: Style;
  readonly errStyle: Style;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /**
   * Set only when stdout is a terminal: `output` is what the live view draws on, `input` (set
   * only when stdin is a terminal too) is where the confirmation prompt reads the answer.
   */
  readonly tty?: { readonly output: LiveStream & NodeJS.WritableStream; readonly input?: NodeJS.ReadableStream };
}

export function processIO(options: { color?: boolean } = {}): CliIO {
  const pick = (tty: boolean | undefined): Style => (options.color === false ? NO_COLOURS : useColour(tty, process.env) ? COLOURS : NO_COLOURS);
  // TextEncoder turns a large string into UTF-8 about twice as fast as the stream does (a 10,000-host plan --json is 55 MB).
  const encoder = new TextEncoder();
  return {
    out: (line) => process.stdout.write(line.length < 4096 ? `${line}\n` : encoder.encode(`${line}\n`)),
    err: (line) => process.stderr.write(`${line}\n`),
    style: pick(process.stdout.isTTY),
    errStyle: pick(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdout.isTTY ? { tty: { output: process.stdout, ...(process.stdin.isTTY ? { input: process.stdin } : {}) } } : {}),
  };
}
