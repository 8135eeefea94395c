/**
 * One command on one ready connection: opens the exec channel (retrying `Channel open failure`,
 * which is safe because nothing started), streams output, and on timeout or cancel kills the
 * remote process group from a second channel.
 */
import { StringDecoder } from 'node:string_decoder';
import type { Client as SshClient, ClientChannel } from 'ssh2';
import { sleep } from '../util/abort.js';
import { OutputBuffer } from './output.js';
import { killGroupCommand, PgidReader, wrapCommand } from './remote-process.js';
import type { CommandResult, ExecOptions, ExecOutcome } from './types.js';

/** How long a killed command gets between TERM and KILL. */
export const KILL_GRACE_MS = 2000;

/** How the command ended, recorded from the moment the channel opens (the exit can come first). */
export interface ExitRecord {
  exit?: { readonly code: number | null; readonly signal: string | null };
}

type Opened = { readonly channel: ClientChannel; readonly record: ExitRecord } | { readonly error: Error };

function openExec(client: SshClient, command: string): Promise<Opened> {
  return new Promise((resolve) => {
    try {
      client.exec(command, (err, channel) => {
        if (err) return resolve({ error: err });
        // Listen now: ssh2 emits 'exit' as soon as it arrives, possibly before anyone reads the output.
        const record: ExitRecord = {};
        channel.on('exit', (code: number | null | undefined, signal?: string) => {
          record.exit = { code: code ?? null, signal: code === null || code === undefined ? signal ?? null : null };
        });
        resolve({ channel, record });
      });
    } catch (e) {
      resolve({ error: e as Error });
    }
  });
}

/** Opens an exec channel, retrying channel-open failures (MaxSessions) with 5→200 ms backoff. */
export async function openChannel(client: SshClient, command: string, stop: AbortSignal): Promise<Opened> {
  let delay = 5;
  for (let attempt = 0; ; attempt++) {
    const opened = await openExec(client, command);
    if ('channel' in opened || !/Channel open failure/.test(opened.error.message) || attempt >= 20 || stop.aborted) return opened;
    try {
      await sleep(delay, stop);
    } catch {
      return opened;
    }
    delay = Math.min(200, delay * 2);
  }
}

export interface RunContext {
  readonly client: SshClient;
  readonly options: ExecOptions;
  /** Aborts on cancel or timeout. */
  readonly stop: AbortSignal;
  readonly startedAt: number;
  readonly now: () => number;
}

/** How long a stopped command may take to report its process group before we give up on killing it. */
const PGID_WAIT_MS = 2000;
/** After a stop, the result is given at the latest after this, even if the server keeps the channel open. */
const STOP_DEADLINE_MS = KILL_GRACE_MS + PGID_WAIT_MS + 3000;

/** Runs `command` on an open channel until it exits, the connection drops, or `stop` fires. */
export function runOnChannel(ctx: RunContext, channel: ClientChannel, record: ExitRecord): Promise<CommandResult> {
  const { options, stop } = ctx;
  return new Promise((resolve) => {
    const pgid = new PgidReader();
    const out = { stdout: new OutputBuffer(), stderr: new OutputBuffer() };
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    let stopping = false;
    let killed: boolean | undefined;
    let done = false;
    const timers: NodeJS.Timeout[] = [];
    const emit = (stream: 'stdout' | 'stderr', text: string): void => {
      if (text === '') return;
      out[stream].append(text);
      options.onOutput?.(stream, text);
    };
    const kill = (): void => {
      void killRemote(ctx.client, pgid.pgid, channel).then((k) => {
        killed = k;
      });
    };
    channel.on('data', (d: Buffer) => {
      const known = pgid.pgid !== undefined;
      emit('stdout', pgid.push(decoders.stdout.write(d)));
      // A stop that came before the process group was known kills as soon as it is.
      if (stopping && !known && pgid.pgid !== undefined) kill();
    });
    channel.stderr.on('data', (d: Buffer) => emit('stderr', decoders.stderr.write(d)));
    const finish = (): void => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      stop.removeEventListener('abort', onStop);
      emit('stdout', pgid.push(decoders.stdout.end()) + pgid.flush());
      emit('stderr', decoders.stderr.end());
      const exit = record.exit;
      const outcome: ExecOutcome = stopping
        ? options.signal.aborted ? 'cancelled' : 'timed-out'
        : exit === undefined ? 'connection-lost' : exit.code !== null ? 'exited' : 'signalled';
      resolve({
        outcome,
        exitCode: exit?.code ?? null,
        signal: exit?.signal ?? null,
        stdout: out.stdout.toString(),
        stderr: out.stderr.toString(),
        durationMs: ctx.now() - ctx.startedAt,
        ...(stopping ? { killed: killed ?? exit !== undefined } : {}),
      });
    };
    const onStop = (): void => {
      stopping = true;
      if (pgid.pgid !== undefined) kill();
      else timers.push(later(PGID_WAIT_MS, () => pgid.pgid === undefined && kill()));
      // OpenSSH keeps a session channel open until its command exits: never wait for that forever.
      timers.push(later(STOP_DEADLINE_MS, () => {
        killed ??= false;
        finish();
      }));
    };
    stop.addEventListener('abort', onStop, { once: true });
    // The stop may have come while the channel was opening: an abort event is never repeated.
    if (stop.aborted) onStop();
    channel.on('close', finish);
    channel.end();
  });
}

function later(ms: number, fn: () => void): NodeJS.Timeout {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return timer;
}

/**
 * Kills the command's process group from a second channel (not counted against the channel cap),
 * then closes the channel if the command's own exit has not closed it. Resolves true when the
 * kill was confirmed.
 */
function killRemote(client: SshClient, pgid: number | undefined, channel: ClientChannel): Promise<boolean> {
  const forceClose = (): void => {
    try {
      channel.close();
    } catch {
      // already closed
    }
  };
  if (pgid === undefined) {
    forceClose();
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const timer = setTimeout(forceClose, KILL_GRACE_MS + 3000);
    timer.unref();
    client.exec(killGroupCommand(pgid, KILL_GRACE_MS), (err, k) => {
      if (err) {
        clearTimeout(timer);
        forceClose();
        resolve(false);
        return;
      }
      let code: number | null = null;
      k.on('exit', (c: number | null) => {
        code = c;
      });
      k.on('close', () => {
        clearTimeout(timer);
        // The command's channel normally closes by itself once its process died; make sure.
        setTimeout(forceClose, 500).unref();
        resolve(code === 0);
      });
      k.resume();
      k.stderr.resume();
      k.end();
    });
  });
}
