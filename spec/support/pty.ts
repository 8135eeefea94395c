/**
 * Runs the built CLI (bin/orchestrate.js → build/) on a pseudo-terminal, for specs of what a
 * person at a terminal sees. Node has no pty; util-linux `script` makes one (`-e`: its exit code
 * is the command's). The terminal's size is set with stty inside it.
 */
import { spawn } from 'node:child_process';
import { ROOT } from './topologies.js';

export interface PtyRun {
  readonly code: number | null;
  /** Everything the terminal received, escapes and all (CR LF line ends). */
  readonly raw: string;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** `orchestrate ARGS` on a terminal of `cols` × `rows`; `answer` is typed once a `[y/N]` question shows. */
export function runOnPty(args: readonly string[], options: { cols?: number; rows?: number; answer?: string } = {}): Promise<PtyRun> {
  const command = `stty cols ${options.cols ?? 100} rows ${options.rows ?? 30}; exec ${quote(process.execPath)} bin/orchestrate.js ${args.map(quote).join(' ')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm-256color' };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  delete env.CI;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  let answered = false;
  const onData = (d: Buffer): void => {
    raw += d.toString();
    if (options.answer !== undefined && !answered && raw.includes('[y/N]')) {
      answered = true;
      child.stdin.write(`${options.answer}\r`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.destroy();
      resolve({ code, raw });
    });
  });
}

/** Whether `script` (util-linux) is there to make a pty. */
export function hasScript(): Promise<boolean> {
  return new Promise((resolve) => {
    const c = spawn('script', ['--version'], { stdio: 'ignore' });
    c.on('error', () => resolve(false));
    c.on('close', (code) => resolve(code === 0));
  });
}
