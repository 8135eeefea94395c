/** The terminal edge: where output goes and whether it is coloured. Injected so commands are testable. */
import { COLOURS, NO_COLOURS, useColour, type Style } from '../reporters/index.js';

export interface CliIO {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly style: Style;
  readonly errStyle: Style;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
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
  };
}
