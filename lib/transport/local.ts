/**
 * Commands on the controller itself (power `command` drivers, `local: true` steps): `/bin/sh -c`
 * in its own process group, so a timeout or cancel kills everything it started (TERM, then
 * KILL after a grace period).
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { Deadline } from '../util/abort.js';
import { describeLocalError, isLocalResourceError } from './local-limits.js';
import { OutputBuffer } from './output.js';
import { KILL_GRACE_MS } from './ssh-channel.js';
import type { CommandResult, ExecOptions, ExecOutcome } from './types.js';

export function execLocal(command: string, options: ExecOptions): Promise<CommandResult> {
  const startedAt = performance.now();
  const deadline = new Deadline(options.signal, options.timeoutMs);
  const stop = deadline.signal;
  const failed = (e: NodeJS.ErrnoException): CommandResult => ({
    outcome: 'connect-failed', exitCode: null, signal: null, stdout: '', stderr: '', durationMs: performance.now() - startedAt,
    connectError: { kind: 'local', message: `cannot start /bin/sh: ${isLocalResourceError(e.code) ? describeLocalError(e.code) : e.message}` },
  });
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('/bin/sh', ['-c', command], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    deadline.dispose();
    return Promise.resolve(failed(e as NodeJS.ErrnoException));
  }
  return new Promise((resolve) => {
    const out = { stdout: new OutputBuffer(), stderr: new OutputBuffer() };
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    let stopping = false;
    let spawnError: Error | undefined;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    const emit = (stream: 'stdout' | 'stderr', text: string): void => {
      if (text === '') return;
      out[stream].append(text);
      options.onOutput?.(stream, text);
    };
    child.stdout?.on('data', (d: Buffer) => emit('stdout', decoders.stdout.write(d)));
    child.stderr?.on('data', (d: Buffer) => emit('stderr', decoders.stderr.write(d)));
    const group = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const onStop = (): void => {
      stopping = true;
      group('SIGTERM');
      killTimer = setTimeout(() => group('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    stop.addEventListener('abort', onStop, { once: true });
    if (stop.aborted) onStop();
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
      if (!isLocalResourceError(e.code) || settled) return;
      // The controller could not start the process at all: its problem, named, not the command's.
      settled = true;
      deadline.dispose();
      stop.removeEventListener('abort', onStop);
      resolve(failed(e));
    });
    child.on('close', (code, signal) => {
      if (settled) return;
      settled = true;
      deadline.dispose();
      stop.removeEventListener('abort', onStop);
      clearTimeout(killTimer);
      emit('stdout', decoders.stdout.end());
      emit('stderr', decoders.stderr.end() + (spawnError ? spawnError.message : ''));
      const outcome: ExecOutcome = stopping ? (options.signal.aborted ? 'cancelled' : 'timed-out') : code !== null ? 'exited' : 'signalled';
      resolve({
        outcome,
        exitCode: code,
        signal,
        stdout: out.stdout.toString(),
        stderr: out.stderr.toString(),
        durationMs: performance.now() - startedAt,
        ...(stopping ? { killed: true } : {}),
      });
    });
  });
}
