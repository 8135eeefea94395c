/** The terminal edge: where output goes and whether it is coloured. Injected so commands are testable. */
import { COLOURS, NO_COLOURS, useColour, type Style } from '../util/style.js';
import type { LiveStream } from '../reporters/index.js';

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
  /** The terminal's width when stdout is a terminal (COLUMNS overrides it there); undefined for a file or pipe: tables are not cut. */
  readonly columns?: number;
}

/** Whether stdout and stderr can still be written (a reader that went away, as `| head` does, closes one). */
const open = { out: true, err: true };
let watching = false;

/**
 * A closed stdout or stderr (EPIPE) stops the output to it, not the command: it runs on and the
 * process exits with its own code (`fleet verify … | head` fails when the verification fails).
 */
function watchStreams(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', () => {
    open.out = false;
  });
  process.stderr.on('error', () => {
    open.err = false;
  });
}

/** The width to lay tables out in: only on a terminal (COLUMNS, then the terminal's own). */
export function terminalColumns(isTTY: boolean | undefined, ttyColumns: number | undefined, env: NodeJS.ProcessEnv): number | undefined {
  if (isTTY !== true) return undefined;
  const fromEnv = Number(env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return ttyColumns !== undefined && ttyColumns > 0 ? ttyColumns : undefined;
}

export function processIO(options: { color?: boolean } = {}): CliIO {
  watchStreams();
  const pick = (tty: boolean | undefined): Style => (options.color === false ? NO_COLOURS : useColour(tty, process.env) ? COLOURS : NO_COLOURS);
  // TextEncoder turns a large string into UTF-8 about twice as fast as the stream does (a 10,000-host plan --json is 55 MB).
  const encoder = new TextEncoder();
  const columns = terminalColumns(process.stdout.isTTY, process.stdout.columns, process.env);
  return {
    out: (line) => {
      if (open.out) process.stdout.write(line.length < 4096 ? `${line}\n` : encoder.encode(`${line}\n`));
    },
    err: (line) => {
      if (open.err) process.stderr.write(`${line}\n`);
    },
    style: pick(process.stdout.isTTY),
    errStyle: pick(process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    ...(process.stdout.isTTY ? { tty: { output: process.stdout, ...(process.stdin.isTTY ? { input: process.stdin } : {}) } } : {}),
    ...(columns === undefined ? {} : { columns }),
  };
}
