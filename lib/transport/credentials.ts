/**
 * Which keys to offer for an endpoint: its identity file, or else every default ~/.ssh/id_* file
 * that exists and can be used, in OpenSSH's order (ssh_config(5), IdentityFile), then ssh-agent
 * when SSH_AUTH_SOCK is set. An identity that is passphrase-protected is left to the agent when
 * there is one (ssh uses the agent's copy of such a key). Files are read once per run. A private key file of
 * ours that others may read is refused, as OpenSSH refuses it (authfile.c, sshkey_perm_ok:
 * "UNPROTECTED PRIVATE KEY FILE!"): it says the key may be known to others.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import './ssh2-certs.js'; // first: it extends ssh2 before ssh2 loads
import ssh2, { type ParsedKey } from 'ssh2';
import type { SshEndpoint } from '../topology/index.js';
import { expandHome } from '../util/home.js';
import type { IdentityFile } from './auth-order.js';
import { fastSigningKey } from './fast-key.js';

export interface Credentials {
  /** The identities to offer in order, each parsed once per run (fast-key.ts). */
  readonly keys: readonly ParsedKey[];
  /** The identity files with their public keys, to match the agent's keys against (auth-order.ts). */
  readonly files?: readonly IdentityFile[];
  readonly agent?: string;
  /** Of the agent's keys, only those of `files`. */
  readonly identitiesOnly?: boolean;
}

export type CredentialsResult = { readonly ok: true; readonly credentials: Credentials } | { readonly ok: false; readonly message: string };

/** OpenSSH 9's default identities, in the order it tries them (ssh_config(5), IdentityFile). */
const DEFAULT_KEYS = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_dsa'];

export class CredentialStore {
  readonly #keys = new Map<string, CredentialsResult>();
  readonly #agentSocket: string | undefined;
  readonly #home: string;

  constructor(options: { agentSocket?: string | undefined; home?: string } = {}) {
    this.#agentSocket = options.agentSocket;
    this.#home = options.home ?? os.homedir();
  }

  for(endpoint: SshEndpoint): CredentialsResult {
    const socket = endpoint.agentSocket ?? this.#agentSocket;
    const agent = endpoint.agent && socket ? { agent: socket } : {};
    if (endpoint.identity === undefined && endpoint.identities !== undefined && endpoint.identities.length > 0) return this.#configured(endpoint, agent);
    if (endpoint.identity !== undefined) {
      const file = expandHome(endpoint.identity, this.#home);
      const key = this.#read(file);
      if (key.ok) return { ok: true, credentials: { ...key.credentials, ...agent } };
      // A passphrase-protected identity is used through the agent, which holds it unlocked.
      if (agent.agent !== undefined && /passphrase-protected/.test(key.message)) return { ok: true, credentials: { keys: [], ...agent } };
      return key;
    }
    // Every default key that can be used (a protected or unreadable one is left out, as ssh
    // without a terminal to ask for the passphrase leaves it out), then the agent.
    const found = DEFAULT_KEYS.map((k) => path.join(this.#home, '.ssh', k)).filter((f) => existsSync(f)).map((f) => this.#read(f));
    const keys = found.flatMap((r) => (r.ok ? r.credentials.keys : []));
    if (keys.length > 0 || agent.agent !== undefined) return { ok: true, credentials: { keys, ...agent } };
    const why = found.find((r): r is Extract<CredentialsResult, { ok: false }> => !r.ok);
    if (why) return why;
    return { ok: false, message: `no key to log in to ${endpoint.name}: set identity, or load a key into ssh-agent (SSH_AUTH_SOCK)` };
  }

  /**
   * ssh_config's IdentityFile list: each file that can be read, with its public key (from the key,
   * or the `.pub` beside a protected one, so the agent's copy is used); a missing file is left out
   * as ssh leaves it out.
   */
  #configured(endpoint: SshEndpoint, agent: { agent?: string }): CredentialsResult {
    const files: IdentityFile[] = [];
    let why: string | undefined;
    for (const raw of endpoint.identities ?? []) {
      const file = expandHome(raw, this.#home);
      const key = existsSync(file) ? this.#read(file) : undefined;
      const parsed = key?.ok ? key.credentials.keys[0] : undefined;
      const publicKey = parsed?.getPublicSSH() ?? publicBeside(file);
      if (key && !key.ok) why ??= key.message;
      if (parsed || publicKey) files.push({ file: raw, ...(publicKey ? { publicKey } : {}), ...(parsed ? { key: parsed } : {}) });
    }
    const keys = files.flatMap((f) => (f.key ? [f.key] : []));
    if (keys.length === 0 && agent.agent === undefined) {
      return { ok: false, message: why ?? `no key to log in to ${endpoint.name}: none of its IdentityFile keys (${(endpoint.identities ?? []).join(', ')}) exists, and there is no ssh-agent (SSH_AUTH_SOCK)` };
    }
    return { ok: true, credentials: { keys, files, ...agent, identitiesOnly: endpoint.identitiesOnly === true } };
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
      else result = { ok: true, credentials: { keys: parsed === undefined ? [] : [parsed] } };
    } catch (e) {
      result = { ok: false, message: `cannot read identity ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
    this.#keys.set(file, result);
    return result;
  }
}

/** The public key of `file.pub` (SSH wire form), when there is one. */
function publicBeside(file: string): Buffer | undefined {
  try {
    const parsed = ssh2.utils.parseKey(readFileSync(`${file}.pub`));
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    return key instanceof Error || key === undefined ? undefined : key.getPublicSSH();
  } catch {
    return undefined;
  }
}

/** The file's permissions (`0644`) when it is ours and group or others may read or write it; undefined when it is fine. */
function tooOpen(file: string): string | undefined {
  const st = statSync(file);
  const mine = typeof process.getuid !== 'function' || st.uid === process.getuid();
  return mine && (st.mode & 0o077) !== 0 ? `0${(st.mode & 0o777).toString(8)}` : undefined;
}
