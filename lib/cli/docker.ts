/**
 * Running the docker CLI: the container fleet is started with the same `docker` the user runs
 * by hand, so DOCKER_HOST, docker contexts and TLS settings apply to it unchanged.
 */
import { spawn } from 'node:child_process';

export interface DockerResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `docker ARGS`; resolves with its exit code and output (127 and a message if there is no docker). */
export type Docker = (args: readonly string[]) => Promise<DockerResult>;

/** The docker CLI found on PATH (or `$ORCHESTRATE_DOCKER`), with the given environment. */
export function dockerCli(env: NodeJS.ProcessEnv): Docker {
  const bin = env.ORCHESTRATE_DOCKER ?? 'docker';
  return (args) => new Promise((resolve) => {
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: 127, stdout: '', stderr: e.code === 'ENOENT' ? `${bin}: command not found (install the Docker CLI)` : e.message }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal === null ? 1 : 128), stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/** The last lines of a docker command's output, for an error message. */
export function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
