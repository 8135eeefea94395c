/**
 * Which keys to offer for an endpoint: its identity file, or else the usual ~/.ssh/id_* file,
 * plus ssh-agent when SSH_AUTH_SOCK is set. Files are read once per run. A private key file of
 * ours that others may read is refused, as OpenSSH refuses it (authfile.c, sshkey_perm_ok:
 * "UNPROTECTED PRIVATE KEY FILE!"): it says the key may be known to others.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParsedKey } from 'ssh2';
import type { SshEndpoint } from '../topology/index.js';
import { expandHome } from '../util/home.js';
import { fastSigningKey } from './fast-key.js';

export interface Credentials {
  /** The identity, parsed once per run (fast-key.ts). */
  readonly key?: ParsedKey;
  readonly agent?: string;
}

export type CredentialsResult = { readonly ok: true; readonly credentials: Credentials } | { readonly ok: false; readonly message: string };

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export class CredentialStore {
  readonly #keys = new Map<string, CredentialsResult>();
  readonly #agentSocket: string | undefined;
  readonly #home: string;

  constructor(options: { agentSocket?: string | undefined; home?: string } = {}) {
    this.#agentSocket = options.agentSocket;
    this.#home = options.home ?? os.homedir();
  }

  for(endpoint: SshEndpoint): CredentialsResult {
    const agent = endpoint.agent && this.#agentSocket ? { agent: this.#agentSocket } : {};
    const file = endpoint.identity !== undefined ? expandHome(endpoint.identity, this.#home) : this.#defaultKey();
    if (file === undefined) {
      if (agent.agent !== undefined) return { ok: true, credentials: agent };
      return { ok: false, message: `no key to log in to ${endpoint.name}: set identity, or load a key into ssh-agent (SSH_AUTH_SOCK)` };
    }
    const key = this.#read(file);
    if (!key.ok) return agent.agent !== undefined && endpoint.identity === undefined ? { ok: true, credentials: agent } : key;
    return { ok: true, credentials: { ...key.credentials, ...agent } };
  }

  #defaultKey(): string | undefined {
    return DEFAULT_KEYS.map((k) => path.join(this.#home, '.ssh', k)).find((f) => existsSync(f));
  }

  #read(file: string): CredentialsResult {
    const cached = this.#keys.get(file);
    if (cached) return cached;
    let result: CredentialsResult;
    try {
      const open = tooOpen(file);
      const parsed = open === undefined ? fastSigningKey(readFileSync(file)) : undefined;
      if (open !== undefined) result = { ok: false, message: `cannot use identity ${file}: its permissions ${open} are too open (others may read the private key; OpenSSH refuses it too): chmod 600 ${file}` };
      else if (parsed instanceof Error) result = { ok: false, message: `cannot use identity ${file}: ${/encrypted|passphrase/i.test(parsed.message) ? 'it is passphrase-protected; load it into ssh-agent instead' : parsed.message}` };
      else result = { ok: true, credentials: parsed === undefined ? {} : { key: parsed } };
    } catch (e) {
      result = { ok: false, message: `cannot read identity ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
    this.#keys.set(file, result);
    return result;
  }
}

/** The file's permissions (`0644`) when it is ours and group or others may read or write it; undefined when it is fine. */
function tooOpen(file: string): string | undefined {
  const st = statSync(file);
  const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
  return mine && (st.mode & 0o077) !== 0 ? `0${(st.mode & 0o777).toString(8)}` : undefined;
}
