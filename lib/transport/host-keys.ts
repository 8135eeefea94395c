/**
 * Host-key verification as `ssh` does it, with the policies operators know from OpenSSH's
 * StrictHostKeyChecking: `strict` (yes), `accept-new`, `off` (no).
 *
 * Files: every user known_hosts file (the endpoint's `knownHosts`, by default ~/.ssh/known_hosts
 * and ~/.ssh/known_hosts2), then every global one (`globalKnownHosts`, by default
 * /etc/ssh/ssh_known_hosts and /etc/ssh/ssh_known_hosts2), read as one list of lines as OpenSSH
 * does: a matching key in any file is a match, a `@revoked` key in any file is refused, and a
 * different key of the host in any file (with no match anywhere) is a changed key. Each file is
 * read and indexed once per run; a missing one knows no hosts.
 *
 * - `strict`: the offered key must be in one of the files.
 * - `accept-new`: as strict, except that a host with no known key at all is added to the first
 *   user file (hashed when `hashKnownHosts`, as OpenSSH's HashKnownHosts; appended with O_APPEND,
 *   never through a symlink). A host known by a key of another type is a changed key and refused,
 *   as OpenSSH does (known-hosts.ts, checkHostKey: `other-type`).
 * - `off`: any key is accepted, but not silently: the first connection to each host says that its
 *   key was not verified, and a key that contradicts known_hosts (changed, of another type,
 *   revoked, or another key than earlier in the run) is a loud warning, once per host and key.
 *   OpenSSH's `StrictHostKeyChecking no` also warns and connects; it also adds new keys, which
 *   `off` does not (it writes nothing).
 *
 * Host certificates: a host whose name a `@cert-authority` line covers is asked for a certificate
 * first (ssh2 is extended for that: ssh2-certs.ts). A certificate is trusted as `ssh` trusts it
 * (host-certs.ts): signed by a CA that such a line holds, neither CA nor certified key `@revoked`
 * for the host, a host certificate, within its validity, naming the host as a principal, no
 * critical options. A certificate that fails is not the end, as with `ssh`: its plain key is then
 * checked like any offered key (so under `accept-new` it may be added), and a refusal says why the
 * certificate was not trusted. Where ssh2 cannot be extended (another ssh2 version), no
 * certificate is asked for and a host that only a CA vouches for is refused, saying so.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { SshEndpoint } from '../topology/index.js';
import { expandHome } from '../util/home.js';
import { unreachable } from '../util/unreachable.js';
import { appendFileSafe, makeDirSafe, PRIVATE, PRIVATE_DIR } from '../util/safe-write.js';
import { certificateProblem, isCertificateType, parseCertificate, type Certificate } from './host-certs.js';
import { CERT_ALGORITHMS, certSupport } from './ssh2-certs.js';
import { checkHostKey, fingerprint, hostPattern, knownHostsLine, knownTypesFor, keyTypeOf, KnownHostsIndex, parseKnownHosts, type EntryAt, type HostKeyVerdict, type KnownHostsEntry } from './known-hosts.js';

/** Accepted (with something to tell the user: `warning` when it must not go unnoticed), or refused. */
export type HostKeyDecision =
  | { readonly ok: true; readonly note?: string; readonly warning?: boolean }
  | { readonly ok: false; readonly message: string };

/** How an offered key is named in messages, and the files that were read for it. */
interface Offer {
  readonly who: string;
  readonly fp: string;
  /** Every file read, user files first, as expanded paths. */
  readonly files: readonly string[];
  /** Where accept-new writes: the first user file, if there is one. */
  readonly target?: string;
}

export class HostKeyStore {
  readonly #files = new Map<string, KnownHostsIndex>();
  /** Lines in each file, for the line numbers of keys appended under accept-new. */
  readonly #lines = new Map<string, number>();
  /** `off`: the first key each host offered in this run. */
  readonly #unverified = new Map<string, string>();
  /** `off`: `host key` pairs already warned about. */
  readonly #warned = new Set<string>();
  /** Milliseconds since the epoch, for certificate validity. */
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The file's entries, read and indexed once per run. */
  #index(file: string): KnownHostsIndex {
    let index = this.#files.get(file);
    if (!index) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // A missing known_hosts file knows no hosts (as OpenSSH: it reads the defaults that exist).
      }
      index = new KnownHostsIndex(parseKnownHosts(text, file));
      this.#lines.set(file, text === '' ? 0 : text.replace(/\n$/, '').split('\n').length);
      this.#files.set(file, index);
    }
    return index;
  }

  /** The endpoint's entries from every file, user files first, each file in line order. */
  #entries(endpoint: SshEndpoint, files: readonly string[]): KnownHostsEntry[] {
    return files.flatMap((f) => this.#index(f).forHost(endpoint.address, endpoint.port));
  }

  /** Key types already known for the endpoint, to offer first in negotiation (as OpenSSH does). */
  preferredTypes(endpoint: SshEndpoint): string[] {
    if (endpoint.hostKeyPolicy === 'off') return [];
    const entries = this.#entries(endpoint, filesOf(endpoint).all);
    const certs = certSupport.ok && entries.some((e) => e.marker === 'cert-authority') ? CERT_ALGORITHMS : [];
    return [...certs, ...knownTypesFor(entries, endpoint.address, endpoint.port)];
  }

  verify(endpoint: SshEndpoint, blob: Buffer): HostKeyDecision {
    if (endpoint.hostKeyPolicy !== 'off' && isCertificateType(keyTypeOf(blob))) return this.#verifyCertificate(endpoint, blob);
    return this.#verifyKey(endpoint, blob);
  }

  /**
   * A certificate, as `ssh` checks it: trusted through a `@cert-authority` line for the host, or
   * else (unless revoked) its plain key checked like any other, the refusal saying why the
   * certificate was not trusted.
   */
  #verifyCertificate(endpoint: SshEndpoint, blob: Buffer): HostKeyDecision {
    const who = endpoint.port === 22 ? endpoint.address : `[${endpoint.address}]:${endpoint.port}`;
    let cert: Certificate;
    try {
      cert = parseCertificate(blob);
    } catch (e) {
      return { ok: false, message: `host certificate of ${who} refused: ${(e as Error).message}` };
    }
    const entries = this.#entries(endpoint, filesOf(endpoint).all);
    const caBase64 = cert.signatureKey.toString('base64');
    const revoked = entries.find((e) => e.marker === 'revoked' && (e.keyBase64 === caBase64 || e.keyBase64 === cert.key.toString('base64')));
    const fp = `${keyTypeOf(blob)} ${fingerprint(cert.key)}, CA ${fingerprint(cert.signatureKey)}`;
    if (revoked) {
      const what = revoked.keyBase64 === caBase64 ? 'the certificate authority that signed it' : 'its key';
      return { ok: false, message: `host certificate of ${who} (${fp}) refused: ${what} is marked @revoked in ${where(revoked)}` };
    }
    const authority = entries.find((e) => e.marker === 'cert-authority' && e.keyBase64 === caBase64);
    const problem = authority === undefined
      ? `it is signed by a certificate authority (${fingerprint(cert.signatureKey)}) that no @cert-authority line for ${who} trusts`
      : certificateProblem(cert, endpoint.address, this.#now() / 1000);
    if (problem === undefined) return { ok: true };
    const why = `host certificate of ${who} (${fp}, id "${cert.keyId}") not trusted${authority === undefined ? '' : ` through ${where(authority)}`}: ${problem}`;
    const plain = this.#verifyKey(endpoint, cert.key);
    if (!plain.ok) return { ok: false, message: `${why}; and its plain key: ${plain.message}` };
    return { ok: true, warning: true, note: `${why}; its plain key was accepted instead${plain.note === undefined ? '' : ` (${plain.note})`}` };
  }

  #verifyKey(endpoint: SshEndpoint, blob: Buffer): HostKeyDecision {
    const { all, target } = filesOf(endpoint);
    const verdict = checkHostKey(this.#entries(endpoint, all), endpoint.address, endpoint.port, blob);
    const who = endpoint.port === 22 ? endpoint.address : `[${endpoint.address}]:${endpoint.port}`;
    const offer: Offer = { who, fp: `${keyTypeOf(blob)} ${fingerprint(blob)}`, files: all, ...(target === undefined ? {} : { target }) };
    if (endpoint.hostKeyPolicy === 'off') return this.#unchecked(offer, verdict);
    switch (verdict.status) {
      case 'match':
        return { ok: true };
      case 'revoked':
        return { ok: false, message: `host key of ${who} (${offer.fp}) is marked @revoked in ${where(verdict)}` };
      case 'mismatch':
        return { ok: false, message: `HOST KEY CHANGED for ${who}: it offered ${offer.fp}, but ${where(verdict)} has a different ${verdict.expectedType} key. ${remedy(offer, verdict)}` };
      case 'other-type':
        return {
          ok: false,
          message: `HOST KEY CHANGED for ${who}: it offered ${offer.fp}, but ${where(verdict)} knows it by a ${verdict.knownType} key (and by no ${keyTypeOf(blob)} key).${endpoint.hostKeyPolicy === 'accept-new' ? " host_key_policy accept-new adds keys only for hosts with no known key, as OpenSSH's accept-new does." : ''} ${remedy(offer, verdict)}`,
        };
      case 'unknown':
        if (endpoint.hostKeyPolicy === 'accept-new') return this.#accept(offer, endpoint, blob, verdict.authority);
        return { ok: false, message: unknownMessage(offer, endpoint, verdict.authority) };
      default:
        return unreachable(verdict);
    }
  }

  /** `off`: accepted; said once per host, and loudly once per host and key when it contradicts what is known. */
  #unchecked(offer: Offer, verdict: HostKeyVerdict): HostKeyDecision {
    const first = this.#unverified.get(offer.who);
    if (first === undefined) this.#unverified.set(offer.who, offer.fp);
    const contradiction = contradictionOf(verdict) ?? (first !== undefined && first !== offer.fp ? `it offered ${first} earlier in this run` : undefined);
    if (contradiction !== undefined) {
      const key = `${offer.who} ${offer.fp}`;
      if (this.#warned.has(key)) return { ok: true };
      this.#warned.add(key);
      return {
        ok: true, warning: true,
        note: `HOST KEY NOT VERIFIED AND IT CONTRADICTS WHAT IS KNOWN: ${offer.who} offered ${offer.fp}, but ${contradiction}. host_key_policy is off, so orchestrate connects anyway: this may be a man-in-the-middle attack. ${remedy(offer, verdict.status === 'unknown' ? undefined : verdict)}`,
      };
    }
    if (first !== undefined) return { ok: true };
    const matches = verdict.status === 'match' ? ` (it matches ${where(verdict)})` : '';
    return { ok: true, note: `host key not verified (host_key_policy: off): ${offer.who} offered ${offer.fp}${matches}` };
  }

  /** accept-new: a host with no known key is added to the first user file; as OpenSSH, a failure to add it is said and the connection goes on. */
  #accept(offer: Offer, endpoint: SshEndpoint, blob: Buffer, authority: EntryAt | undefined): HostKeyDecision {
    const ca = authority === undefined ? '' : ` (${where(authority)} trusts a certificate authority for it, but ${CERT_LIMITATION})`;
    const file = offer.target;
    if (file === undefined) return { ok: true, warning: true, note: `accepted ${offer.who} (${offer.fp}) but could not add it: there is no user known_hosts file to add it to${ca}` };
    const hashed = endpoint.hashKnownHosts === true;
    try {
      this.#append(file, hostPattern(endpoint.address, endpoint.port), knownHostsLine(endpoint.address, endpoint.port, blob, { hash: hashed }));
    } catch (e) {
      return { ok: true, warning: true, note: `accepted ${offer.who} (${offer.fp}) but could not add it to ${file}: ${(e as NodeJS.ErrnoException).code === 'ELOOP' ? 'it is a symbolic link, which orchestrate never writes through' : (e as Error).message}${ca}` };
    }
    return { ok: true, note: `added ${offer.who} (${offer.fp}) to ${file}${hashed ? ' (host name hashed)' : ''}${ca}` };
  }

  #append(file: string, name: string, line: string): void {
    const index = this.#index(file);
    makeDirSafe(path.dirname(file), PRIVATE_DIR);
    appendFileSafe(file, `${line}\n`, PRIVATE);
    const at = (this.#lines.get(file) ?? 0) + 1;
    this.#lines.set(file, at);
    index.add(parseKnownHosts(line, file).map((e) => ({ ...e, line: at })), name);
  }
}

/** Why a host that only a CA vouches for offered no certificate, and so needs its own key. */
const CERT_LIMITATION = certSupport.ok
  ? 'it offered a plain key, not a certificate, and a @cert-authority line vouches for certificates only'
  : `orchestrate cannot use host certificates with ${certSupport.reason}, so the host offers its plain key, which a @cert-authority line does not vouch for`;

/**
 * The files to read, expanded, without repeats: user files then global ones; and the first user
 * file. A plan document made before known_hosts became a list has one string and no global files.
 */
function filesOf(endpoint: SshEndpoint): { all: string[]; target?: string } {
  const user = endpoint.knownHosts as readonly string[] | string;
  const users = (typeof user === 'string' ? [user] : user).map((f) => expandHome(f));
  const all = [...new Set([...users, ...(endpoint.globalKnownHosts ?? []).map((f) => expandHome(f))])];
  return users[0] === undefined ? { all } : { all, target: users[0] };
}

function where(at: EntryAt): string {
  return `${at.file ?? 'known_hosts'}:${at.line}`;
}

function unknownMessage(offer: Offer, endpoint: SshEndpoint, authority: EntryAt | undefined): string {
  const read = offer.files.length === 0 ? 'no known_hosts file (none is set)' : offer.files.join(', ');
  const add = offer.target === undefined ? 'add it to a known_hosts file' : `add it (ssh-keyscan -p ${endpoint.port} ${endpoint.address} >> ${offer.target})`;
  if (authority !== undefined) {
    return `host key of ${offer.who} (${offer.fp}) is not in ${read}. ${where(authority)} trusts a certificate authority (@cert-authority) for ${offer.who}, but ${CERT_LIMITATION}: ${add}, or set host_key_policy: accept-new`;
  }
  return `host key of ${offer.who} (${offer.fp}) is not in ${read}; ${add} or set host_key_policy: accept-new`;
}

function remedy(o: Offer, at: EntryAt | undefined): string {
  const file = at?.file ?? o.target ?? 'known_hosts';
  return `This may be an attack, or a reinstalled host; if it was reinstalled, remove the old line (ssh-keygen -R '${o.who}' -f ${file})`;
}

/** What known_hosts says against the offered key, if anything. */
function contradictionOf(verdict: HostKeyVerdict): string | undefined {
  switch (verdict.status) {
    case 'match':
    case 'unknown':
      return undefined;
    case 'revoked':
      return `${where(verdict)} marks that key @revoked`;
    case 'mismatch':
      return `${where(verdict)} has a different ${verdict.expectedType} key`;
    case 'other-type':
      return `${where(verdict)} knows it by a ${verdict.knownType} key`;
    default:
      return unreachable(verdict);
  }
}
