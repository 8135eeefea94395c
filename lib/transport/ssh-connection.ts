/**
 * One SSH connection: its handshake (through the controller's handshake limit, through a bastion
 * if the endpoint jumps), and commands run on channels of it. How many channels it carries at
 * once and when more connections are opened is the endpoint pool's business (ssh-endpoint.ts).
 */
import type { Duplex } from 'node:stream';
import type { Client as SshClient } from 'ssh2';
import type { SshEndpoint } from '../topology/index.js';
import { Deadline } from '../util/abort.js';
import { openConnection, type ConnectDeps, type ConnectOutcome } from './ssh-connect.js';
import { openChannel, runOnChannel } from './ssh-channel.js';
import { wrapCommand } from './remote-process.js';
import type { CommandResult, ConnectError, ExecOptions } from './types.js';

export const now = (): number => performance.now();

/** Opens a TCP stream to `target` through a bastion (ProxyJump). */
export type Forwarder = (target: SshEndpoint) => Promise<{ stream: Duplex } | { error: ConnectError }>;

/** How long a closing connection may take to say goodbye before its socket is destroyed. */
const END_GRACE_MS = 1000;

export class SshConnection {
  readonly endpoint: SshEndpoint;
  /** Channels in flight (managed by the pool). */
  inFlight = 0;
  readonly #deps: ConnectDeps;
  readonly #forward: Forwarder | undefined;
  #client: SshClient | undefined;
  #closed = false;
  readonly #onClose: () => void;

  constructor(endpoint: SshEndpoint, deps: ConnectDeps, options: { forward?: Forwarder | undefined; onClose: () => void }) {
    this.endpoint = endpoint;
    this.#deps = deps;
    this.#forward = options.forward;
    this.#onClose = options.onClose;
  }

  get ready(): boolean {
    return this.#client !== undefined && !this.#closed;
  }

  get client(): SshClient | undefined {
    return this.#client;
  }

  /** Connects once (retrying a loss before the handshake, which is sshd's MaxStartups at work). */
  async connect(): Promise<ConnectOutcome> {
    let outcome: ConnectOutcome = { error: { kind: 'unreachable', message: 'not tried' } };
    for (const backoff of [100, 300, 0]) {
      outcome = await this.#deps.handshakes(() => this.#connectOnce());
      if ('client' in outcome || !/before (login|handshake)/.test(outcome.error.message) || backoff === 0) break;
      await new Promise((r) => setTimeout(r, backoff));
    }
    if ('client' in outcome) {
      if (this.#closed) outcome.client.end();
      else this.#client = outcome.client;
    }
    return outcome;
  }

  async #connectOnce(): Promise<ConnectOutcome> {
    let sock: Duplex | undefined;
    if (this.#forward) {
      const via = await this.#forward(this.endpoint);
      if ('error' in via) return via;
      sock = via.stream;
    }
    let self: SshClient | undefined;
    const outcome = await openConnection(this.endpoint, this.#deps, {
      ...(sock ? { sock } : {}),
      onClose: () => {
        if (this.#client === self) this.close();
      },
    });
    if ('client' in outcome) self = outcome.client;
    return outcome;
  }

  /** A TCP stream to `target` through this connection. */
  forwardTo(target: SshEndpoint): Promise<{ stream: Duplex } | { error: ConnectError }> {
    const client = this.#client;
    if (!client) return Promise.resolve({ error: { kind: 'unreachable', message: `bastion ${this.endpoint.name}: not connected` } });
    return new Promise((resolve) => {
      client.forwardOut('127.0.0.1', 0, target.address, target.port, (err, stream) => {
        if (err) resolve({ error: { kind: 'unreachable', message: `bastion ${this.endpoint.name} cannot reach ${target.address}:${target.port}: ${err.message}` } });
        else resolve({ stream });
      });
    });
  }

  /**
   * Opens a channel (within `opening`, the caller's bound on waiting) and runs the command on it.
   * The command's timeout starts once the channel is open. Resolves with an Error when the
   * channel never opened (nothing ran).
   */
  async run(command: string, options: ExecOptions, opening: AbortSignal, startedAt: number): Promise<CommandResult | Error> {
    const client = this.#client;
    if (!client) return new Error('Not connected');
    const opened = await openChannel(client, wrapCommand(command), opening);
    if ('error' in opened) return opened.error;
    const deadline = new Deadline(options.signal, options.timeoutMs);
    try {
      return await runOnChannel({ client, options, stop: deadline.signal, startedAt, now }, opened.channel, opened.record);
    } finally {
      deadline.dispose();
    }
  }

  /** Ends the connection (idempotent); the pool hears of it through onClose. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    client?.end();
    // A peer that stalls never answers the disconnect: its socket would keep the process alive
    // after the run has ended. The timer does not hold the process; the socket does, until then.
    if (client) setTimeout(() => client.destroy(), END_GRACE_MS).unref();
    this.#onClose();
  }
}
