/**
 * Host-key verification against known_hosts files, with the policies operators know from
 * OpenSSH's StrictHostKeyChecking: `strict` (yes), `accept-new`, `off` (no). Each file is read
 * once per run; accepted new keys are appended to it.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SshEndpoint } from '../topology/index.js';
import { expandHome } from '../util/home.js';
import { checkHostKey, fingerprint, knownHostsLine, knownTypesFor, keyTypeOf, KnownHostsIndex, parseKnownHosts } from './known-hosts.js';

export type HostKeyDecision = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly message: string };

export class HostKeyStore {
  readonly #files = new Map<string, KnownHostsIndex>();
  /** Lines in each file, for the line numbers of keys appended under accept-new. */
  readonly #lines = new Map<string, number>();

  /** The file's entries, read and indexed once per run. */
  #index(file: string): KnownHostsIndex {
    let index = this.#files.get(file);
    if (!index) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // A missing known_hosts file knows no hosts.
      }
      index = new KnownHostsIndex(parseKnownHosts(text));
      this.#lines.set(file, text === '' ? 0 : text.replace(/\n$/, '').split('\n').length);
      this.#files.set(file, index);
    }
    return index;
  }

  /** Key types already known for the endpoint, to offer first in negotiation (as OpenSSH does). */
  preferredTypes(endpoint: SshEndpoint): string[] {
    if (endpoint.hostKeyPolicy === 'off') return [];
    return knownTypesFor(this.#index(expandHome(endpoint.knownHosts)).forHost(endpoint.address, endpoint.port), endpoint.address, endpoint.port);
  }

  verify(endpoint: SshEndpoint, blob: Buffer): HostKeyDecision {
    if (endpoint.hostKeyPolicy === 'off') return { ok: true };
    const file = expandHome(endpoint.knownHosts);
    const index = this.#index(file);
    const verdict = checkHostKey(index.forHost(endpoint.address, endpoint.port), endpoint.address, endpoint.port, blob);
    const who = endpoint.port === 22 ? endpoint.address : `[${endpoint.address}]:${endpoint.port}`;
    const fp = `${keyTypeOf(blob)} ${fingerprint(blob)}`;
    switch (verdict.status) {
      case 'match':
        return { ok: true };
      case 'revoked':
        return { ok: false, message: `host key of ${who} (${fp}) is marked @revoked in ${file}:${verdict.line}` };
      case 'mismatch':
        return {
          ok: false,
          message: `HOST KEY CHANGED for ${who}: it offered ${fp}, but ${file}:${verdict.line} has a different ${verdict.expectedType} key. This may be an attack or a reinstalled host; if it was reinstalled, remove the old line (ssh-keygen -R '${who}' -f ${file})`,
        };
      case 'unknown':
        if (endpoint.hostKeyPolicy === 'accept-new') {
          this.#append(file, index, knownHostsLine(endpoint.address, endpoint.port, blob));
          return { ok: true, note: `added ${who} (${fp}) to ${file}` };
        }
        return {
          ok: false,
          message: `host key of ${who} (${fp}) is not in ${file}; add it (ssh-keyscan -p ${endpoint.port} ${endpoint.address} >> ${file}) or set host_key_policy: accept-new`,
        };
    }
  }

  #append(file: string, index: KnownHostsIndex, line: string): void {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    appendFileSync(file, `${line}\n`, { mode: 0o600 });
    const at = (this.#lines.get(file) ?? 0) + 1;
    this.#lines.set(file, at);
    index.add(parseKnownHosts(line).map((e) => ({ ...e, line: at })));
  }
}
