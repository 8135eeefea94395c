/**
 * The transport used by the engine: a pool with one SSH connection per endpoint (bastions
 * included, shared by everything that jumps through them) and local commands.
 */
import type { SshEndpoint } from '../topology/index.js';
import { CredentialStore } from './credentials.js';
import { HostKeyStore } from './host-keys.js';
import { execLocal } from './local.js';
import type { ConnectDeps } from './ssh-connect.js';
import { SshConnection } from './ssh-connection.js';
import type { CommandResult, Endpoint, ExecOptions, Transport } from './types.js';

export interface SshTransportOptions {
  /** ssh-agent socket; usually process.env.SSH_AUTH_SOCK. */
  readonly agentSocket?: string | undefined;
  /** Home directory for `~` and the default keys. */
  readonly home?: string;
  /** Things worth telling the user, e.g. a host key added under accept-new. */
  readonly onNote?: (endpoint: SshEndpoint, message: string) => void;
}

function poolKey(e: SshEndpoint): string {
  return `${e.user}@${e.address}:${e.port}${e.jump ? ` via ${poolKey(e.jump)}` : ''}`;
}

export class SshTransport implements Transport {
  readonly #connections = new Map<string, SshConnection>();
  readonly #deps: ConnectDeps;

  constructor(options: SshTransportOptions = {}) {
    this.#deps = {
      hostKeys: new HostKeyStore(),
      credentials: new CredentialStore({ agentSocket: options.agentSocket, ...(options.home === undefined ? {} : { home: options.home }) }),
      ...(options.onNote ? { onNote: options.onNote } : {}),
    };
  }

  #connection(endpoint: SshEndpoint): SshConnection {
    const key = poolKey(endpoint);
    let conn = this.#connections.get(key);
    if (!conn) {
      conn = new SshConnection(endpoint, this.#deps, endpoint.jump ? this.#connection(endpoint.jump) : undefined);
      this.#connections.set(key, conn);
    }
    return conn;
  }

  exec(endpoint: Endpoint, command: string, options: ExecOptions): Promise<CommandResult> {
    if (endpoint === 'local') return execLocal(command, options);
    return this.#connection(endpoint).exec(command, options);
  }

  forget(endpoint: SshEndpoint): void {
    this.#connections.get(poolKey(endpoint))?.close();
  }

  close(): Promise<void> {
    for (const conn of this.#connections.values()) conn.close();
    this.#connections.clear();
    return Promise.resolve();
  }
}
