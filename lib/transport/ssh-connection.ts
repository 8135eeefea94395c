/**
 * One pooled SSH connection per endpoint: connected on first use, reconnected after it drops,
 * with the exec channels in flight capped below the server's MaxSessions.
 */
import type { Duplex } from 'node:stream';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Client as SshClient } from 'ssh2';
import type { SshEndpoint } from '../topology/index.js';
import { ABORTED, raceAbort } from '../util/abort.js';
import { openConnection, type ConnectDeps, type ConnectOutcome } from './ssh-connect.js';
import { openChannel, runOnChannel } from './ssh-channel.js';
import { wrapCommand } from './remote-process.js';
import type { CommandResult, ExecOptions } from './types.js';

const now = (): number => performance.now();

export class SshConnection {
  readonly endpoint: SshEndpoint;
  readonly #deps: ConnectDeps;
  readonly #jump: SshConnection | undefined;
  readonly #channels: LimitFunction;
  #client: SshClient | undefined;
  #pending: Promise<ConnectOutcome> | undefined;

  constructor(endpoint: SshEndpoint, deps: ConnectDeps, jump?: SshConnection) {
    this.endpoint = endpoint;
    this.#deps = deps;
    this.#jump = jump;
    // One session slot stays free for the kill channel of a timed-out command.
    this.#channels = pLimit(Math.max(1, endpoint.maxSessions - 2));
  }

  /** The ready client, connecting if needed; concurrent callers share one attempt. */
  async ready(signal: AbortSignal): Promise<ConnectOutcome | typeof ABORTED> {
    if (this.#client) return { client: this.#client };
    this.#pending ??= this.#connect().finally(() => {
      this.#pending = undefined;
    });
    return raceAbort(this.#pending, signal);
  }

  async #connect(): Promise<ConnectOutcome> {
    let outcome: ConnectOutcome = { error: { kind: 'unreachable', message: 'not tried' } };
    // sshd drops excess unauthenticated connections (MaxStartups); such a loss is retried.
    for (const backoff of [100, 300, 0]) {
      outcome = await this.#connectOnce();
      if ('client' in outcome || !/before (login|handshake)/.test(outcome.error.message) || backoff === 0) break;
      await new Promise((r) => setTimeout(r, backoff));
    }
    if ('client' in outcome) this.#client = outcome.client;
    return outcome;
  }

  async #connectOnce(): Promise<ConnectOutcome> {
    let sock: Duplex | undefined;
    if (this.#jump) {
      const via = await this.#jump.forward(this.endpoint);
      if ('error' in via) return via;
      sock = via.stream;
    }
    let self: SshClient | undefined;
    const outcome = await openConnection(this.endpoint, this.#deps, {
      ...(sock ? { sock } : {}),
      onClose: () => {
        if (this.#client === self) this.#client = undefined;
      },
    });
    if ('client' in outcome) self = outcome.client;
    return outcome;
  }

  /** A TCP stream to `target` through this connection (ProxyJump). */
  async forward(target: SshEndpoint): Promise<{ stream: Duplex } | { error: { kind: 'unreachable' | 'timeout' | 'auth' | 'host-key' | 'config'; message: string } }> {
    const ready = await this.ready(AbortSignal.timeout(this.endpoint.connectTimeoutMs + 1000));
    if (ready === ABORTED) return { error: { kind: 'timeout', message: `bastion ${this.endpoint.name}: no connection within ${this.endpoint.connectTimeoutMs} ms` } };
    if ('error' in ready) return { error: { ...ready.error, message: `bastion ${this.endpoint.name}: ${ready.error.message}` } };
    return new Promise((resolve) => {
      ready.client.forwardOut('127.0.0.1', 0, target.address, target.port, (err, stream) => {
        if (err) resolve({ error: { kind: 'unreachable', message: `bastion ${this.endpoint.name} cannot reach ${target.address}:${target.port}: ${err.message}` } });
        else resolve({ stream });
      });
    });
  }

  async exec(command: string, options: ExecOptions): Promise<CommandResult> {
    const startedAt = now();
    const stop = AbortSignal.any([options.signal, AbortSignal.timeout(Math.max(1, Math.ceil(options.timeoutMs)))]);
    const stopped = (): CommandResult => result(options.signal.aborted ? 'cancelled' : 'timed-out', startedAt, { killed: true });
    for (let attempt = 0; ; attempt++) {
      const ready = await this.ready(stop);
      if (ready === ABORTED) return stopped();
      if ('error' in ready) return result('connect-failed', startedAt, { connectError: ready.error });
      const outcome = await this.#channels(async () => {
        if (stop.aborted) return stopped();
        const opened = await openChannel(ready.client, wrapCommand(command), stop);
        if ('error' in opened) return opened.error;
        return runOnChannel({ client: ready.client, options, stop, startedAt, now }, opened.channel, opened.record);
      });
      if (!(outcome instanceof Error)) return outcome;
      // The channel never opened, so nothing ran. A dead connection is replaced and the command
      // retried once; other refusals (sessions exhausted after retries) are reported as they are.
      const dead = /Not connected|No response|closed|ECONNRESET|EPIPE/i.test(outcome.message);
      if (!dead || attempt >= 1 || stop.aborted) return result('connection-lost', startedAt, { stderr: outcome.message });
      if (this.#client === ready.client) this.#drop();
    }
  }

  #drop(): void {
    const client = this.#client;
    this.#client = undefined;
    client?.end();
  }

  close(): void {
    this.#drop();
  }
}

function result(outcome: CommandResult['outcome'], startedAt: number, extra: Partial<CommandResult> = {}): CommandResult {
  return { outcome, exitCode: null, signal: null, stdout: '', stderr: '', durationMs: now() - startedAt, ...extra };
}
