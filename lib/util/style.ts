/**
 * Terminal colour, by the usual conventions: never with NO_COLOR (any non-empty value); FORCE_COLOR
 * 0 or false turns it off, any other value (1, 2, 3, true, empty) on, even in a pipe; otherwise
 * only on a terminal that is not TERM=dumb.
 */

export interface Style {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
}

const wrap = (open: number, close: number) => (s: string): string => `\u001b[${open}m${s}\u001b[${close}m`;
const plain = (s: string): string => s;

export const COLOURS: Style = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
export const NO_COLOURS: Style = { bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };

export function useColour(isTTY: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

// Any CSI sequence (colours, cursor moves), not just colours: hosts' output can carry either.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;

/** Removes ANSI escapes: for tests comparing plain text, and for the JUnit and HTML reports of hosts' output. */
export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}
