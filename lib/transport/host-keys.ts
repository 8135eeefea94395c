/**
 * Host-key verification against known_hosts files, with the policies operators know from
 * OpenSSH's StrictHostKeyChecking: `strict` (yes), `accept-new`, `off` (no). Each file is read
 * once per run; accepted new keys are appended to it (never through a symlink).
 *
 * - `strict`: the offered key must be in the file.
 * - `accept-new`: as strict, except that a host with no known key at all is added. A host known
 *   by a key of another type is a changed key and refused, as OpenSSH does (known-hosts.ts,
 *   checkHostKey: `other-type`).
 * - `off`: any key is accepted, but not silently: the first connection to each host says that its
 *   key was not verified, and a key that contradicts known_hosts (changed, of another type,
 *   revoked, or another key than earlier in the run) is a loud warning, once per host and key.
 *   OpenSSH's `StrictHostKeyChecking no` also warns and connects; it also adds new keys, which
 *   `off` does not (it writes nothing).
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { SshEndpoint } from '../topology/index.js';
import { expandHome } from '../util/home.js';
import { unreachable } from '../util/unreachable.js';
import { appendFileSafe, makeDirSafe, PRIVATE, PRIVATE_DIR } from '../util/safe-write.js';
import { checkHostKey, fingerprint, knownHostsLine, knownTypesFor, keyTypeOf, KnownHostsIndex, parseKnownHosts, type HostKeyVerdict } from './known-hosts.js';

/** Accepted (with something to tell the user: `warning` when it must not go unnoticed), or refused. */
export type HostKeyDecision =
  | { readonly ok: true; readonly note?: string; readonly warning?: boolean }
  | { readonly ok: false; readonly message: string };

/** How an offered key is named in messages. */
interface Offer {
  readonly who: string;
  readonly fp: string;
  readonly file: string;
}

export class HostKeyStore {
  readonly #files = new Map<string, KnownHostsIndex>();
  /** Lines in each file, for the line numbers of keys appended under accept-new. */
  readonly #lines = new Map<string, number>();
  /** `off`: the first key each host offered in this run. */
  readonly #unverified = new Map<string, string>();
  /** `off`: `host key` pairs already warned about. */
  readonly #warned = new Set<string>();

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
    return knownTypesFor(this.#index(expandHome(endpoint.knownHosts[0] ?? '/dev/null')).forHost(endpoint.address, endpoint.port), endpoint.address, endpoint.port);
  }

  verify(endpoint: SshEndpoint, blob: Buffer): HostKeyDecision {
    // Interim: the first user file only; every user and global file in the next commit.
    const file = expandHome(endpoint.knownHosts[0] ?? '/dev/null');
    const index = this.#index(file);
    const verdict = checkHostKey(index.forHost(endpoint.address, endpoint.port), endpoint.address, endpoint.port, blob);
    const who = endpoint.port === 22 ? endpoint.address : `[${endpoint.address}]:${endpoint.port}`;
    const offer: Offer = { who, fp: `${keyTypeOf(blob)} ${fingerprint(blob)}`, file };
    if (endpoint.hostKeyPolicy === 'off') return this.#unchecked(offer, verdict);
    switch (verdict.status) {
      case 'match':
        return { ok: true };
      case 'revoked':
        return { ok: false, message: `host key of ${who} (${offer.fp}) is marked @revoked in ${file}:${verdict.line}` };
      case 'mismatch':
        return { ok: false, message: `HOST KEY CHANGED for ${who}: it offered ${offer.fp}, but ${file}:${verdict.line} has a different ${verdict.expectedType} key. ${REMEDY(offer)}` };
      case 'other-type':
        return {
          ok: false,
          message: `HOST KEY CHANGED for ${who}: it offered ${offer.fp}, but ${file}:${verdict.line} knows it by a ${verdict.knownType} key (and by no ${keyTypeOf(blob)} key).${endpoint.hostKeyPolicy === 'accept-new' ? " host_key_policy accept-new adds keys only for hosts with no known key, as OpenSSH's accept-new does." : ''} ${REMEDY(offer)}`,
        };
      case 'unknown':
        if (endpoint.hostKeyPolicy === 'accept-new') return this.#accept(offer, index, knownHostsLine(endpoint.address, endpoint.port, blob));
        return {
          ok: false,
          message: `host key of ${who} (${offer.fp}) is not in ${file}; add it (ssh-keyscan -p ${endpoint.port} ${endpoint.address} >> ${file}) or set host_key_policy: accept-new`,
        };
      default:
        return unreachable(verdict);
    }
  }

  /** `off`: accepted; said once per host, and loudly once per host and key when it contradicts what is known. */
  #unchecked(offer: Offer, verdict: HostKeyVerdict): HostKeyDecision {
    const first = this.#unverified.get(offer.who);
    if (first === undefined) this.#unverified.set(offer.who, offer.fp);
    const contradiction = contradictionOf(offer, verdict) ?? (first !== undefined && first !== offer.fp ? `it offered ${first} earlier in this run` : undefined);
    if (contradiction !== undefined) {
      const key = `${offer.who} ${offer.fp}`;
      if (this.#warned.has(key)) return { ok: true };
      this.#warned.add(key);
      return {
        ok: true, warning: true,
        note: `HOST KEY NOT VERIFIED AND IT CONTRADICTS WHAT IS KNOWN: ${offer.who} offered ${offer.fp}, but ${contradiction}. host_key_policy is off, so orchestrate connects anyway: this may be a man-in-the-middle attack. ${REMEDY(offer)}`,
      };
    }
    if (first !== undefined) return { ok: true };
    const matches = verdict.status === 'match' ? ` (it matches ${offer.file}:${verdict.line})` : '';
    return { ok: true, note: `host key not verified (host_key_policy: off): ${offer.who} offered ${offer.fp}${matches}` };
  }

  #accept(offer: Offer, index: KnownHostsIndex, line: string): HostKeyDecision {
    try {
      this.#append(offer.file, index, line);
    } catch (e) {
      // As OpenSSH, which says it failed to add the host and connects.
      return { ok: true, warning: true, note: `accepted ${offer.who} (${offer.fp}) but could not add it to ${offer.file}: ${(e as NodeJS.ErrnoException).code === 'ELOOP' ? 'it is a symbolic link, which orchestrate never writes through' : (e as Error).message}` };
    }
    return { ok: true, note: `added ${offer.who} (${offer.fp}) to ${offer.file}` };
  }

  #append(file: string, index: KnownHostsIndex, line: string): void {
    makeDirSafe(path.dirname(file), PRIVATE_DIR);
    appendFileSafe(file, `${line}\n`, PRIVATE);
    const at = (this.#lines.get(file) ?? 0) + 1;
    this.#lines.set(file, at);
    index.add(parseKnownHosts(line).map((e) => ({ ...e, line: at })));
  }
}

const REMEDY = (o: Offer): string => `This may be an attack, or a reinstalled host; if it was reinstalled, remove the old line (ssh-keygen -R '${o.who}' -f ${o.file})`;

/** What known_hosts says against the offered key, if anything. */
function contradictionOf(offer: Offer, verdict: HostKeyVerdict): string | undefined {
  switch (verdict.status) {
    case 'match':
    case 'unknown':
      return undefined;
    case 'revoked':
      return `${offer.file}:${verdict.line} marks that key @revoked`;
    case 'mismatch':
      return `${offer.file}:${verdict.line} has a different ${verdict.expectedType} key`;
    case 'other-type':
      return `${offer.file}:${verdict.line} knows it by a ${verdict.knownType} key`;
    default:
      return unreachable(verdict);
  }
}
