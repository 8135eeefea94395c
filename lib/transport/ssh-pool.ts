/**
 * The transport used by the engine: a pool per SSH endpoint (bastions included, shared by
 * everything that jumps through them), local commands, and cheap SSH probes. Handshakes in
 * progress are bounded for the whole controller, so a thousand hosts finishing their boot at
 * once cost a queue, not a CPU storm.
 */
import pLimit from 'p-limit';
import type { SshEndpoint } from '../topology/index.js';
import { CredentialStore } from './credentials.js';
import { HostKeyStore } from './host-keys.js';
import { execLocal } from './local.js';
import type { ConnectDeps } from './ssh-connect.js';
import { EndpointPool } from './ssh-endpoint.js';
import { unknownName } from './local-limits.js';
import { probeDirect, readBanner } from './ssh-probe.js';
import type { CommandResult, Endpoint, ExecOptions, ProbeOptions, ProbeResult, Transport } from './types.js';

/** SSH handshakes in progress at once on the controller. */
export const MAX_HANDSHAKES = 16;

export interface SshTransportOptions {
  /** ssh-agent socket; usually process.env.SSH_AUTH_SOCK. */
  readonly agentSocket?: string | undefined;
  /** Home directory for `~` and the default keys. */
  readonly home?: string;
  /**
   * Things worth telling the user: a host key added under accept-new, not verified under `off`
   * (`warning` when it contradicts known_hosts).
   */
  readonly onNote?: (endpoint: SshEndpoint, message: string, level: 'note' | 'warning') => void;
  /** Handshakes in progress at once. @default MAX_HANDSHAKES */
  readonly maxHandshakes?: number;
  /** Connections to one endpoint at most. @default MAX_CONNECTIONS (16) */
  readonly maxConnections?: number;
  /** How long commands wait on busy channels before another connection opens. @default GROW_AFTER_MS (50) */
  readonly growAfterMs?: number;
}

function poolKey(e: SshEndpoint): string {
  return `${e.user}@${e.address}:${e.port}${e.jump ? ` via ${poolKey(e.jump)}` : ''}`;
}

export class SshTransport implements Transport {
  readonly #pools = new Map<string, EndpointPool>();
  readonly #deps: ConnectDeps;
  readonly #maxConnections: number | undefined;
  readonly #growAfterMs: number | undefined;

  constructor(options: SshTransportOptions = {}) {
    this.#maxConnections = options.maxConnections;
    this.#growAfterMs = options.growAfterMs;
    this.#deps = {
      hostKeys: new HostKeyStore(),
      credentials: new CredentialStore({ agentSocket: options.agentSocket, ...(options.home === undefined ? {} : { home: options.home }) }),
      handshakes: pLimit(options.maxHandshakes ?? MAX_HANDSHAKES),
      ...(options.onNote ? { onNote: options.onNote } : {}),
    };
  }

  #pool(endpoint: SshEndpoint): EndpointPool {
    const key = poolKey(endpoint);
    let pool = this.#pools.get(key);
    if (!pool) {
      const jump = endpoint.jump ? this.#pool(endpoint.jump) : undefined;
      pool = new EndpointPool(endpoint, this.#deps, { ...(jump ? { forward: (target) => jump.forward(target) } : {}), ...(this.#maxConnections === undefined ? {} : { maxConnections: this.#maxConnections }), ...(this.#growAfterMs === undefined ? {} : { growAfterMs: this.#growAfterMs }) });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  exec(endpoint: Endpoint, command: string, options: ExecOptions): Promise<CommandResult> {
    if (endpoint === 'local') return execLocal(command, options);
    return this.#pool(endpoint).exec(command, options);
  }

  async probe(endpoint: SshEndpoint, options: ProbeOptions): Promise<ProbeResult> {
    if (!endpoint.jump) {
      const r = await probeDirect(endpoint.address, endpoint.port, options);
      // The name came through ssh_config: say which files were read.
      return r.final === true && endpoint.sshConfigFiles !== undefined ? { ...r, observed: unknownName(endpoint.address, endpoint.sshConfigFiles) } : r;
    }
    const via = await this.#pool(endpoint.jump).forward(endpoint);
    if ('error' in via) return { answers: false, observed: via.error.message, ...(via.error.kind === 'local' ? { local: true } : {}) };
    return readBanner(via.stream, `${endpoint.address}:${endpoint.port}`, options);
  }

  prepare(endpoint: SshEndpoint): Promise<void> {
    return this.#pool(endpoint).prepare();
  }

  closed(endpoint: SshEndpoint): Promise<void> | undefined {
    return this.#pools.get(poolKey(endpoint))?.closed();
  }

  /** Connections open to an endpoint now (tests, diagnostics). */
  connections(endpoint: SshEndpoint): number {
    return this.#pools.get(poolKey(endpoint))?.connections ?? 0;
  }

  forget(endpoint: SshEndpoint): void {
    this.#pools.get(poolKey(endpoint))?.forget();
  }

  close(): Promise<void> {
    for (const pool of this.#pools.values()) pool.close();
    this.#pools.clear();
    return Promise.resolve();
  }
}
